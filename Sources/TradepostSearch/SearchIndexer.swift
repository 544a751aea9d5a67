import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Keeps `search_docs` / `product_fts` equal to the published products. Idempotent: indexing a
/// product reads its current state, so replaying an outbox event (at-least-once) changes nothing.
public struct SearchIndexer: Sendable {
    let tenants: TenantDatabases
    let cache: TermCache

    /// Brings the given products' documents up to date (added, replaced or removed), in one transaction.
    public func index(_ tenant: TenantID, productIDs: [String]) async throws {
        let added = try await tenants.write(tenant) { db -> [String: Int] in
            var contexts = ContextLoader()
            var memo = TermMemo()
            var added: [String: Int] = [:]
            for id in productIDs {
                guard let product = try Self.product(db, id), product.status == .published else {
                    try Self.remove(db, productID: id)
                    continue
                }
                let document = SearchDocument(product, try contexts.context(db, product), memo: &memo)
                try Self.upsert(db, document)
                for word in Set(document.allTerms.filter(TermCache.isWord)) { added[word, default: 0] += 1 }
            }
            try TermCache.count(db, added)
            return added
        }
        cache.added(tenant, added)
    }

    /// Re-indexes the published products of a category and its subcategories (after a rename, a move, a merge).
    public func index(_ tenant: TenantID, categorySubtree category: String) async throws {
        try await index(tenant, where: """
            category_id IN (WITH RECURSIVE s(id) AS (SELECT ? UNION SELECT c.id FROM categories c JOIN s ON c.parent_id = s.id) SELECT id FROM s)
            """, [category])
    }

    /// Re-indexes a business's products (after a new type or city). With `changedSince` (an
    /// import), only those changed since then, in any status, so those it unpublished leave the index.
    public func index(_ tenant: TenantID, business: String, changedSince: Date? = nil) async throws {
        if let changedSince {
            try await index(tenant, where: "business_id = ? AND updated_at >= ?", [business, changedSince], anyStatus: true)
        } else {
            try await index(tenant, where: "business_id = ?", [business])
        }
    }

    /// Re-indexes the products `clause` picks.
    /// `clause` is SQL: for this module's own fixed conditions only, never for input.
    /// `anyStatus` also visits unpublished products, so those that left the published state leave the index.
    func index(_ tenant: TenantID, where clause: String, _ arguments: StatementArguments, anyStatus: Bool = false) async throws {
        let ids = try await tenants.read(tenant) { db in
            try String.fetchAll(db, sql: "SELECT id FROM products WHERE \(anyStatus ? "" : "status = 'published' AND ")\(clause)", arguments: arguments)
        }
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            try await index(tenant, productIDs: Array(ids[chunk..<min(ids.count, chunk + 500)]))
        }
    }

    /// Rebuilds the whole index of a tenant in one transaction: readers keep the old index until it commits.
    /// `progress` gets (done, total) every 10,000 products. Three threads: a `RebuildReader` reads the
    /// products in docid order, the `DocumentAnalyzer` folds and stems them, and this one appends each
    /// batch's documents to `search_docs` and then, with one INSERT … SELECT, to FTS5 (a statement and
    /// five strings bound per document cost more than reading the batch back from cached pages).
    public func reindex(_ tenant: TenantID, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let count = try await tenants.withPool(tenant) { pool in
            try await pool.write { db -> Int in
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM products WHERE status = 'published'") ?? 0
                // A bigger page cache for this transaction (about 64 MiB, as an import has): documents come
                // in docid order, but their product ids, in the UNIQUE index, come in any order.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                try db.execute(sql: "PRAGMA cache_size = -65536")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)") }
                try db.execute(sql: "DELETE FROM search_docs")
                try db.execute(sql: "INSERT INTO product_fts (product_fts) VALUES ('delete-all')")
                // FTS5 writes its pending terms out as a segment each time they pass `hashsize` (1 MB by
                // default) and merges those segments again and again; with 64 MB for the rebuild a million
                // products make a few large segments (measured: a quarter less time, and a slightly
                // smaller index). Back to the default after: other writes are small.
                try db.execute(sql: "INSERT INTO product_fts (product_fts, rank) VALUES ('hashsize', 67108864)")
                let reader = RebuildReader(pool: pool, analyzer: DocumentAnalyzer())
                defer { reader.stop() }
                let insert = try db.makeStatement(sql: Self.insertSQL)
                let insertTerms = try db.makeStatement(sql: """
                    INSERT INTO product_fts (rowid, name, codes, extra, body, tags)
                    SELECT docid, name, codes, extra, body, tags FROM search_docs WHERE docid BETWEEN ? AND ?
                    """)
                var sequence: Int64 = 0
                var done = 0
                while let batch = try reader.batches.next() {
                    var first: Int64?
                    var last: Int64 = 0
                    for document in batch.wait() {
                        sequence += 1
                        last = SearchDocument.docid(priority: document.priority, sequence: sequence)
                        if first == nil { first = last }
                        try insert.execute(arguments: Self.arguments(document, docid: last))
                        done += 1
                        if done % 10_000 == 0 { progress(done, total) }
                    }
                    if let first { try insertTerms.execute(arguments: [first, last]) }
                }
                try db.execute(sql: "INSERT INTO product_fts (product_fts, rank) VALUES ('hashsize', 1048576)")
                try TermCache.refill(db)
                try Self.setSequence(db, sequence)
                try db.execute(sql: """
                    INSERT INTO settings (key, value) VALUES ('search.generation', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, arguments: [Identifier.make()])
                progress(done, total)
                return done
            }
        }
        cache.invalidate(tenant)
        return count
    }

    // MARK: - Rows

    static let insertSQL = """
        INSERT INTO search_docs (docid, product_id, name, codes, extra, body, tags, brand, category_id, business_id,
                                 in_stock, currency, price_minor, created_at, attributes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func arguments(_ d: SearchDocument, docid: Int64) -> StatementArguments {
        [docid, d.productID, d.name, d.codes, d.extra, d.body, d.tags, d.brand, d.categoryID, d.businessID,
         d.inStock, d.currency, d.priceMinor, Int64((d.createdAt.timeIntervalSince1970 * 1000).rounded()), d.attributes]
    }

    static func upsert(_ db: Database, _ document: SearchDocument) throws {
        let existing = try Int64.fetchOne(db, sql: "SELECT docid FROM search_docs WHERE product_id = ?", arguments: [document.productID])
        // Keep the docid while the priority level is the same, so pages stay stable across edits.
        var docid: Int64
        if let existing, existing >> 40 == SearchDocument.level(priority: document.priority) {
            docid = existing
        } else {
            let sequence = try (Int64.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'search.sequence'") ?? 0) + 1
            try setSequence(db, sequence)
            docid = SearchDocument.docid(priority: document.priority, sequence: sequence)
        }
        if existing != nil { try remove(db, productID: document.productID) }
        try db.execute(sql: insertSQL, arguments: arguments(document, docid: docid))
        try db.execute(sql: "INSERT INTO product_fts (rowid, name, codes, extra, body, tags) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [docid] + document.columns)
    }

    static func remove(_ db: Database, productID: String) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT docid, name, codes, extra, body, tags FROM search_docs WHERE product_id = ?",
                                         arguments: [productID]) else { return }
        try db.execute(sql: """
            INSERT INTO product_fts (product_fts, rowid, name, codes, extra, body, tags) VALUES ('delete', ?, ?, ?, ?, ?, ?)
            """, arguments: [row["docid"], row["name"], row["codes"], row["extra"], row["body"], row["tags"]] as StatementArguments)
        try db.execute(sql: "DELETE FROM search_docs WHERE docid = ?", arguments: [row["docid"] as Int64])
    }

    static func setSequence(_ db: Database, _ value: Int64) throws {
        try db.execute(sql: """
            INSERT INTO settings (key, value) VALUES ('search.sequence', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: [String(value)])
    }

    static func product(_ db: Database, _ id: String) throws -> Product? {
        try Product.fetchOne(db, where: "id = ?", arguments: [id])
    }
}

extension SearchDocument {
    /// Split on the space byte (never inside a UTF-8 sequence), not on Characters: cheaper by far for Cyrillic.
    var allTerms: [String] {
        [name, codes, extra, body].flatMap { $0.utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) } }
    }
}

/// Business and category facts for documents, read once per transaction.
struct ContextLoader {
    var businesses: [String: (type: String, city: String)] = [:]
    var categories: [String: (parent: String?, name: String)]?

    mutating func context(_ db: Database, _ product: Product) throws -> SearchDocument.Context {
        if businesses[product.businessId] == nil, let row = try Row.fetchOne(db, sql: "SELECT type, city FROM businesses WHERE id = ?",
                                                                             arguments: [product.businessId]) {
            businesses[product.businessId] = (row["type"], row["city"])
        }
        if categories == nil {
            categories = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, parent_id, name FROM categories") { categories![row["id"]] = (row["parent_id"], row["name"]) }
        }
        var lineage: [(id: String, name: String)] = []
        var current = product.categoryId
        while let id = current, let node = categories![id], lineage.count < 64 {
            lineage.append((id, node.name))
            current = node.parent
        }
        let business = businesses[product.businessId] ?? ("supplier", "")
        return SearchDocument.Context(businessType: business.type, city: business.city, lineage: lineage)
    }
}
