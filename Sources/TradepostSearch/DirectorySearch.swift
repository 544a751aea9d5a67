import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// The business directory's search, with the products' analysis: folding, stemming, synonyms and
/// stop words, typos (one from 5 letters, two from 9) and an unfinished last word. Every word must
/// match; the order is fewer typos, exact words before completions, the field (name › city and
/// address › description), then verified businesses first, then by name.
///
/// A tenant has thousands of businesses, not millions, so there is no index: each tenant's
/// businesses are kept analyzed in memory with their term dictionary and all are scored per query
/// (well under a millisecond for a thousand). They are reloaded when `directory.generation` has
/// changed, which triggers (tenant migration 14) do on every write to the businesses or the
/// vocabulary, whoever makes it: this server, the CLI in another process, or a restore.
public final class DirectorySearch: Sendable {
    struct Entry: Sendable {
        var business: Business
        /// Analyzed name, city and address, description: the stored-term bytes `TermMatcher` scans.
        var fields: [[UInt8]]
        var foldedCity: String
        var sortName: String
    }

    struct Snapshot: Sendable {
        var generation: String
        var entries: [Entry]
        var terms: TermCache.Entry
    }

    let tenants: TenantDatabases
    private let snapshots: TenantLRU<Snapshot>

    public init(tenants: TenantDatabases, capacity: Int = 32) {
        self.tenants = tenants
        snapshots = TenantLRU(capacity: capacity)
    }

    /// Businesses matching every word of `filter.query` and the other filters, best first. Pages
    /// are offsets (the cursor carries the next one). Throws `.invalid` (cursor, query length).
    public func search(_ tenant: TenantID, _ filter: BusinessFilter, _ page: PageRequest) async throws -> Page<Business> {
        let query = filter.query ?? ""
        var v = Validator()
        if query.count > 200 { v.fail("q", "must be at most 200 characters") }
        let offset = page.after.map { $0.hasPrefix("o") ? Int($0.dropFirst()) : nil } ?? 0
        if offset == nil || offset! < 0 { v.fail("cursor", "is not a cursor of this search") }
        try v.check()
        let snapshot = try await self.snapshot(tenant)
        let city = filter.city.map(DatabaseOpener.folded)
        let candidates = snapshot.entries.filter { entry in
            (filter.type == nil || entry.business.type == filter.type) && (filter.verified == nil || entry.business.verified == filter.verified)
                && (city == nil || entry.foldedCity == city)
        }
        let ranked = Self.rank(candidates, query: query, terms: snapshot.terms, need: offset! + page.limit + 1)
        let start = min(offset!, ranked.count)
        let items = Array(ranked[start..<min(ranked.count, start + page.limit)])
        let next = start + page.limit < ranked.count ? Cursor.encode("o\(start + page.limit)") : nil
        return Page(items: items, nextCursor: next)
    }

    /// Every word must match. Like product search, spellings a typo away are tried only when the
    /// exact words and completions do not fill the page (`need`), and then rank after them. A query
    /// without words (punctuation only) matches every business: verified first, then by name.
    static func rank(_ entries: [Entry], query: String, terms: TermCache.Entry, need: Int) -> [Business] {
        var plan = QueryPlan(SearchRequest(query: query, prefix: true), entry: terms)
        var ranked = score(entries, plan)
        if ranked.count < need {
            plan.includeTypos()
            let seen = Set(ranked.map(\.business.id))
            ranked += score(entries.filter { !seen.contains($0.business.id) }, plan)
        }
        return ranked.map(\.business)
    }

    /// The entries that match every word of the plan, best first.
    private static func score(_ entries: [Entry], _ plan: QueryPlan) -> [Entry] {
        let matcher = TermMatcher(plan.words[...])
        var best = [TermMatcher.Score](repeating: TermMatcher.unmatched, count: plan.words.count)
        var scored: [(key: (Int, Int, Int, Int), entry: Entry)] = []
        for entry in entries {
            for i in best.indices { best[i] = TermMatcher.unmatched }
            for (field, bytes) in entry.fields.enumerated() {
                bytes.withUnsafeBytes { matcher.scan($0, field: field, into: &best) }
            }
            guard !best.contains(where: { $0 == TermMatcher.unmatched }) else { continue }
            let key = best.reduce((0, 0, 0)) { ($0.0 + $1.typos, $0.1 + $1.prefix, $0.2 + $1.field) }
            scored.append(((key.0, key.1, key.2, entry.business.verified ? 0 : 1), entry))
        }
        return scored.sorted { ($0.key.0, $0.key.1, $0.key.2, $0.key.3, $0.entry.sortName, $0.entry.business.id)
            < ($1.key.0, $1.key.1, $1.key.2, $1.key.3, $1.entry.sortName, $1.entry.business.id) }.map(\.entry)
    }

    /// The tenant's businesses as of its current generation: the kept ones, or freshly loaded.
    private func snapshot(_ tenant: TenantID) async throws -> Snapshot {
        let cached = snapshots.get(tenant)
        let snapshot = try await tenants.read(tenant) { db -> Snapshot in
            let generation = try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'directory.generation'") ?? ""
            if let cached, cached.generation == generation, !generation.isEmpty { return cached }
            return try Self.load(db, generation: generation)
        }
        snapshots.put(tenant, snapshot)
        return snapshot
    }

    static func load(_ db: Database, generation: String) throws -> Snapshot {
        var memo = TermMemo(limit: 20_000)
        var counts: [String: Int] = [:]
        var entries: [Entry] = []
        for row in try Row.fetchAll(db, sql: "SELECT * FROM businesses") {
            let business = Business(row: row)
            let fields = [business.name, [business.city, business.address ?? ""].joined(separator: " "), business.description ?? ""]
                .map { Analyzer.indexText($0, memo: &memo) }
            for term in Set(fields.flatMap { $0.split(separator: " ").map(String.init) }) where TermCache.isWord(term) {
                counts[term, default: 0] += 1
            }
            entries.append(Entry(business: business, fields: fields.map { Array($0.utf8) }, foldedCity: DatabaseOpener.folded(business.city),
                                 sortName: DatabaseOpener.folded(business.name)))
        }
        let (synonyms, stopWords) = try TermCache.vocabulary(db)
        let terms = TermCache.Entry(main: TermDictionary(counts.map { ($0.key, $0.value) }), recent: TermDictionary([]), pending: [:],
                                    synonyms: synonyms, stopWords: stopWords, generation: generation)
        return Snapshot(generation: generation, entries: entries, terms: terms)
    }
}
