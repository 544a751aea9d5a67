/// The indexed terms of one tenant, sorted, with their document counts: typo candidates come from a
/// walk over the sorted list that shares the edit-distance rows of common prefixes and skips every
/// term under a prefix that is already too far (a trie walk without building a trie).
struct TermDictionary: Sendable {
    /// Every term's scalar values end to end, in sorted order: term i is `scalars[starts[i] ..< starts[i + 1]]`.
    /// One flat buffer rather than an array per term: the typo walk visits tens of thousands of terms
    /// per query word, and following a pointer per term cost more than the edit distances.
    private var scalars: [UInt32] = []
    private var starts: [Int] = [0]
    private(set) var counts: [Int] = []
    /// Each term's letters as a set: bit `scalar % 64`. Lets the typo walk pass over a term
    /// without computing a distance (see `letterMask`).
    private var masks: [UInt64] = []

    init(_ entries: [(String, Int)]) {
        let sorted = entries.map { ($0.0.unicodeScalars.map(\.value), $0.1) }.sorted { Self.less($0.0[...], $1.0[...]) }
        scalars.reserveCapacity(sorted.reduce(0) { $0 + $1.0.count })
        counts.reserveCapacity(sorted.count)
        for (term, count) in sorted {
            if !counts.isEmpty, self.term(counts.count - 1).elementsEqual(term) { counts[counts.count - 1] += count; continue }
            scalars += term
            starts.append(scalars.count)
            counts.append(count)
            masks.append(Self.letterMask(term))
        }
    }

    var count: Int { counts.count }

    /// A word's letters as a 64-bit set. Each edit brings at most one letter the other word lacks,
    /// so two words whose sets differ by more than `d` letters either way are more than `d` edits
    /// apart. Letters sharing a bit only make the bound weaker, never wrong.
    static func letterMask(_ word: some Sequence<UInt32>) -> UInt64 {
        word.reduce(0) { $0 | 1 << ($1 & 63) }
    }

    private func term(_ i: Int) -> ArraySlice<UInt32> { scalars[starts[i] ..< starts[i + 1]] }

    private func string(_ i: Int) -> String {
        var out = String.UnicodeScalarView()
        for value in term(i) { out.append(Unicode.Scalar(value)!) }
        return String(out)
    }

    /// Adds terms seen by the indexer since the dictionary was loaded.
    mutating func merge(_ added: [String: Int]) {
        guard !added.isEmpty else { return }
        var entries = (0..<count).map { (string($0), counts[$0]) }
        entries.append(contentsOf: added.map { ($0.key, $0.value) })
        self = TermDictionary(entries)
    }

    static func less(_ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x < y }
        return a.count < b.count
    }

    private func lowerBound(_ word: ArraySlice<UInt32>) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.less(term(mid), word) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func contains(_ term: String) -> Bool {
        let word = term.unicodeScalars.map(\.value)[...]
        let i = lowerBound(word)
        return i < count && self.term(i).elementsEqual(word)
    }

    /// The most frequent terms starting with `prefix` (the prefix itself included when indexed).
    func completions(_ prefix: String, limit: Int) -> [String] {
        let word = prefix.unicodeScalars.map(\.value)[...]
        var i = lowerBound(word)
        var found: [(Int, Int)] = []
        while i < count, term(i).starts(with: word) {
            found.append((i, counts[i]))
            i += 1
            if found.count > 20_000 { break }
        }
        return found.sorted { $0.1 > $1.1 }.prefix(limit).map { string($0.0) }
    }

    /// Terms within `maxDistance` edits (insert, delete, substitute, swap two neighbours) of `term`,
    /// closest first, then most frequent. The term itself is not included.
    func similar(_ term: String, maxDistance: Int, limit: Int) -> [(term: String, distance: Int)] {
        let query = term.unicodeScalars.map(\.value)
        let found = scalars.withUnsafeBufferPointer { scalars in
            starts.withUnsafeBufferPointer { starts in
                masks.withUnsafeBufferPointer { masks in
                    query.withUnsafeBufferPointer { query in
                        Self.walk(scalars: scalars, starts: starts, masks: masks, query: query, maxDistance: maxDistance)
                    }
                }
            }
        }
        return found.sorted { ($0.distance, -counts[$0.index]) < ($1.distance, -counts[$1.index]) }
            .prefix(limit).map { (string($0.index), $0.distance) }
    }

    /// The walk behind `similar`, on raw buffers (no bounds checks or reference counting per step).
    /// With one typo allowed, a prefix already two edits away rules out every term under it, so the
    /// walk jumps past them. With two, prefixes rule out little before the third letter, and the
    /// letter sets (`letterMask`) rule out most terms first: about 2 ms to under 0.5 ms a word on the
    /// benchmark's 57,000 terms.
    private static func walk(scalars: UnsafeBufferPointer<UInt32>, starts: UnsafeBufferPointer<Int>, masks: UnsafeBufferPointer<UInt64>,
                             query: UnsafeBufferPointer<UInt32>, maxDistance: Int) -> [(index: Int, distance: Int)] {
        let count = starts.count - 1
        let queryMask = letterMask(query)
        func length(_ i: Int) -> Int { starts[i + 1] - starts[i] }
        func fits(_ i: Int) -> Bool {
            let n = length(i)
            return n + maxDistance >= query.count && n <= query.count + maxDistance && n < 64
        }
        /// More than `maxDistance` letters of one word missing from the other (clears that many bits).
        func apart(_ i: Int) -> Bool {
            var a = masks[i] & ~queryMask, b = queryMask & ~masks[i]
            for _ in 0..<maxDistance { a &= a &- 1; b &= b &- 1 }
            return a | b != 0
        }
        var rows = EditRows(scalars: scalars, starts: starts, query: query, maxDistance: maxDistance)
        defer { rows.deallocate() }
        var found: [(index: Int, distance: Int)] = []
        if maxDistance >= 2 {
            for i in 0..<count where fits(i) && !apart(i) {
                if case .distance(let d) = rows.measure(i, checkLettersAt: nil, apart: apart), d > 0, d <= maxDistance { found.append((i, d)) }
            }
            return found
        }
        var i = 0
        while i < count {
            guard fits(i) else { i += 1; continue }
            switch rows.measure(i, checkLettersAt: maxDistance + 1, apart: apart) {
            case .distance(let d):
                if d > 0, d <= maxDistance { found.append((i, d)) }
                i += 1
            case .apart:
                i += 1
            case .pruned(let depth):
                // Every term sharing the first `depth` letters is too far: jump past them.
                let stem = starts[i]
                var lo = i + 1
                var hi = count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    var same = length(mid) >= depth
                    var k = 0
                    while same && k < depth { same = scalars[starts[mid] + k] == scalars[stem + k]; k += 1 }
                    if same { lo = mid + 1 } else { hi = mid }
                }
                i = lo
            }
        }
        return found
    }
}

/// Edit-distance rows (optimal string alignment: insert, delete, substitute, swap neighbours) of
/// terms against one query, reusing the rows of the prefix a term shares with the one before.
private struct EditRows {
    enum Outcome { case distance(Int), pruned(depth: Int), apart }

    let scalars: UnsafeBufferPointer<UInt32>
    let starts: UnsafeBufferPointer<Int>
    let query: UnsafeBufferPointer<UInt32>
    let maxDistance: Int
    let width: Int
    /// rows[d * width ..< (d + 1) * width] is the row after the first d letters of `previous`: one
    /// flat buffer, reused, so measuring allocates nothing per term.
    let rows: UnsafeMutableBufferPointer<Int>
    var previous = -1
    /// Rows 0...depthReady are valid for `previous`.
    var depthReady = 0

    init(scalars: UnsafeBufferPointer<UInt32>, starts: UnsafeBufferPointer<Int>, query: UnsafeBufferPointer<UInt32>, maxDistance: Int) {
        self.scalars = scalars
        self.starts = starts
        self.query = query
        self.maxDistance = maxDistance
        width = query.count + 1
        rows = .allocate(capacity: width * 66)
        for j in 0..<width { rows[j] = j }
    }

    func deallocate() { rows.deallocate() }

    private func letter(_ i: Int, _ k: Int) -> UInt32 { scalars[starts[i] + k] }
    private func length(_ i: Int) -> Int { starts[i + 1] - starts[i] }

    /// Term `i`'s distance, or where its prefix went out of reach, or (once `checkLettersAt` letters
    /// are in reach) that its letters are too far apart to be measured further.
    mutating func measure(_ i: Int, checkLettersAt: Int?, apart: (Int) -> Bool) -> Outcome {
        let n = length(i)
        var shared = 0
        if previous >= 0 {
            let limitShared = min(length(previous), n, depthReady)
            while shared < limitShared, letter(previous, shared) == letter(i, shared) { shared += 1 }
        }
        var depth = shared
        defer {
            previous = i
            depthReady = depth
        }
        while depth < n {
            if let at = checkLettersAt, depth >= at, depth == at || depth == shared, apart(i) { return .apart }
            let c = letter(i, depth)
            let above = depth * width
            let row = above + width
            rows[row] = depth + 1
            var best = rows[row]
            // Only a band of maxDistance around the diagonal can stay within reach (Ukkonen);
            // cells outside it are set just out of reach.
            let low = max(1, depth + 1 - maxDistance)
            let high = min(width - 1, depth + 1 + maxDistance)
            if low > 1 { rows[row + low - 1] = maxDistance + 1 }
            if high + 1 < width { rows[row + high + 1] = maxDistance + 1 }
            var j = low
            while j <= high {
                var cost = min(rows[above + j] + 1, rows[row + j - 1] + 1, rows[above + j - 1] + (query[j - 1] == c ? 0 : 1))
                if depth >= 1, j >= 2, query[j - 1] == letter(i, depth - 1), query[j - 2] == c {
                    cost = min(cost, rows[above - width + j - 2] + 1)
                }
                rows[row + j] = cost
                best = min(best, cost)
                j += 1
            }
            depth += 1
            if best > maxDistance { return .pruned(depth: depth) }
        }
        return .distance(rows[n * width + query.count])
    }
}
