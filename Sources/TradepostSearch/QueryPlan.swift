import TradepostCore

/// What a query means for the index: its words, each with the terms that may stand for it (the
/// word itself and its synonyms, completions of an unfinished last word, spellings one or two
/// typos away), and the filters as tag terms.
struct QueryPlan {
    struct Alternative: Hashable {
        var term: String
        var typos: Int
        /// A completion of an unfinished word rather than the word itself.
        var prefix: Bool
        /// Matched as an index prefix query (`"12"*`): unfinished codes and numbers.
        var indexPrefix = false
    }

    struct Word {
        var text: String
        var term: String
        var alternatives: [Alternative]
        /// An unfinished word of one or two letters: its completions are the most frequent terms of
        /// all (an OR of a dozen doclists of hundreds of thousands of documents each, the slowest
        /// suggestions by far), so it is not looked up in the index at all: the other words and
        /// filters choose the documents and ranking keeps those with a word that starts with it.
        var inMemoryOnly = false
    }

    /// Unfinished words up to this many letters are matched in memory only (see `Word.inMemoryOnly`).
    static let shortPrefix = 2

    var words: [Word]
    var tags: [String]
    /// The tenant's terms, for the typo alternatives added on demand.
    private let entry: TermCache.Entry
    /// Whether `words` hold their typo alternatives yet (see `includeTypos`).
    private(set) var hasTypos = false

    /// Fields from the most to the least important.
    static let columns = ["name", "codes", "extra", "body"]

    /// Typo budget by word length (letters): none below 5, one from 5, two from 9.
    static func maxTypos(_ word: String) -> Int {
        let n = word.unicodeScalars.count
        return n >= 9 ? 2 : n >= 5 ? 1 : 0
    }

    init(_ request: SearchRequest, entry: TermCache.Entry) {
        var tokens = Analyzer.tokens(request.query)
        let nonStop = tokens.filter { !entry.stopWords.contains($0.term) }
        if !nonStop.isEmpty { tokens = nonStop }
        tokens = Array(tokens.prefix(10))
        let endsWithWord = request.query.unicodeScalars.last.map { Analyzer.fold($0) != nil } ?? false
        words = tokens.enumerated().map { index, token in
            var alternatives = [Alternative(term: token.term, typos: 0, prefix: false)]
            for synonym in entry.synonyms[token.term] ?? [] { alternatives.append(Alternative(term: synonym, typos: 0, prefix: false)) }
            let last = index == tokens.count - 1
            // (Relevance only: a sorted list reads the index's matches as they are.)
            if last && request.prefix && endsWithWord && request.sort == .relevance && token.word.unicodeScalars.count <= Self.shortPrefix
                && !token.word.contains(where: \.isNumber) {
                return Word(text: token.word, term: token.term, alternatives: [Alternative(term: token.word, typos: 0, prefix: true, indexPrefix: true)],
                            inMemoryOnly: true)
            }
            if last && request.prefix && endsWithWord && token.word.contains(where: \.isNumber) {
                alternatives.append(Alternative(term: token.word, typos: 0, prefix: true, indexPrefix: true))
            } else if last && request.prefix && endsWithWord {
                var completions = entry.main.completions(token.word, limit: 12)
                completions += entry.recent.completions(token.word, limit: 4)
                for term in completions where term != token.term { alternatives.append(Alternative(term: term, typos: 0, prefix: true)) }
            }
            var seen = Set<String>()
            alternatives = alternatives.filter { seen.insert($0.term + ($0.indexPrefix ? "*" : "")).inserted }
            return Word(text: token.word, term: token.term, alternatives: alternatives)
        }
        self.entry = entry
        var tags: [String] = []
        if let id = request.categoryID { tags.append(SearchDocument.Tag.category(id)) }
        if let brand = request.brand { tags.append(SearchDocument.Tag.brand(brand)) }
        if let id = request.businessID { tags.append(SearchDocument.Tag.business(id)) }
        if let type = request.businessType { tags.append(SearchDocument.Tag.businessType(type.rawValue)) }
        if let city = request.city { tags.append(SearchDocument.Tag.city(city)) }
        if request.inStock { tags.append(SearchDocument.Tag.inStock) }
        for (key, value) in request.attributes.sorted(by: { $0.key < $1.key }) { tags.append(SearchDocument.Tag.attribute(key, value)) }
        self.tags = tags
    }

    /// Adds the spellings one or two typos away to each word long enough to have them. Done only when
    /// a typo stage must run: the walk over the term dictionary was a third of a query's time, and
    /// most queries fill their page with exact words and completions.
    mutating func includeTypos() {
        guard !hasTypos else { return }
        hasTypos = true
        for index in words.indices {
            let word = words[index]
            let budget = Self.maxTypos(word.text)
            guard budget > 0, !word.term.contains(where: \.isNumber) else { continue }
            // A typo can move a Cyrillic word between the Russian and Ukrainian stemmers (one
            // letter і, ї or є decides), so the typo search starts from both stems.
            var similar: [(term: String, distance: Int)] = []
            for stem in Analyzer.stems(word.text) {
                similar += entry.main.similar(stem, maxDistance: budget, limit: 8) + entry.recent.similar(stem, maxDistance: budget, limit: 4)
                if stem != word.term, entry.main.contains(stem) { similar.append((stem, 1)) }
            }
            var seen = Set(word.alternatives.map { $0.term + ($0.indexPrefix ? "*" : "") })
            for (term, distance) in similar.sorted(by: { $0.distance < $1.distance })
            where term.unicodeScalars.count >= 3 && seen.insert(term).inserted {
                words[index].alternatives.append(Alternative(term: term, typos: distance, prefix: false))
            }
        }
    }

    /// A stage of a query: the first `words` words, each by alternatives within `typos`,
    /// completions only when `prefixes`, in the first `fields` columns.
    struct Bucket: Hashable {
        var words: Int
        var typos: Int
        var prefixes: Bool
        var fields: Int
    }

    /// The FTS5 expression for a bucket, or nil when some word has no term left in it; `everything`
    /// when nothing is left to ask the index (only words matched in memory, no filters).
    func expression(_ bucket: Bucket) -> String? {
        var parts: [String] = []
        let columns = "{" + Self.columns.prefix(bucket.fields).joined(separator: " ") + "}"
        for word in words.prefix(bucket.words) where !word.inMemoryOnly {
            let terms = word.alternatives.filter { $0.typos <= bucket.typos && (bucket.prefixes || !$0.prefix) }.map { "\"\($0.term)\"" + ($0.indexPrefix ? "*" : "") }
            guard !terms.isEmpty else { return nil }
            parts.append("\(columns) : (\(terms.joined(separator: " OR ")))")
        }
        parts += tags.map { "{tags} : \"\($0)\"" }
        return parts.isEmpty ? Self.everything : parts.joined(separator: " AND ")
    }

    /// The expression of a query that asks the index nothing: every document matches.
    static let everything = ""

    /// Whether the index's matches are the query's matches (no word is left to ranking).
    var indexDecides: Bool { !words.contains(where: \.inMemoryOnly) }

    var broadest: Bucket { Bucket(words: words.count, typos: 2, prefixes: true, fields: Self.columns.count) }

    /// Every term that counts as a match of the query (for highlighting): typo spellings only when a
    /// typo stage ran.
    var matchTerms: Set<String> {
        Set(words.flatMap { $0.alternatives.map(\.term) })
    }
}
