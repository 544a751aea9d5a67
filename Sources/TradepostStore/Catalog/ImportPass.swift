import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// One pass over a price list inside one transaction: a dry run reads (and reports), an apply also writes.
/// Rows stream from the file; besides the current row only the SKUs seen so far stay in memory.
struct ImportPass: Sendable {
    let businessID: String
    let options: ImportOptions
    let audit: AuditContext
    let write: Bool
    let progress: @Sendable (ImportProgress) -> Void

    /// Thrown out of an apply's transaction to roll it back when a row failed; carries the report.
    struct Rollback: Error {
        let report: ImportReport
    }

    func run(_ db: Database, path: String) throws -> ImportReport {
        let reader = try CSVReader(path: path, encoding: options.encoding, delimiter: options.delimiterByte)
        var report = ImportReport(encoding: reader.encoding, delimiter: String(UnicodeScalar(reader.delimiter)))
        guard let first = try reader.next() else { throw AppError.invalid("The file is empty: the first line must name the columns") }
        let header = try ImportHeader(first)
        report.ignoredColumns = header.ignored
        // A bigger page cache for this transaction: index pages are changed many times before they are
        // written, instead of spilling to the WAL again and again (about 64 MiB; restored afterwards).
        // No memory map for it either, set before the first read: a pass reads the whole catalog once,
        // and mapped pages would count against the import's memory (they go through the page cache).
        let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        let mmapSize = try Int.fetchOne(db, sql: "PRAGMA mmap_size") ?? 0
        try db.execute(sql: "PRAGMA cache_size = -65536")
        try db.execute(sql: "PRAGMA mmap_size = 0")
        defer {
            try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
            try? db.execute(sql: "PRAGMA mmap_size = \(mmapSize)")
        }
        try SQLiteBusinessService.requireBusiness(db, businessID)
        let categories = CategoryPaths(try CategoryTree.load(db, counts: false))
        let requireReview = try SQLiteProductService.requireReview(db)
        let find = try db.cachedStatement(sql: "SELECT \(Product.selectList) FROM products WHERE business_id = ? AND sku = ?")
        // A business's first price list: no row can match a stored product (a SKU repeated in the file
        // fails as such), so the million lookups that would all miss are skipped.
        let hadProducts = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM products WHERE business_id = ?)", arguments: [businessID]) ?? true
        var seen = Set<String>()
        var writing = write
        let now = Date()
        var ids = Identifier.Sequence(now: now)
        let fileSize = reader.fileSize
        let rows = ImportReaderThread(reader: reader, header: header, defaultCurrency: options.currency)
        defer { rows.cancel() }

        while let batch = try rows.next() {
            for prepared in batch.rows {
                report.rows += 1
                if report.rows % 5000 == 0 { progress(ImportProgress(rows: report.rows, bytesRead: batch.bytesRead, bytesTotal: fileSize)) }
                let line = prepared.line
                let row = prepared.row
                let sku = row.input.sku
                var failed = false
                func fail(_ field: String?, _ message: String) {
                    report.fail(line: line, sku: sku, field: field, message)
                    failed = true
                }
                for issue in row.issues { fail(issue.field, issue.message) }
                guard let sku else {
                    fail("sku", "is empty")
                    report.failed += 1
                    continue
                }
                if !seen.insert(sku).inserted { fail("sku", "appears on an earlier line of this file") }
                var categoryID: String?? = nil
                if case .some(let path) = row.categoryPath {
                    if let path {
                        if let id = categories.id(path) { categoryID = .some(id) } else {
                            fail("category", "no category \"\(path.joined(separator: " / "))\" (create it first, or leave the cell empty)")
                        }
                    } else {
                        categoryID = .some(nil)
                    }
                }
                let existing = hadProducts ? try Product.fetchOne(selected: find, arguments: [businessID, sku]) : nil
                do {
                    var input = try prepared.checked.get()
                    if let categoryID { input.categoryId = categoryID }
                    if existing == nil {
                        if input.currency == nil { input.currency = options.currency }
                        if input.status == nil { input.status = options.status }
                        try input.requireForCreate()
                    }
                    // The reader read prices in the row's (or the default) currency; an existing product
                    // without a currency column keeps its own.
                    let currency = input.currency ?? existing?.price.currency ?? options.currency
                    let money = currency == prepared.currency ? try prepared.money!.get() : try input.money(currency: currency)
                    if failed {
                        report.failed += 1
                        writing = false
                        continue
                    }
                    if let existing {
                        var product = try SQLiteProductService.merged(db, existing, input, money: money, requireReview: requireReview)
                        guard product != existing else {
                            report.unchanged += 1
                            continue
                        }
                        report.updated += 1
                        guard writing else { continue }
                        product.updatedAt = now
                        try product.save(db, insert: false)
                        if product.stockQuantity != existing.stockQuantity {
                            try StockLedger.setFigure(db, product: product.id, business: businessID, target: product.stockQuantity, audit: audit, now: now)
                        }
                        try PriceChange.record(db, product: product.id, audit: audit, old: existing, new: product)
                    } else {
                        let product = try SQLiteProductService.newProduct(
                            db, businessID: businessID, input, currency: input.currency!, money: money, now: now, requireReview: requireReview,
                            id: ids.next())
                        report.created += 1
                        guard writing else { continue }
                        try product.save(db, insert: true)
                        if product.stockQuantity > 0 {
                            try StockLedger.setFigure(db, product: product.id, business: businessID, target: product.stockQuantity, audit: audit, now: now)
                        }
                        try PriceChange.record(db, product: product.id, audit: audit, old: nil, new: product)
                    }
                } catch let error as AppError where error.code == .invalid || error.code == .insufficientStock {
                    if error.fields.isEmpty { fail(nil, error.message) }
                    for field in error.fields { fail(field.field, field.message) }
                    report.failed += 1
                    writing = false
                }
            }
        }
        progress(ImportProgress(rows: report.rows, bytesRead: fileSize, bytesTotal: fileSize))
        guard write else { return report }
        if report.failed > 0 { throw Rollback(report: report) }
        report.applied = true
        try AuditLog.tenant(db, audit, "catalog.import", target: businessID, detail: [
            "rows": String(report.rows), "created": String(report.created), "updated": String(report.updated),
        ])
        if report.created + report.updated > 0 {
            try Outbox.append(db, topic: Topic.catalogImported, payload: CatalogImportedEvent(businessId: businessID, since: now))
        }
        return report
    }
}

/// Categories by their path of names, matched without case; a single name also finds a category
/// whose name is unique in the whole tree.
struct CategoryPaths {
    private var byPath: [String: String] = [:]
    private var byName: [String: String?] = [:]

    init(_ tree: CategoryTree) {
        for category in tree.all() {
            byPath[Self.key(category.path)] = category.id
            let name = category.name.lowercased()
            byName[name] = byName[name] == nil ? category.id : .some(nil)
        }
    }

    func id(_ path: [String]) -> String? {
        if let id = byPath[Self.key(path)] { return id }
        if path.count == 1, case .some(.some(let id)) = byName[path[0].lowercased()] { return id }
        return nil
    }

    private static func key(_ path: [String]) -> String { path.map { $0.lowercased() }.joined(separator: "\u{1F}") }
}
