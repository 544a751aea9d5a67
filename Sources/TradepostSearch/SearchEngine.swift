import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Product search per tenant. Ranking is bounded top-k: documents are stored best-priority-first, so
/// each FTS5 query reads matches in final tie-break order and stops at its LIMIT. Queries run in
/// stages (exact words and completions, then one typo, then two); each stage reads at most `window`
/// matches and ranks them exactly in memory by typos, completions and fields (name before brand/SKU
/// before category/attributes before description), then priority. No query scores every match;
/// when more than `window` documents match, the best-priority `window` of them are ranked.
/// Missing results drop trailing words.
public final class SearchEngine: SearchService {
    let tenants: TenantDatabases
    let cache = TermCache()
    public let indexer: SearchIndexer
    let directory: DirectorySearch

    /// Matches read and ranked exactly in memory per stage, best priority first.
    static let window = 300
    /// Facet counts and totals stop counting here.
    public static let facetScanLimit = 10_000

    public init(tenants: TenantDatabases) {
        self.tenants = tenants
        indexer = SearchIndexer(tenants: tenants, cache: cache)
        directory = DirectorySearch(tenants: tenants)
    }

    public func search(_ caller: Caller, _ request: SearchRequest) async throws -> SearchResult {
        try await search(tenant: try caller.authorize(.catalogRead), request)
    }

    func search(tenant: TenantID, _ request: SearchRequest) async throws -> SearchResult {
        let started = DispatchTime.now().uptimeNanoseconds
        let request = try Self.validated(request)
        let cached = cache.cached(tenant)
        // The dictionary check, ranking, facets and the page's products come from one read transaction:
        // one snapshot, so a product changed in between can neither vanish from the page nor show a
        // state it was not ranked in (and one transaction instead of two per search).
        let (ranked, products, total, exact, facets, terms, plan, loaded) = try await tenants.read(tenant) { db in
            let loaded = try Self.entry(db, cached: cached)
            let plan = QueryPlan(request, entry: loaded ?? cached!)
            var runner = QueryRunner(db: db, plan: plan, request: request)
            let need = request.offset + request.limit + 1
            let ranked = request.sort == .relevance ? try runner.relevance(need: need) : try runner.sorted(need: need)
            var facets: [String: [FacetValue]]?
            if request.facets { facets = try runner.facets() }
            let products = try Self.products(db, docids: Array(ranked.dropFirst(request.offset).prefix(request.limit)))
            return (ranked, products, runner.total, runner.totalExact, facets, runner.plan.matchTerms, plan, loaded)
        }
        if let loaded { cache.store(tenant, loaded) }
        let prefix = request.prefix ? plan.words.last?.text : nil
        let hits = products.map { product in
            SearchHit(product: product, highlight: [
                "name": Highlighter.mark(product.name, terms: terms, prefix: prefix),
                "description": Highlighter.snippet(product.description ?? "", terms: terms, prefix: prefix),
            ])
        }
        let next = ranked.count > request.offset + request.limit && request.offset + request.limit < SearchRequest.maxOffset
            ? "o\(request.offset + request.limit)" : nil
        let took = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        return SearchResult(items: hits, nextCursor: next, total: total, totalExact: exact, facets: facets, tookMs: (took * 100).rounded() / 100)
    }

    public func suggest(_ caller: Caller, _ text: String, limit: Int) async throws -> [Suggestion] {
        let tenant = try caller.authorize(.catalogRead)
        guard !Analyzer.tokens(text).isEmpty else { return [] }
        let result = try await search(tenant: tenant, SearchRequest(query: text, limit: max(1, min(limit, 20)), prefix: true))
        var seen = Set<String>()
        return result.items.compactMap { hit in
            guard seen.insert(hit.product.name.lowercased()).inserted else { return nil }
            return Suggestion(text: hit.product.name, highlight: hit.highlight["name"] ?? hit.product.name, productId: hit.product.id)
        }
    }

    public func businesses(_ caller: Caller, _ filter: BusinessFilter, _ page: PageRequest) async throws -> Page<Business> {
        try await directory.search(try caller.authorize(.businessesRead), filter, page)
    }

    public func vocabulary(_ caller: Caller) async throws -> SearchVocabulary {
        try await vocabulary(tenant: try caller.authorize(.catalogRead))
    }

    func vocabulary(tenant: TenantID) async throws -> SearchVocabulary {
        try await tenants.read(tenant) { db in
            SearchVocabulary(
                synonyms: try String.fetchAll(db, sql: "SELECT words FROM search_synonyms ORDER BY id").map { $0.split(separator: ",").map(String.init) },
                stopWords: try String.fetchAll(db, sql: "SELECT word FROM search_stopwords ORDER BY word"))
        }
    }

    public func setVocabulary(_ caller: Caller, _ vocabulary: SearchVocabulary) async throws -> SearchVocabulary {
        let tenant = try caller.authorize(.catalogSettings)
        let audit = caller.audit
        var v = Validator()
        if vocabulary.synonyms.count > 5000 { v.fail("synonyms", "may hold at most 5000 groups") }
        if vocabulary.stopWords.count > 2000 { v.fail("stop_words", "may hold at most 2000 words") }
        let groups = vocabulary.synonyms.map { group in
            group.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: " ") }.filter { !$0.isEmpty }
        }
        for (i, group) in groups.enumerated() where group.count < 2 || group.contains(where: { $0.count > 60 }) {
            v.fail("synonyms[\(i)]", "needs two or more words of at most 60 characters")
        }
        let stop = Set(vocabulary.stopWords.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
        if stop.contains(where: { $0.count > 40 }) { v.fail("stop_words", "are at most 40 characters each") }
        try v.check()
        try await tenants.write(tenant) { db in
            try db.execute(sql: "DELETE FROM search_synonyms")
            try db.execute(sql: "DELETE FROM search_stopwords")
            for group in groups { try db.execute(sql: "INSERT INTO search_synonyms (words) VALUES (?)", arguments: [group.joined(separator: ",")]) }
            for word in stop { try db.execute(sql: "INSERT INTO search_stopwords (word) VALUES (?)", arguments: [word]) }
            try AuditLog.tenant(db, audit, "search.vocabulary", target: nil, detail: ["synonyms": String(groups.count), "stop_words": String(stop.count)])
        }
        cache.invalidate(tenant)
        return try await self.vocabulary(tenant: tenant)
    }

    // MARK: - Helpers

    /// The tenant's dictionary when `cached` is missing or stale (a rebuild, maybe by the CLI in another
    /// process, changed the generation); nil when `cached` is current.
    static func entry(_ db: Database, cached: TermCache.Entry?) throws -> TermCache.Entry? {
        if let cached, cached.generation == (try TermCache.generation(db)) { return nil }
        return try TermCache.load(db)
    }

    static func validated(_ request: SearchRequest) throws -> SearchRequest {
        var v = Validator()
        if request.query.count > 200 { v.fail("q", "must be at most 200 characters") }
        if request.offset < 0 || request.offset > SearchRequest.maxOffset { v.fail("cursor", "goes at most \(SearchRequest.maxOffset) results deep") }
        if request.limit < 1 || request.limit > 100 { v.fail("limit", "must be from 1 to 100") }
        if let min = request.priceMin, let max = request.priceMax, min > max { v.fail("price_min", "must not exceed price_max") }
        if request.attributes.count > 10 { v.fail("attributes", "at most 10 attribute filters") }
        try v.check()
        return request
    }

    static func products(_ db: Database, docids: [Int64]) throws -> [Product] {
        guard !docids.isEmpty else { return [] }
        // Decoded from the cursor's own rows (see `Product.fetchAll`).
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(Product.selectList(table: "p")), d.docid FROM search_docs d JOIN products p ON p.id = d.product_id
            WHERE d.docid IN (\(databaseQuestionMarks(count: docids.count)))
            """, arguments: StatementArguments(docids))
        let byDoc = Dictionary(uniqueKeysWithValues: try Array(rows.map { ($0[Product.Columns.count] as Int64, Product(row: $0, at: .selected)) }))
        return docids.compactMap { byDoc[$0] }
    }
}
