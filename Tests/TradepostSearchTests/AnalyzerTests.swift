import Testing
@testable import TradepostSearch
import TradepostTestSupport

@Suite("Analyzer, stemmers and the term dictionary")
struct AnalyzerTests {
    @Test(arguments: [
        ("Ёлка ЁЖИК", ["елк", "ежик"]),
        ("Café CRÈME", ["cafe", "creme"]),
        ("Парацетамол 500mg", ["парацетамол", "500", "mg"]),
        ("м'ята перцева", ["мят", "перцев"]),
        ("AB-1234", ["ab", "1234"]),
    ])
    func foldsSplitsAndStems(_ text: String, _ expected: [String]) {
        #expect(Analyzer.terms(text) == expected)
    }

    @Test func inflectionsMeet() {
        let groups = [
            // (Snowball leaves fleeting vowels: "таблеток" stems apart and is reached as one typo.)
            ["таблетки", "таблетка", "таблетками"],
            ["tablets", "tablet"],
            ["coated", "coating", "coat"],
            ["обезболивающие", "обезболивающий", "обезболивающая"],
            ["знеболювальні", "знеболювальний", "знеболювальна"],
        ]
        for group in groups {
            let stems = Set(group.flatMap { Analyzer.terms($0) })
            #expect(stems.count == 1, "\(group) → \(group.flatMap { Analyzer.terms($0) })")
        }
    }

    /// Indexing cuts text at ASCII separators and remembers each piece's terms: the result must be
    /// the analyzer's own, for every kind of piece, the first time and from the memo.
    @Test func indexTextIsTheAnalyzersTermsWithOrWithoutTheMemo() {
        let texts = [
            "Парацетамол 500mg, таблетки №20 (блістер)", "м'ята перцева; don't", "'quoted' `tick` ’curly’ apostrophes",
            "Cafe\u{301} cre\u{300}me — ÉCLAIR", "ТАБЛЕТКИ таблетки Таблетки", "AB-1234/x 12.5% x2",
            String(repeating: "щ", count: 70) + " end", "  leading and trailing  ", "", "!!!", "Київ, Львів. Одеса!",
            "e\u{301}\u{301}tude", "ﬁ ligature",
        ]
        // A full memo (every piece kept) and one that stops growing after five pieces.
        for var memo in [TermMemo(), TermMemo(limit: 5)] {
            for round in 0..<2 {
                for text in texts {
                    #expect(Analyzer.indexText(text, memo: &memo) == Analyzer.terms(text).joined(separator: " "), "round \(round): \(text)")
                }
            }
        }
    }

    @Test func codesFoldToOneTerm() {
        #expect(Analyzer.code("AB-12/3") == "ab123")
    }

    @Test func highlightsEscapeEverythingElse() {
        let marked = Highlighter.mark("<b>Paracetamol</b> & co", terms: ["paracetamol"], prefix: nil)
        #expect(marked == "&lt;b&gt;<mark>Paracetamol</mark>&lt;/b&gt; &amp; co")
        #expect(Highlighter.mark("Ибупрофен форте", terms: [], prefix: "ибу") == "<mark>Ибупрофен</mark> форте")
    }

    @Test func dictionaryFindsTyposByDistanceAndCompletions() {
        let dictionary = TermDictionary([("paracetamol", 50), ("paracetamoll", 1), ("ibuprofen", 30), ("aspirin", 20), ("asprin", 1),
                                         ("parabens", 3), ("zinc", 9)])
        #expect(dictionary.similar("paracetomol", maxDistance: 1, limit: 5).map(\.term) == ["paracetamol"])
        #expect(dictionary.similar("paracetomoll", maxDistance: 2, limit: 5).map(\.term) == ["paracetamoll", "paracetamol"])
        #expect(dictionary.similar("aspirni", maxDistance: 1, limit: 5).map(\.term) == ["aspirin"], "a swap is one typo")
        #expect(dictionary.similar("ibuprofen", maxDistance: 1, limit: 5).isEmpty, "the word itself is not a typo")
        #expect(dictionary.completions("para", limit: 2) == ["paracetamol", "parabens"])
        #expect(dictionary.contains("zinc") && !dictionary.contains("zin"))
    }
}
