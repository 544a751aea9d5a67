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

    init(_ entries: [(String, Int)]) {
        let sorted = entries.map { ($0.0.unicodeScalars.map(\.value), $0.1) }.sorted { Self.less($0.0[...], $1.0[...]) }
        scalars.reserveCapacity(sorted.reduce(0) { $0 + $1.0.count })
        counts.reserveCapacity(sorted.count)
        for (term, count) in sorted {
            if !counts.isEmpty, self.term(counts.count - 1).elementsEqual(term) { counts[counts.count - 1] += count; continue }
            scalars += term
            starts.append(scalars.count)
            counts.append(count)
        }
    }

    var count: Int { counts.count }

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
                query.withUnsafeBufferPointer { query in
                    Self.walk(scalars: scalars, starts: starts, query: query, maxDistance: maxDistance)
                }
            }
        }
        return found.sorted { ($0.distance, -counts[$0.index]) < ($1.distance, -counts[$1.index]) }
            .prefix(limit).map { (string($0.index), $0.distance) }
    }

    /// The walk behind `similar`, on raw buffers (no bounds checks or reference counting per step).
    private static func walk(scalars: UnsafeBufferPointer<UInt32>, starts: UnsafeBufferPointer<Int>, query: UnsafeBufferPointer<UInt32>,
                             maxDistance: Int) -> [(index: Int, distance: Int)] {
        let count = starts.count - 1
        let width = query.count + 1
        // rows[d * width ..< (d + 1) * width] is the edit-distance row after the first d letters of
        // the current term: one flat buffer, reused, so the walk allocates nothing per term.
        let rows = UnsafeMutableBufferPointer<Int>.allocate(capacity: width * 66)
        defer { rows.deallocate() }
        for j in 0..<width { rows[j] = j }
        func letter(_ i: Int, _ k: Int) -> UInt32 { scalars[starts[i] + k] }
        func length(_ i: Int) -> Int { starts[i + 1] - starts[i] }
        var depthReady = 0  // rows 0...depthReady are valid for `previous`
        var previous = -1
        var found: [(index: Int, distance: Int)] = []
        var i = 0
        while i < count {
            let n = length(i)
            guard n + maxDistance >= query.count, n < 64 else { i += 1; continue }
            var shared = 0
            if previous >= 0 {
                let limitShared = min(length(previous), n, depthReady)
                while shared < limitShared, letter(previous, shared) == letter(i, shared) { shared += 1 }
            }
            var depth = shared
            var pruned = false
            while depth < n {
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
                if best > maxDistance {
                    pruned = true
                    break
                }
            }
            previous = i
            depthReady = depth
            if pruned {
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
                continue
            }
            let distance = rows[n * width + query.count]
            if distance <= maxDistance, distance > 0 { found.append((i, distance)) }
            i += 1
        }
        return found
    }
}
