/// What each of a query's terms stands for, looked up by the raw UTF-8 bytes of a stored document's
/// text. Ranking reads a few hundred documents of some 40 terms each per query stage; hashing each
/// term once while scanning for the space that ends it, in a small table of the query's own terms,
/// replaced splitting into Substrings and a Dictionary lookup (SipHash) per term, which was most of
/// the ranking's time. Stored terms are already folded, so byte equality is term equality.
struct TermMatcher {
    /// A match of query word `word` by an alternative `typos` edits away, a completion or not.
    struct Use {
        var word: Int
        var typos: Int
        var prefix: Int
    }

    /// (typos, completion, field) of a word's best match so far; smaller is better.
    typealias Score = (typos: Int, prefix: Int, field: Int)
    static let unmatched: Score = (Int.max, Int.max, Int.max)

    private struct Entry {
        var bytes: [UInt8]
        var uses: [Use]
    }

    private static let bucketCount = 256
    private var buckets = [[Int]](repeating: [], count: bucketCount)
    private var entries: [Entry] = []
    /// Unfinished codes and numbers, matched as prefixes of stored terms.
    private var prefixes: [(bytes: [UInt8], word: Int)] = []

    init(_ words: ArraySlice<QueryPlan.Word>) {
        for (index, word) in words.enumerated() {
            for alternative in word.alternatives {
                let bytes = Array(alternative.term.utf8)
                if alternative.indexPrefix {
                    prefixes.append((bytes, index))
                    continue
                }
                let use = Use(word: index, typos: alternative.typos, prefix: alternative.prefix ? 1 : 0)
                let bucket = Int(FNV1a.hash(bytes)) & (Self.bucketCount - 1)
                if let existing = buckets[bucket].first(where: { entries[$0].bytes == bytes }) {
                    entries[existing].uses.append(use)
                } else {
                    buckets[bucket].append(entries.count)
                    entries.append(Entry(bytes: bytes, uses: [use]))
                }
            }
        }
    }

    /// Improves `best` (one score per word) with the terms of one field's space-separated text.
    func scan(_ text: UnsafeRawBufferPointer, field: Int, into best: inout [Score]) {
        var start = 0
        var h = FNV1a.basis
        var i = 0
        let n = text.count
        while i <= n {
            let b: UInt8 = i < n ? text[i] : 0x20
            if b != 0x20 {
                h = FNV1a.step(h, b)
                i += 1
                continue
            }
            if i > start {
                let term = UnsafeRawBufferPointer(rebasing: text[start..<i])
                for index in buckets[Int(h) & (Self.bucketCount - 1)] where entries[index].bytes.elementsEqual(term) {
                    for use in entries[index].uses where (use.typos, use.prefix, field) < best[use.word] {
                        best[use.word] = (use.typos, use.prefix, field)
                    }
                }
                for p in prefixes where term.starts(with: p.bytes) && (0, 1, field) < best[p.word] {
                    best[p.word] = (0, 1, field)
                }
            }
            i += 1
            start = i
            h = FNV1a.basis
        }
    }
}
