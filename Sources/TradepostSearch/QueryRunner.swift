import Foundation
import GRDB
import TradepostCore

/// Runs a query plan inside one read transaction: ranking, sorted lists, totals and facets.
struct QueryRunner {
    let db: Database
    /// Gains its typo alternatives when a typo stage runs.
    private(set) var plan: QueryPlan
    let request: SearchRequest
    private(set) var total: Int?
    private(set) var totalExact = false

    init(db: Database, plan: QueryPlan, request: SearchRequest) {
        self.db = db
        self.plan = plan
        self.request = request
    }

    /// Conditions on stored values that FTS5 cannot express (price range).
    private var valueFilter: (sql: String, arguments: StatementArguments) {
        var sql = ""
        var args: StatementArguments = []
        if request.priceMin != nil || request.priceMax != nil {
            if let currency = request.currency { sql += " AND d.currency = ?"; args += [currency] }
            if let min = request.priceMin { sql += " AND d.price_minor >= ?"; args += [min] }
            if let max = request.priceMax { sql += " AND d.price_minor <= ?"; args += [max] }
        }
        return (sql, args)
    }

    /// Docids matching `expression` (nil: every document), in `order` (default: docid, best first).
    /// The index is the outer loop (CROSS JOIN) and rows come in its own rowid order, so a LIMIT
    /// stops the scan early instead of sorting every match.
    private func matches(_ expression: String?, limit: Int, order: String? = nil) throws -> [Int64] {
        let filter = valueFilter
        if let expression, expression != QueryPlan.everything {
            if order == nil && filter.sql.isEmpty {
                return try Int64.fetchAll(db, sql: "SELECT rowid FROM product_fts WHERE product_fts MATCH ? ORDER BY rowid LIMIT ?",
                                          arguments: [expression, limit])
            }
            return try Int64.fetchAll(db, sql: """
                SELECT f.rowid FROM product_fts f CROSS JOIN search_docs d ON d.docid = f.rowid
                WHERE product_fts MATCH ?\(filter.sql) ORDER BY \(order ?? "f.rowid") LIMIT ?
                """, arguments: [expression] + filter.arguments + [limit])
        }
        return try Int64.fetchAll(db, sql: "SELECT d.docid FROM search_docs d WHERE 1\(filter.sql) ORDER BY \(order ?? "d.docid") LIMIT ?",
                                  arguments: filter.arguments + [limit])
    }

    /// The expression whose matches facets and totals count: the first stage that matched anything.
    private(set) var matchedExpression: String?

    /// The best `need` docids, best first. Stages widen the words' alternatives — exact words and
    /// completions, then one typo, then two — and each stage reads at most `window` matches in
    /// priority order and ranks them exactly in memory. A stage runs only when the earlier ones did
    /// not fill the page, so a plain query never pays for its typo alternatives, and no stage ever
    /// scans past its window: with more matches than that, the best-priority `window` are ranked.
    mutating func relevance(need: Int) throws -> [Int64] {
        guard !plan.words.isEmpty else {
            let expression = plan.expression(plan.broadest)
            matchedExpression = expression
            let all = try matches(expression, limit: max(need, SearchEngine.window + 1))
            if all.count <= SearchEngine.window { total = all.count; totalExact = true }
            return Array(all.prefix(need))
        }
        var ranked: [Int64] = []
        var seen = Set<Int64>()
        for words in stride(from: plan.words.count, through: 1, by: -1) {
            var previous: String?
            for typos in 0...2 {
                if typos > 0 { plan.includeTypos() }
                let stage = QueryPlan.Bucket(words: words, typos: typos, prefixes: true, fields: QueryPlan.columns.count)
                guard let expression = plan.expression(stage), expression != previous else { continue }
                previous = expression
                let window = try matches(expression, limit: SearchEngine.window + 1)
                if !window.isEmpty && matchedExpression == nil { matchedExpression = expression }
                let fresh = window.filter { !seen.contains($0) }
                let earlier = window.count - fresh.count
                let found = try rankInMemory(fresh, words: words)
                if words == plan.words.count {
                    // The widest stage of all the words run so far: its count is the total when it fit the
                    // window (what ranking kept of it when a word is matched in memory only).
                    let complete = window.count <= SearchEngine.window
                    total = complete ? (plan.indexDecides ? window.count : earlier + found.count) : nil
                    totalExact = total != nil
                }
                for docid in found where seen.insert(docid).inserted {
                    ranked.append(docid)
                }
                if ranked.count >= need { return Array(ranked.prefix(need)) }
            }
        }
        return ranked
    }

    /// Ranks a small match set exactly: typos, then completions, then fields, then priority (docid).
    /// One pass over each document's stored terms, read in place from SQLite (no Strings made).
    private func rankInMemory(_ docids: [Int64], words: Int) throws -> [Int64] {
        guard !docids.isEmpty else { return [] }
        let matcher = TermMatcher(plan.words.prefix(words))
        let rows = try Row.fetchCursor(db, sql: """
            SELECT docid, name, codes, extra, body FROM search_docs WHERE docid IN (\(databaseQuestionMarks(count: docids.count)))
            """, arguments: StatementArguments(docids))
        var scored: [(key: (Int, Int, Int), docid: Int64)] = []
        scored.reserveCapacity(docids.count)
        var best = [TermMatcher.Score](repeating: TermMatcher.unmatched, count: words)
        while let row = try rows.next() {
            for i in best.indices { best[i] = TermMatcher.unmatched }
            for field in QueryPlan.columns.indices {
                try row.withUnsafeData(atIndex: field + 1) { data in
                    data?.withUnsafeBytes { matcher.scan($0, field: field, into: &best) }
                }
            }
            guard !best.contains(where: { $0 == TermMatcher.unmatched }) else { continue }
            let key = best.reduce((0, 0, 0)) { ($0.0 + $1.typos, $0.1 + $1.prefix, $0.2 + $1.field) }
            scored.append((key, row[0]))
        }
        return scored.sorted { ($0.key.0, $0.key.1, $0.key.2, $0.docid) < ($1.key.0, $1.key.1, $1.key.2, $1.docid) }.map(\.docid)
    }

    /// All the words, ordered by price or age.
    mutating func sorted(need: Int) throws -> [Int64] {
        let order = switch request.sort {
        case .priceAsc: "d.price_minor, d.docid"
        case .priceDesc: "d.price_minor DESC, d.docid"
        default: "d.created_at DESC, d.docid"
        }
        plan.includeTypos()
        return try matches(plan.expression(plan.broadest), limit: need, order: order)
    }

    /// Counts by facet over the first `facetScanLimit` matches of all the words.
    mutating func facets() throws -> [String: [FacetValue]] {
        let limit = SearchEngine.facetScanLimit
        let filter = valueFilter
        let expression = matchedExpression ?? plan.expression(QueryPlan.Bucket(words: plan.words.count, typos: 0, prefixes: true, fields: QueryPlan.columns.count))
        // A word matched in memory only (an unfinished one- or two-letter word) does not narrow the
        // counts: they are those of the rest of the query.
        let source = expression == nil || expression == QueryPlan.everything
            ? "SELECT docid FROM search_docs d WHERE 1\(filter.sql) ORDER BY docid LIMIT ?"
            : filter.sql.isEmpty
                ? "SELECT rowid AS docid FROM product_fts WHERE product_fts MATCH ? ORDER BY rowid LIMIT ?"
                : "SELECT f.rowid AS docid FROM product_fts f CROSS JOIN search_docs d ON d.docid = f.rowid WHERE product_fts MATCH ?\(filter.sql) ORDER BY f.rowid LIMIT ?"
        let args: StatementArguments = (expression.flatMap { $0 == QueryPlan.everything ? nil : [$0] } ?? []) + filter.arguments + [limit + 1]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT d.brand, d.category_id, d.business_id, d.in_stock, d.attributes
            FROM (\(source)) m CROSS JOIN search_docs d ON d.docid = m.docid
            """, arguments: args)
        // One dictionary per facet and columns by position: up to 10,000 rows, and the name lookups
        // and nested dictionary updates cost a quarter of the counting.
        // Business type and city are counted per business afterwards (FacetLabels).
        var brands: [String: Int] = [:], categories: [String: Int] = [:], businesses: [String: Int] = [:]
        var attributes: [String: [String: Int]] = [:]
        var inStock = 0
        var n = 0
        while let row = try rows.next() {
            n += 1
            if n > limit { break }
            if let brand: String = row[0] { brands[brand, default: 0] += 1 }
            if let category: String = row[1] { categories[category, default: 0] += 1 }
            businesses[row[2] as String, default: 0] += 1
            if row[3] as Bool { inStock += 1 }
            if let pairs: String = row[4] {
                for pair in pairs.split(separator: SearchDocument.attributeSeparator) {
                    guard let equals = pair.firstIndex(of: "=") else { continue }
                    attributes["attr." + pair[..<equals], default: [:]][String(pair[pair.index(after: equals)...]), default: 0] += 1
                }
            }
        }
        let counted = min(n, limit)
        total = counted
        totalExact = n <= limit
        guard counted > 0 else { return try FacetLabels.resolve(db, [:]) }
        var counts = ["business": businesses,
                      "in_stock": ["true": inStock, "false": counted - inStock].filter { $0.value > 0 }]
        if !brands.isEmpty { counts["brand"] = brands }
        if !categories.isEmpty { counts["category"] = categories }
        counts.merge(attributes) { own, _ in own }
        return try FacetLabels.resolve(db, counts)
    }
}

/// Facet values with labels (category and business names); categories also count their subtrees.
enum FacetLabels {
    static func resolve(_ db: Database, _ counts: [String: [String: Int]]) throws -> [String: [FacetValue]] {
        var out: [String: [FacetValue]] = [:]
        var counts = counts
        if let own = counts["category"] {
            var parents: [String: String?] = [:]
            var names: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, parent_id, name FROM categories") {
                parents[row["id"]] = row["parent_id"] as String?
                names[row["id"]] = row["name"]
            }
            var rolled: [String: Int] = [:]
            for (id, count) in own {
                var current: String? = id
                var hops = 0
                while let c = current, hops < 64 {
                    rolled[c, default: 0] += count
                    current = parents[c] ?? nil
                    hops += 1
                }
            }
            counts["category"] = rolled
            out["category"] = top(rolled) { names[$0] }
        }
        if let businesses = counts["business"] {
            // The index follows a business's type and city (a change re-indexes its products), so
            // counting them per business here is counting them per document.
            let ids = Array(businesses.keys)
            var names: [String: String] = [:], types: [String: Int] = [:], cities: [String: Int] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, name, type, city FROM businesses WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
                                           arguments: StatementArguments(ids))
            while let row = try rows.next() {
                let id: String = row[0]
                names[id] = row[1]
                types[row[2] as String, default: 0] += businesses[id] ?? 0
                cities[row[3] as String, default: 0] += businesses[id] ?? 0
            }
            out["business"] = top(businesses) { names[$0] }
            counts["business_type"] = types
            counts["city"] = cities
        }
        for key in ["brand", "business_type", "city", "in_stock"] + counts.keys.filter({ $0.hasPrefix("attr.") }) {
            if let values = counts[key] { out[key] = top(values) { _ in nil } }
        }
        return out
    }

    static func top(_ counts: [String: Int], label: (String) -> String?) -> [FacetValue] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(50).map { FacetValue(value: $0.key, label: label($0.key), count: $0.value) }
    }
}
