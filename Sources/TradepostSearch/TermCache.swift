import Foundation
import GRDB
import TradepostCore

/// Per-tenant search state kept in memory: the term dictionary (for typos and prefixes), synonyms and
/// stop words. Loaded on first use, at most `capacity` tenants at a time (least recently used go).
/// Terms the indexer adds go to a small `recent` dictionary, merged into the big one only now and then,
/// so a steady trickle of edits never re-sorts a large dictionary per query.
final class TermCache: Sendable {
    struct Entry: Sendable {
        var main: TermDictionary
        var recent: TermDictionary
        var pending: [String: Int]
        var synonyms: [String: [String]]
        var stopWords: Set<String>
        /// Changed by every full rebuild, also one run by the CLI in another process.
        var generation: String
    }

    private let entries: TenantLRU<Entry>

    init(capacity: Int = 32) {
        entries = TenantLRU(capacity: capacity)
    }

    func added(_ tenant: TenantID, _ terms: [String: Int]) {
        guard !terms.isEmpty else { return }
        entries.update(tenant) { entry in
            for (term, count) in terms where Self.isWord(term) { entry.pending[term, default: 0] += count }
            if entry.pending.count > 5000 {
                entry.main.merge(entry.pending)
                entry.pending = [:]
                entry.recent = TermDictionary([])
            } else {
                entry.recent = TermDictionary(entry.pending.map { ($0.key, $0.value) })
            }
        }
    }

    func invalidate(_ tenant: TenantID) {
        entries.remove(tenant)
    }

    func cached(_ tenant: TenantID) -> Entry? {
        entries.get(tenant)
    }

    func store(_ tenant: TenantID, _ entry: Entry) {
        entries.put(tenant, entry)
    }

    /// Only words go into the dictionary: no filter tags, and no codes or numbers (SKUs alone would
    /// add a term per product); those match exactly or, while typed, by an index prefix query.
    static func isWord(_ term: String) -> Bool {
        !term.hasPrefix(SearchDocument.tagPrefix) && !term.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func generation(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'search.generation'") ?? ""
    }

    /// Refills `search_terms` from the index itself (after a full rebuild): one scan of the whole
    /// index, paid by the rebuild instead of by every first search. The filter is `isWord` in SQL.
    static func refill(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM search_terms")
        try db.execute(sql: """
            INSERT INTO search_terms (term, docs)
            SELECT term, doc FROM product_vocab WHERE term NOT GLOB '\(SearchDocument.tagPrefix)*' AND term NOT GLOB '*[0-9]*'
            """)
    }

    /// Adds newly indexed documents' words: each word with how many of the documents hold it, one
    /// row write per word and batch. Counts only grow between rebuilds: a word whose last document
    /// left stays a candidate that matches nothing until the next rebuild.
    static func count(_ db: Database, _ documents: [String: Int]) throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO search_terms (term, docs) VALUES (?, ?) ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs
            """)
        for (word, count) in documents { try upsert.execute(arguments: [word, count]) }
    }

    static func load(_ db: Database) throws -> Entry {
        var terms: [(String, Int)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT term, docs FROM search_terms")
        while let row = try rows.next() {
            terms.append((row[0], row[1]))
        }
        let (synonyms, stopWords) = try vocabulary(db)
        return Entry(main: TermDictionary(terms), recent: TermDictionary([]), pending: [:], synonyms: synonyms, stopWords: stopWords,
                     generation: try generation(db))
    }

    /// The tenant's synonyms (each term → the terms it stands with) and stop words, analyzed.
    static func vocabulary(_ db: Database) throws -> (synonyms: [String: [String]], stopWords: Set<String>) {
        var synonyms: [String: [String]] = [:]
        for words in try String.fetchAll(db, sql: "SELECT words FROM search_synonyms") {
            let group = Array(Set(words.split(separator: ",").flatMap { Analyzer.terms(String($0)) }))
            for term in group { synonyms[term, default: []].append(contentsOf: group.filter { $0 != term }) }
        }
        let stopWords = Set(try String.fetchAll(db, sql: "SELECT word FROM search_stopwords").flatMap { Analyzer.terms($0) })
        return (synonyms, stopWords)
    }
}
