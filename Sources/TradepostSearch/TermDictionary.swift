/// The indexed terms of one tenant, sorted, with their document counts: typo candidates come from a
/// walk over the sorted list that shares the edit-distance rows of common prefixes and skips every
/// term under a prefix that is already too far (a trie walk without building a trie).
struct TermDictionary: Sendable {
    typealias Word = [Unicode.Scalar]

    private(set) var terms: [Word] = []
    private(set) var counts: [Int] = []

    init(_ entries: [(String, Int)]) {
        let sorted = entries.map { (Array($0.0.unicodeScalars), $0.1) }.sorted { Self.less($0.0, $1.0) }
        terms.reserveCapacity(sorted.count)
        for (term, count) in sorted {
            if let last = terms.last, last == term { counts[counts.count - 1] += count; continue }
            terms.append(term)
            counts.append(count)
        }
    }

    var count: Int { terms.count }

    /// Adds terms seen by the indexer since the dictionary was loaded.
    mutating func merge(_ added: [String: Int]) {
        guard !added.isEmpty else { return }
        var entries = zip(terms, counts).map { (String(String.UnicodeScalarView($0.0)), $0.1) }
        entries.append(contentsOf: added.map { ($0.key, $0.value) })
        self = TermDictionary(entries)
    }

    static func less(_ a: Word, _ b: Word) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x.value < y.value }
        return a.count < b.count
    }

    private func lowerBound(_ word: Word) -> Int {
        var lo = 0
        var hi = terms.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.less(terms[mid], word) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    func contains(_ term: String) -> Bool {
        let word = Array(term.unicodeScalars)
        let i = lowerBound(word)
        return i < terms.count && terms[i] == word
    }

    /// The most frequent terms starting with `prefix` (the prefix itself included when indexed).
    func completions(_ prefix: String, limit: Int) -> [String] {
        let word = Array(prefix.unicodeScalars)
        var i = lowerBound(word)
        var found: [(Int, Int)] = []
        while i < terms.count, terms[i].starts(with: word) {
            found.append((i, counts[i]))
            i += 1
            if found.count > 20_000 { break }
        }
        return found.sorted { $0.1 > $1.1 }.prefix(limit).map { String(String.UnicodeScalarView(terms[$0.0])) }
    }

    /// Terms within `maxDistance` edits (insert, delete, substitute, swap two neighbours) of `term`,
    /// closest first, then most frequent. The term itself is not included.
    func similar(_ term: String, maxDistance: Int, limit: Int) -> [(term: String, distance: Int)] {
        let query = Array(term.unicodeScalars)
        let width = query.count + 1
        // rows[d * width ..< (d + 1) * width] is the edit-distance row after the first d letters of
        // the current term: one flat buffer, reused, so the walk allocates nothing per term.
        var rows = [Int](repeating: 0, count: width * 66)
        for j in 0..<width { rows[j] = j }
        var depthReady = 0  // rows 0...depthReady are valid for `previous`
        var previous: Word = []
        var found: [(index: Int, distance: Int)] = []
        var i = 0
        while i < terms.count {
            let candidate = terms[i]
            guard candidate.count + maxDistance >= query.count, candidate.count < 64 else { i += 1; continue }
            var shared = 0
            let limitShared = min(previous.count, candidate.count, depthReady)
            while shared < limitShared, previous[shared] == candidate[shared] { shared += 1 }
            var depth = shared
            var pruned = false
            while depth < candidate.count {
                let c = candidate[depth]
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
                for j in low...max(low, high) where j <= high {
                    var cost = min(rows[above + j] + 1, rows[row + j - 1] + 1, rows[above + j - 1] + (query[j - 1] == c ? 0 : 1))
                    if depth >= 1, j >= 2, query[j - 1] == candidate[depth - 1], query[j - 2] == c {
                        cost = min(cost, rows[above - width + j - 2] + 1)
                    }
                    rows[row + j] = cost
                    best = min(best, cost)
                }
                depth += 1
                if best > maxDistance {
                    pruned = true
                    break
                }
            }
            previous = candidate
            depthReady = depth
            if pruned {
                // Every term sharing the first `depth` letters is too far: jump past them.
                let stem = candidate.prefix(depth)
                var lo = i + 1
                var hi = terms.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if terms[mid].starts(with: stem) { lo = mid + 1 } else { hi = mid }
                }
                i = lo
                continue
            }
            let distance = rows[candidate.count * width + query.count]
            if distance <= maxDistance, distance > 0 { found.append((i, distance)) }
            i += 1
        }
        return found.sorted { ($0.distance, -counts[$0.index]) < ($1.distance, -counts[$1.index]) }
            .prefix(limit).map { (String(String.UnicodeScalarView(terms[$0.index])), $0.distance) }
    }
}
