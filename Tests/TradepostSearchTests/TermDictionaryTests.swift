import Testing

@testable import TradepostSearch
import TradepostTestSupport

/// The typo walk skips terms by prefix and by letter set; neither shortcut may lose or add a term.
@Suite struct TermDictionaryTests {
    /// Optimal string alignment distance, the plain way: the walk's answer for every term.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// A small alphabet, so that many terms are within one or two edits of each other; Latin and
    /// Cyrillic, with letters that share a letter-set bit ("p" and "а" are both bit 48, "q" and "б" 49).
    @Test func similarFindsExactlyTheTermsWithinTheDistance() {
        // A fixed-seed generator (Knuth's MMIX constants; the high bits), so a failure can be replayed.
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let letters = Array("abpqeабвгдеёі".unicodeScalars)
        func word() -> [Unicode.Scalar] { (0..<(3 + Int(next() % 8))).map { _ in letters[Int(next() % UInt64(letters.count))] } }
        let terms = (0..<2000).map { _ in String(String.UnicodeScalarView(word())) }
        let dictionary = TermDictionary(terms.map { ($0, 1) })
        let unique = Set(terms).map { ($0, Array($0.unicodeScalars)) }
        var compared = 0
        for _ in 0..<200 {
            var query = word()
            // Half the queries are a stored term with one letter made "x" (in no term), so there is something to find.
            if next() % 2 == 0 { query = Array(terms[Int(next() % 2000)].unicodeScalars); query[Int(next() % UInt64(query.count))] = "x" }
            let text = String(String.UnicodeScalarView(query))
            for maxDistance in 1...2 {
                let expected = Set(unique.filter { abs($0.1.count - query.count) <= maxDistance }
                    .filter { (1...maxDistance).contains(Self.distance(query, $0.1)) }.map(\.0))
                let found = dictionary.similar(text, maxDistance: maxDistance, limit: .max)
                #expect(Set(found.map(\.term)) == expected, "\(text) within \(maxDistance)")
                #expect(found.allSatisfy { Self.distance(query, Array($0.term.unicodeScalars)) == $0.distance })
                compared += expected.count
            }
        }
        #expect(compared > 300, "the queries must find terms for the comparison to mean anything")
    }

    @Test func letterSetsBoundTheDistance() {
        let paracetamol = TermDictionary.letterMask("paracetamol".unicodeScalars.map(\.value))
        let typo = TermDictionary.letterMask("parazetamol".unicodeScalars.map(\.value))
        #expect((paracetamol & ~typo).nonzeroBitCount == 1 && (typo & ~paracetamol).nonzeroBitCount == 1)
    }
}
