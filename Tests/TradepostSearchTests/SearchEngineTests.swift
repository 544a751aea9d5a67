import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostSearch
@testable import TradepostStore
import TradepostTestSupport

@Suite("Search engine over a real tenant database")
struct SearchEngineTests {
    struct Fixture {
        let store: Store
        let engine: SearchEngine
        let tenant: TenantID
        var ids: [String: String] = [:]
        let pharmacy: Business
        let wholesaler: Business
        let painkillers: TradepostCore.Category
    }

    static func fixture() async throws -> Fixture {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let pharmacy = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Apteka", type: .pharmacy, city: "Kyiv"))
        let wholesaler = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Opt", type: .wholesaler, city: "Lviv"))
        let medicine = try await store.categories.createCategory(.system(tenant.id), name: "Medicine", parentID: nil)
        let painkillers = try await store.categories.createCategory(.system(tenant.id), name: "Painkillers", parentID: medicine.id)
        var fixture = Fixture(store: store, engine: SearchEngine(tenants: store.tenantDatabases), tenant: tenant.id, pharmacy: pharmacy,
                              wholesaler: wholesaler, painkillers: painkillers)
        let rows: [(String, String, String?, String, String, Business, Bool, Int)] = [
            ("P-1", "Парацетамол таблетки 500 мг", "Darnitsa", "Жаропонижающее и обезболивающее средство", "25.00", pharmacy, true, 0),
            ("P-2", "Ибупрофен 200 мг", "Farmak", "Обезболивающее при головной боли. Не содержит парацетамол", "40.00", pharmacy, true, 0),
            ("P-3", "Paracetamol tablets 500mg", "Bayer", "Pain relief tablets", "30.00", wholesaler, false, 0),
            ("P-4", "Vitamin C", "Paracetamol Labs", "Immune support", "15.00", wholesaler, true, 0),
            ("P-5", "Aspirin Cardio", "Bayer", "Low dose aspirin, not paracetamol", "55.00", wholesaler, true, 900),
            ("P-6", "Знеболювальні таблетки", "Darnitsa", "Таблетки від болю", "20.00", pharmacy, true, 0),
        ]
        for (sku, name, brand, description, price, business, inStock, priority) in rows {
            var input = ProductInput()
            input.sku = sku
            input.name = name
            input.brand = .some(brand)
            input.description = .some(description)
            input.currency = "UAH"
            input.price = price
            input.stockQuantity = inStock ? 10 : 0
            input.status = .published
            input.priority = priority
            input.categoryId = .some(sku == "P-4" ? nil : painkillers.id)
            let product = try await store.products.createProduct(.system(tenant.id), businessID: business.id, input)
            fixture.ids[sku] = product.id
        }
        _ = try await fixture.engine.indexer.reindex(tenant.id)
        return fixture
    }

    func skus(_ f: Fixture, _ request: SearchRequest) async throws -> [String] {
        let bySKU = Dictionary(uniqueKeysWithValues: f.ids.map { ($1, $0) })
        return try await f.engine.search(.system(f.tenant), request).items.map { bySKU[$0.product.id]! }
    }

    /// The engine decides who may search and who may change the vocabulary, not the routes.
    @Test func theCallerDecidesWhatTheEngineDoes() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        let tenant = try await f.store.tenants.tenant(id: f.tenant)
        let member = try await f.store.users.createUser(.system(f.tenant), NewUser(email: "m@acme.test", name: "M", password: "member-password"))
        let buyer = caller(tenant, member.user)
        #expect(try await f.engine.search(buyer, SearchRequest(query: "paracetamol", prefix: false)).total ?? 0 > 0)
        #expect(try await f.engine.vocabulary(buyer).synonyms.isEmpty)
        let refused = await #expect(throws: AppError.self) {
            try await f.engine.setVocabulary(buyer, SearchVocabulary(synonyms: [["a", "b"]], stopWords: []))
        }
        #expect(refused?.code == .forbidden)
        let owner = try await f.store.users.users(.system(f.tenant), PageRequest(limit: 10), filter: UserFilter()).items.first { $0.role == .owner }!
        let readOnly = await #expect(throws: AppError.self) {  // an owner's read-only token
            try await f.engine.setVocabulary(caller(tenant, owner, scopes: [.read]), SearchVocabulary(synonyms: [["a", "b"]], stopWords: []))
        }
        #expect(readOnly?.code == .forbidden)
        #expect(try await f.engine.vocabulary(.system(f.tenant)).synonyms.isEmpty)
        let changed = try await f.engine.setVocabulary(caller(tenant, owner), SearchVocabulary(synonyms: [["a", "b"]], stopWords: []))
        #expect(changed.synonyms == [["a", "b"]])
    }

    @Test func ranksNameMatchesBeforeBrandBeforeDescriptionThenPriority() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        let found = try await skus(f, SearchRequest(query: "paracetamol", prefix: false))
        #expect(found.first == "P-3", "the name match first: \(found)")
        #expect(found.firstIndex(of: "P-4")! < found.firstIndex(of: "P-5")!, "brand before description: \(found)")
        let cyrillic = try await skus(f, SearchRequest(query: "парацетамол", prefix: false))
        #expect(cyrillic == ["P-1", "P-2"])
    }

    @Test func findsInflectionsTyposAndPrefixes() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        #expect(try await skus(f, SearchRequest(query: "таблетками", prefix: false)).first == "P-1")
        #expect(try await skus(f, SearchRequest(query: "парацетомол", prefix: false)).first == "P-1", "one typo in a long word")
        #expect(try await skus(f, SearchRequest(query: "ibuprfoen", prefix: false)).isEmpty, "a Latin typo does not reach a Cyrillic word")
        #expect(try await skus(f, SearchRequest(query: "ибупрфоен", prefix: false)) == ["P-2"], "a swap is one typo")
        // Typo spellings are looked up only when a typo stage runs; a search sorted by price needs them at once.
        let exact = try await skus(f, SearchRequest(query: "парацетамол", sort: .priceAsc, prefix: false))
        #expect(!exact.isEmpty)
        #expect(try await skus(f, SearchRequest(query: "парацетомол", sort: .priceAsc, prefix: false)) == exact, "typos in a search sorted by price")
        #expect(try await skus(f, SearchRequest(query: "ибупро")) == ["P-2"], "prefix of the last word")
        #expect(try await skus(f, SearchRequest(query: "vitamn c", prefix: false)) == ["P-4"])
        #expect(try await skus(f, SearchRequest(query: "bayr", prefix: false)).isEmpty, "no typos under five letters")
        #expect(try await skus(f, SearchRequest(query: "знеболювальна")) == ["P-6"])
        #expect(try await skus(f, SearchRequest(query: "P-5")).first == "P-5", "codes: the exact number before its completions")
        #expect(try await skus(f, SearchRequest(query: "ЁЖИК", prefix: false)).isEmpty)
    }

    /// A one- or two-letter unfinished word is not looked up in the index: the rest of the query picks
    /// the documents and only those with a word starting with it are kept, counted and ranked first
    /// (then, as for any word nothing matches, the query without it).
    @Test func anUnfinishedShortWordNarrowsInMemory() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        let result = try await f.engine.search(.system(f.tenant), SearchRequest(query: "таблетки з"))
        #expect(result.items.map(\.product.sku) == ["P-6", "P-1"])
        #expect(result.total == 1 && result.totalExact, "only P-6 matches every word")
        let other = try await f.engine.search(.system(f.tenant), SearchRequest(query: "таблетки ж"))
        #expect(other.items.first?.product.sku == "P-1" && other.total == 1, "a word of the description counts too")
        #expect(try await skus(f, SearchRequest(query: "tablets p")) == ["P-3"])
        #expect(try await skus(f, SearchRequest(query: "im")) == ["P-4"], "alone, it keeps the documents with such a word")
        let none = try await f.engine.search(.system(f.tenant), SearchRequest(query: "таблетки щ"))
        #expect(none.total == 0 && Set(none.items.map(\.product.sku)) == ["P-1", "P-6"])
        let suggestions = try await f.engine.suggest(.system(f.tenant), "таблетки з", limit: 8)
        #expect(suggestions.first?.text == "Знеболювальні таблетки")
    }

    @Test func filtersFacetsSortsAndPages() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        #expect(Set(try await skus(f, SearchRequest(query: "", categoryID: f.painkillers.id))) == ["P-1", "P-2", "P-3", "P-5", "P-6"])
        #expect(Set(try await skus(f, SearchRequest(query: "paracetamol", businessType: .wholesaler, inStock: true, prefix: false))) == ["P-4", "P-5"])
        #expect(try await skus(f, SearchRequest(query: "", brand: "bayer", sort: .priceAsc)) == ["P-3", "P-5"])
        #expect(try await skus(f, SearchRequest(query: "", city: "KYIV", priceMin: 2100, priceMax: 4000, sort: .priceDesc)) == ["P-2", "P-1"])
        let result = try await f.engine.search(.system(f.tenant), SearchRequest(query: "", facets: true))
        #expect(result.total == 6 && result.totalExact)
        let categories = Dictionary(uniqueKeysWithValues: result.facets!["category"]!.map { ($0.label!, $0.count) })
        #expect(categories == ["Medicine": 5, "Painkillers": 5])
        // Type and city are counted through each document's business.
        #expect(result.facets!["business_type"] == [FacetValue(value: "pharmacy", count: 3), FacetValue(value: "wholesaler", count: 3)])
        #expect(result.facets!["city"] == [FacetValue(value: "Kyiv", count: 3), FacetValue(value: "Lviv", count: 3)])
        let lviv = try await f.engine.search(.system(f.tenant), SearchRequest(query: "paracetamol", facets: true, prefix: false))
        #expect(lviv.facets!["city"] == [FacetValue(value: "Lviv", count: 3)] && lviv.facets!["business_type"] == [FacetValue(value: "wholesaler", count: 3)])
        #expect(lviv.facets!["business"]?.first == FacetValue(value: f.wholesaler.id, label: "Opt", count: 3))
        #expect(result.facets!["brand"]!.first == FacetValue(value: "Bayer", count: 2) || result.facets!["brand"]!.first == FacetValue(value: "Darnitsa", count: 2))
        let first = try await f.engine.search(.system(f.tenant), SearchRequest(query: "", limit: 4))
        #expect(first.items.count == 4 && first.nextCursor == "o4")
        #expect(first.items.first?.product.sku == "P-5", "priority orders equally relevant results")
        let second = try await f.engine.search(.system(f.tenant), SearchRequest(query: "", offset: 4, limit: 4))
        #expect(second.items.count == 2 && second.nextCursor == nil)
        #expect(Set(first.items.map(\.product.id)).isDisjoint(with: second.items.map(\.product.id)))
    }

    @Test func attributesAreCountedAndEachCountedValueFilters() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        for (sku, form, strength) in [("P-1", "tablet", "500"), ("P-2", "tablet", "200"), ("P-3", "film coated tablet", "500")] {
            var change = ProductInput()
            change.attributes = ["dosage_form": .text(form), "strength_mg": .number(strength)]
            _ = try await f.store.products.updateProduct(.system(f.tenant), id: f.ids[sku]!, change)
        }
        try await f.engine.indexer.index(f.tenant, productIDs: ["P-1", "P-2", "P-3"].map { f.ids[$0]! })
        let result = try await f.engine.search(.system(f.tenant), SearchRequest(query: "", facets: true))
        #expect(result.facets!["attr.dosage_form"] == [FacetValue(value: "tablet", count: 2), FacetValue(value: "film coated tablet", count: 1)])
        #expect(result.facets!["attr.strength_mg"] == [FacetValue(value: "500", count: 2), FacetValue(value: "200", count: 1)])
        // A counted value, sent back as a filter, selects exactly its count; the counts follow the query.
        for value in result.facets!["attr.dosage_form"]! {
            let filtered = try await f.engine.search(.system(f.tenant), SearchRequest(query: "", attributes: ["dosage_form": value.value], facets: true))
            #expect(filtered.total == value.count)
        }
        let narrowed = try await f.engine.search(.system(f.tenant), SearchRequest(query: "paracetamol", facets: true, prefix: false))
        #expect(narrowed.facets!["attr.dosage_form"] == [FacetValue(value: "film coated tablet", count: 1)], "P-3 is the one Latin paracetamol with attributes")
        // A full rebuild keeps them.
        _ = try await f.engine.indexer.reindex(f.tenant)
        let rebuilt = try await f.engine.search(.system(f.tenant), SearchRequest(query: "", facets: true))
        #expect(rebuilt.facets!["attr.strength_mg"] == result.facets!["attr.strength_mg"])
    }

    @Test func synonymsStopWordsAndIncrementalIndexing() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        _ = try await f.engine.setVocabulary(.system(f.tenant), SearchVocabulary(synonyms: [["ацетаминофен", "парацетамол"]], stopWords: ["для"]))
        #expect(try await skus(f, SearchRequest(query: "ацетаминофен для", prefix: false)) == ["P-1", "P-2"])

        // A change reaches the index when the indexer runs for it (the jobs engine does this from the outbox).
        var change = ProductInput()
        change.name = "Цитрамон"
        _ = try await f.store.products.updateProduct(.system(f.tenant), id: f.ids["P-1"]!, change)
        try await f.engine.indexer.index(f.tenant, productIDs: [f.ids["P-1"]!])
        #expect(try await skus(f, SearchRequest(query: "цитрамон", prefix: false)) == ["P-1"])
        #expect(try await skus(f, SearchRequest(query: "цитрамн", prefix: false)) == ["P-1"], "a missing letter is one typo, also for terms indexed since the dictionary loaded")
        var archive = ProductInput()
        archive.status = .archived
        _ = try await f.store.products.updateProduct(.system(f.tenant), id: f.ids["P-1"]!, archive)
        try await f.engine.indexer.index(f.tenant, productIDs: [f.ids["P-1"]!])
        #expect(try await skus(f, SearchRequest(query: "цитрамон", prefix: false)).isEmpty, "unpublished products leave the index")
        let suggestions = try await f.engine.suggest(.system(f.tenant), "ибу", limit: 5)
        #expect(suggestions.map(\.text) == ["Ибупрофен 200 мг"] && suggestions[0].highlight.hasPrefix("<mark>Ибупрофен</mark>"))
    }

    /// The typo and completion dictionary is the `search_terms` table: a full rebuild fills it with the
    /// index's words and their document counts, indexing adds words, and a fresh engine (a restart)
    /// finds typos of words indexed after the rebuild.
    @Test func theDictionaryIsStoredBesideTheIndex() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        let stored = try await f.store.tenantDatabases.read(f.tenant) { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT term, docs FROM search_terms").map { ($0[0] as String, $0[1] as Int) })
        }
        let vocab = try await f.store.tenantDatabases.read(f.tenant) { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT term, doc FROM product_vocab").map { ($0[0] as String, $0[1] as Int) })
        }
        #expect(stored == vocab.filter { TermCache.isWord($0.key) } && !stored.isEmpty, "a rebuild stores every word with its document count")
        #expect(stored.keys.allSatisfy(TermCache.isWord), "no tags and no codes")

        var input = ProductInput()
        input.sku = "P-7"
        input.name = "Цитрамон форте"
        input.currency = "UAH"
        input.price = "12.00"
        input.status = .published
        let product = try await f.store.products.createProduct(.system(f.tenant), businessID: f.pharmacy.id, input)
        try await f.engine.indexer.index(f.tenant, productIDs: [product.id])
        try await f.engine.indexer.index(f.tenant, productIDs: [product.id])
        let counted = try await f.store.tenantDatabases.read(f.tenant) { db in
            try Int.fetchOne(db, sql: "SELECT docs FROM search_terms WHERE term = 'цитрамон'")
        }
        #expect(counted == 2, "each indexing of a document counts its words once (counts only grow between rebuilds)")
        let restarted = SearchEngine(tenants: f.store.tenantDatabases)
        let found = try await restarted.search(.system(f.tenant), SearchRequest(query: "цитрамн", prefix: false)).items.map(\.product.id)
        #expect(found == [product.id], "a fresh dictionary knows words indexed since the rebuild")
    }

    /// A full rebuild reads products in docid order on its own connection and appends them: with
    /// more products than a batch and mixed priorities, docids follow (priority, insertion order),
    /// FTS5 holds every document and its own integrity check agrees with them, and the last batch's
    /// words (still in FTS5's memory when the dictionary is refilled) are in `search_terms`.
    @Test func aRebuildAppendsInDocidOrderAcrossBatches() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        let priorities = [0, 1000, 7, 0, 1500, -3, 7]
        try await f.store.tenantDatabases.write(f.tenant) { db in
            for i in 0..<2_345 {
                try db.execute(sql: """
                    INSERT INTO products (id, business_id, sku, name, unit, pack_size, min_order_quantity, order_multiple, currency,
                        price_minor, availability, status, priority, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'pcs', 1, 1, 1, 'UAH', 100, 'in_stock', ?, ?, '2026-01-01', '2026-01-01')
                    """, arguments: [String(format: "BULK%06d", i), f.pharmacy.id, "B-\(i)", i == 2_344 ? "Зеленка останнякова" : "Bulk \(i)",
                                     i % 5 == 3 ? "draft" : "published", priorities[i % priorities.count]])
            }
        }
        let indexed = try await f.engine.indexer.reindex(f.tenant)
        #expect(indexed == 6 + 2_345 - 469)
        let lastTerm = Analyzer.terms("останнякова")[0]
        let everyBusiness = [f.pharmacy.id, f.wholesaler.id].map { "\"\(SearchDocument.Tag.business($0))\"" }.joined(separator: " OR ")
        let (docs, ordered, expected, inIndex, lastWord) = try await f.store.tenantDatabases.read(f.tenant) { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM search_docs"),
             try String.fetchAll(db, sql: "SELECT product_id FROM search_docs ORDER BY docid"),
             try String.fetchAll(db, sql: "SELECT id FROM products WHERE status = 'published' ORDER BY 1000 - max(0, min(1000, priority)), rowid"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM product_fts WHERE product_fts MATCH ?", arguments: ["{tags} : (\(everyBusiness))"]),
             try Int.fetchOne(db, sql: "SELECT docs FROM search_terms WHERE term = ?", arguments: [lastTerm]))
        }
        #expect(docs == indexed && inIndex == indexed)
        #expect(ordered == expected, "docid order is priority (clamped to 0…1000), then insertion order")
        try await f.store.tenantDatabases.write(f.tenant) { db in
            try db.execute(sql: "INSERT INTO product_fts (product_fts) VALUES ('integrity-check')")
        }
        #expect(lastWord == 1, "the last product's words are counted")
        let hit = try await f.engine.search(.system(f.tenant), SearchRequest(query: "зеленка", prefix: false))
        #expect(hit.items.map(\.product.sku) == ["B-2344"])
    }
}
