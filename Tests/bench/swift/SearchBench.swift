import Foundation
import GRDB
import TradepostCore
import TradepostSearch
import TradepostStore

/// Search benchmark, the Tradepost side (Tests/bench/search_bench.py drives it and the peers):
/// loads the generated catalog into a tenant, builds the index, runs the queries through
/// `SearchEngine.search` — the API's own code path — and prints one JSON line of figures.
enum SearchBench {
    static func run(dir: String, products: String, queries: String) async throws {
        // SEARCH_REUSE=1 keeps a catalog and index built by an earlier run (for measuring query changes);
        // SEARCH_REUSE=rebuild keeps the catalog and builds the index again (for measuring build changes).
        let saved = (dir as NSString).appendingPathComponent("build.json")
        let reuse = ProcessInfo.processInfo.environment["SEARCH_REUSE"]
        if reuse == "1" || reuse == "rebuild",
           let data = FileManager.default.contents(atPath: saved),
           let built = try JSONSerialization.jsonObject(with: data) as? [String: Double] {
            let store = try await Store(Store.Options(dataDir: dir, hasher: BcryptHasher(cost: 4)))
            let tenant = try await store.tenants.tenant(slug: "bench").id
            if reuse == "rebuild" {
                // Emptied first, outside the timing: the full run builds into an empty index.
                try await store.tenantDatabases.write(tenant) { db in
                    try db.execute(sql: "DELETE FROM search_docs")
                    try db.execute(sql: "INSERT INTO product_fts (product_fts) VALUES ('delete-all')")
                }
                try await store.tenantDatabases.withPool(tenant) { pool in try await pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
                return try await index(store, tenant, queries: queries, saved: saved)
            }
            return try await measure(store, tenant, queries: queries, count: Int(built["products"]!), build: built["build_s"]!, size: Int64(built["size"]!))
        }
        try? FileManager.default.removeItem(atPath: dir)
        let store = try await Store(Store.Options(dataDir: dir, hasher: BcryptHasher(cost: 4)))
        let tenant = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "bench", name: "Bench")).id
        let cities = (0..<100).map { "City \($0)" }
        let types = BusinessType.allCases
        let loadStart = now()
        try await store.tenantDatabases.write(tenant) { db in
            for b in 0..<500 {
                try db.execute(sql: "INSERT INTO businesses (id, name, type, city, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [businessID(b), "Business \(b)", types[b % types.count].rawValue, cities[b % 100], Date(), Date()])
            }
            for c in 0..<300 {
                try db.execute(sql: "INSERT INTO categories (id, parent_id, name, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [categoryID(c), c < 30 ? nil : categoryID(c % 30), "Category \(c)", Date()])
            }
            let insert = try db.makeStatement(sql: """
                INSERT INTO products (id, business_id, sku, name, brand, category_id, description, unit, pack_size, min_order_quantity,
                    order_multiple, currency, price_minor, stock_quantity, availability, status, priority, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pcs', 1, 1, 1, 'UAH', ?, ?, ?, 'published', ?, ?, ?)
                """)
            let created = Date()
            try forEachLine(products) { fields in
                let i = Int(fields[0])!
                let stock = Int64(fields[7])!
                try insert.execute(arguments: [productID(i), businessID(Int(fields[1])!), fields[2], fields[3], fields[4],
                                               categoryID(Int(fields[5])!), fields[8], Int64(fields[6])!, stock,
                                               stock > 0 ? "in_stock" : "out_of_stock", Int(fields[9])!, created, created])
            }
        }
        FileHandle.standardError.write(Data(String(format: "loaded the catalog in %.0f s\n", now() - loadStart).utf8))
        try await index(store, tenant, queries: queries, saved: saved)
    }

    /// Builds the index of the loaded catalog, measures its size, then the queries.
    static func index(_ store: Store, _ tenant: TenantID, queries: String, saved: String) async throws {
        let engine = SearchEngine(tenants: store.tenantDatabases)
        let loadStart = now()
        let count = try await engine.indexer.reindex(tenant) { done, total in
            if done % 100_000 == 0 { FileHandle.standardError.write(Data("\rindexing \(done)/\(total)".utf8)) }
        }
        let build = now() - loadStart
        FileHandle.standardError.write(Data(String(format: "\nindexed %d products in %.1f s\n", count, build).utf8))
        let size = try await store.tenantDatabases.withPool(tenant) { pool in
            try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            return try await pool.read { db in
                try Int64.fetchOne(db, sql: "SELECT sum(pgsize) FROM dbstat WHERE name IN ('search_docs', 'search_terms') OR name LIKE 'product_fts%' OR name LIKE 'sqlite_autoindex_search_docs%'") ?? 0
            }
        }

        let built: [String: Double] = ["products": Double(count), "build_s": build, "size": Double(size)]
        FileManager.default.createFile(atPath: saved, contents: try JSONSerialization.data(withJSONObject: built))
        try await measure(store, tenant, queries: queries, count: count, build: build, size: size)
    }

    static func measure(_ store: Store, _ tenant: TenantID, queries: String, count: Int, build: Double, size: Int64) async throws {
        let engine = SearchEngine(tenants: store.tenantDatabases)
        var started = now()
        _ = try await engine.search(.system(tenant), SearchRequest(query: "warmup", prefix: false))
        let dictionaryLoad = (now() - started) * 1000

        var queryList: [(kind: String, text: String, target: Int, correct: String?)] = []
        try forEachLine(queries) { fields in queryList.append((fields[0], fields[1], Int(fields[2])!, fields.count > 3 ? fields[3] : nil)) }
        var identifiable = 0
        var identifiableHits = 0
        var latencies: [Double] = []
        var byKind: [String: [Double]] = [:]
        var typoHits = 0
        var typoCount = 0
        for q in queryList {
            started = now()
            let result = try await engine.search(.system(tenant), SearchRequest(query: q.text, limit: 10, prefix: q.kind == "prefix"))
            latencies.append((now() - started) * 1000)
            byKind[q.kind, default: []].append(latencies.last!)
            if ProcessInfo.processInfo.environment["SEARCH_SLOW"] == "1", latencies.last! > 200 {
                FileHandle.standardError.write(Data("slow \(Int(latencies.last!)) ms: \(q.kind) \(q.text)\n".utf8))
            }
            if q.kind == "typo" {
                typoCount += 1
                let hit = result.items.contains(where: { $0.product.id == productID(q.target) })
                // Identifiable: the words without the typo match at most 10 products, so the intended one is knowable.
                if let correct = q.correct, let exact = try await engine.search(.system(tenant), SearchRequest(query: correct, limit: 10, prefix: false)).total,
                   exact <= 10 {
                    identifiable += 1
                    if hit { identifiableHits += 1 }
                }
                if hit {
                    typoHits += 1
                } else if ProcessInfo.processInfo.environment["SEARCH_MISSES"] == "1" {
                    let wanted = try await store.products.product(.system(tenant), id: productID(q.target))
                    FileHandle.standardError.write(Data("miss: \(q.text) → wanted \(wanted.name); got \(result.items.count): \(result.items.prefix(3).map(\.product.name))\n".utf8))
                }
            }
        }
        var facetLatencies: [Double] = []
        for q in queryList.prefix(300) {
            started = now()
            _ = try await engine.search(.system(tenant), SearchRequest(query: q.text, facets: true, limit: 10, prefix: q.kind == "prefix"))
            facetLatencies.append((now() - started) * 1000)
        }
        var suggestLatencies: [Double] = []
        for q in queryList.prefix(300) {
            let typed = String(q.text.prefix(max(3, q.text.count * 2 / 3)))
            started = now()
            _ = try await engine.suggest(.system(tenant), typed, limit: 8)
            suggestLatencies.append((now() - started) * 1000)
            if ProcessInfo.processInfo.environment["SEARCH_SLOW"] == "1", suggestLatencies.last! > 10 {
                FileHandle.standardError.write(Data("slow suggestion \(Int(suggestLatencies.last!)) ms: \(typed)\n".utf8))
            }
        }
        var figures: [String: Double] = [
            "products": Double(count), "build_s": build, "size_mb": Double(size) / 1e6,
            "p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "typo_top10": Double(typoHits) / Double(max(1, typoCount)),
            "typo_top10_identifiable": Double(identifiableHits) / Double(max(1, identifiable)), "identifiable": Double(identifiable),
            "facets_p99_ms": percentile(facetLatencies, 0.99), "suggest_p99_ms": percentile(suggestLatencies, 0.99),
            "dictionary_load_ms": dictionaryLoad, "peak_rss_mb": peakRSS(),
        ]
        for (kind, values) in byKind { figures["p50_\(kind)_ms"] = percentile(values, 0.5) }
        await store.close()
        let json = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
        line(String(decoding: json, as: UTF8.self))
    }

    static func productID(_ i: Int) -> String { "P" + String(repeating: "0", count: 25 - String(i).count) + String(i) }
    static func businessID(_ i: Int) -> String { "B" + String(repeating: "0", count: 25 - String(i).count) + String(i) }
    static func categoryID(_ i: Int) -> String { "C" + String(repeating: "0", count: 25 - String(i).count) + String(i) }

    /// Tab-separated lines, read a megabyte at a time (the catalog file is never held whole).
    static func forEachLine(_ path: String, _ body: ([String]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        var buffer = Data()
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 10) {
                let lineData = buffer[buffer.startIndex..<newline]
                try body(String(decoding: lineData, as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
                buffer.removeSubrange(buffer.startIndex...newline)
            }
            if chunk.isEmpty { break }
        }
    }

    static func peakRSS() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kb / 1024
    }
}
