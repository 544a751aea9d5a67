import Testing
@testable import TradepostSearch
import TradepostTestSupport

@Suite("Ranking's term matcher")
struct TermMatcherTests {
    typealias Alternative = QueryPlan.Alternative

    static func best(_ words: [QueryPlan.Word], _ fields: [String]) -> [TermMatcher.Score] {
        let matcher = TermMatcher(words[...])
        var best = [TermMatcher.Score](repeating: TermMatcher.unmatched, count: words.count)
        for (field, text) in fields.enumerated() {
            Array(text.utf8).withUnsafeBytes { matcher.scan($0, field: field, into: &best) }
        }
        return best
    }

    @Test func keepsEachWordsBestMatchByTyposThenCompletionThenField() {
        let words = [
            QueryPlan.Word(text: "парацетамол", term: "парацетамол", alternatives: [
                Alternative(term: "парацетамол", typos: 0, prefix: false), Alternative(term: "парацетомол", typos: 1, prefix: false),
            ]),
            QueryPlan.Word(text: "tab", term: "tab", alternatives: [
                Alternative(term: "tab", typos: 0, prefix: false), Alternative(term: "tablet", typos: 0, prefix: true),
            ]),
            QueryPlan.Word(text: "50", term: "50", alternatives: [Alternative(term: "50", typos: 0, prefix: true, indexPrefix: true)]),
        ]
        // name, codes, extra, body: the typo spelling in the name loses to the exact word in the
        // body; a completion in the name loses to the word itself in the description; the number's
        // prefix matches "500" at the very end of a field (no trailing space).
        let best = Self.best(words, ["парацетомол tablet", "", "xtab tabs", "парацетамол tab 500"])
        #expect(best[0] == (0, 0, 3))
        #expect(best[1] == (0, 0, 3))
        #expect(best[2] == (0, 1, 3))
        // Whole terms only: "xtab" and "tabs" are not "tab", and nothing matches in empty text.
        let partial = Self.best(words, ["", "", "xtab tabs", ""])
        #expect(partial[1] == TermMatcher.unmatched)
        #expect(partial[0] == TermMatcher.unmatched)
    }

    @Test func aTermSharedByTwoWordsCountsForBoth() {
        let words = ["крем", "кремовий"].map { QueryPlan.Word(text: $0, term: "крем", alternatives: [Alternative(term: "крем", typos: 0, prefix: false)]) }
        let best = Self.best(words, ["", "крем"])
        #expect(best.allSatisfy { $0 == (0, 0, 1) })
    }
}
