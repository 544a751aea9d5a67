import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Stock counts from a file: one warehouse, a SKU and a counted figure per row.
extension SQLiteStockService {
    public func importCounts(_ caller: Caller, warehouseID: String, csv: Data, options: ImportOptions, dryRun: Bool,
                             idempotency: IdempotencyKey?) async throws -> StockCountReport {
        let tenant = try caller.tenant()
        let options = try options.validated()
        let now = Date()
        // CSVReader reads files (a price list may be a gigabyte); a count is small, so it goes through a temporary one.
        let path = NSTemporaryDirectory() + "tradepost-count-\(Identifier.make(now: now)).csv"
        guard FileManager.default.createFile(atPath: path, contents: csv) else { throw AppError.internalError("The file could not be staged") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let body: @Sendable (Database) throws -> StockCountReport = { db in
            let warehouse = try Self.managedWarehouse(db, caller, warehouseID)  // who may, before a byte of the file is read
            let reader = try CSVReader(path: path, encoding: options.encoding, delimiter: options.delimiterByte)
            return try IdempotencyRecords.once(db, caller, dryRun ? nil : idempotency, now: now) {
                var report = try Self.countPass(db, reader, warehouse: warehouse, caller: caller, write: !dryRun, now: now)
                if !dryRun && report.failed == 0 && report.changed > 0 {
                    try AuditLog.tenant(db, caller.audit, "stock.count", target: warehouseID,
                                        detail: ["count_id": report.countId ?? "", "changed": String(report.changed)])
                    report.applied = true
                } else if !dryRun && report.failed > 0 {
                    throw CountRollback(report: report)
                }
                return report
            }
        }
        return try await mapErrors(stats) {
            do {
                return dryRun ? try await tenants.read(tenant, body) : try await tenants.write(tenant, body)
            } catch let rollback as CountRollback {
                return rollback.report  // nothing written: the transaction rolled back
            }
        }
    }

    struct CountRollback: Error { let report: StockCountReport }

    /// Reads every row, checks it, and (when `write`) adjusts each level whose count differs.
    static func countPass(_ db: Database, _ reader: CSVReader, warehouse: Warehouse, caller: Caller, write: Bool,
                          now: Date) throws -> StockCountReport {
        var report = StockCountReport(encoding: reader.encoding, delimiter: String(UnicodeScalar(reader.delimiter)))
        guard let first = try reader.next() else { throw AppError.invalid("The file is empty") }
        let header = try ImportHeader(first)
        report.ignoredColumns = header.ignored + header.fields.enumerated().compactMap { i, field in
            field != nil && field != .sku && field != .stockQuantity ? first[i] : nil
        }
        guard let skuColumn = header.fields.firstIndex(of: .sku), let countColumn = header.fields.firstIndex(of: .stockQuantity) else {
            throw AppError.invalidField("header", "the first line must name a SKU column and a stock column (stock, quantity, залишок or остаток)")
        }
        var products: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, sku FROM products WHERE business_id = ?", arguments: [warehouse.businessId]) {
            products[(row[1] as String).lowercased()] = row[0]
        }
        var seen: Set<String> = []
        let cause = StockLedger.Cause(reason: "Stock count", audit: caller.audit, documentType: "stock_count",
                                      documentId: write ? Identifier.make(now: now) : nil)
        report.countId = cause.documentId
        var touched: [String] = []
        func fail(_ line: Int, _ sku: String?, _ field: String?, _ message: String) {
            report.failed += 1
            if report.issues.count < ImportReport.maxIssues { report.issues.append(ImportIssue(line: line, sku: sku, field: field, message: message)) }
        }
        while let fields = try reader.next() {
            if fields.allSatisfy({ $0.trimmed().isEmpty }) { continue }
            report.rows += 1
            let sku = skuColumn < fields.count ? fields[skuColumn].trimmed() : ""
            let text = countColumn < fields.count ? fields[countColumn].trimmed().replacingOccurrences(of: " ", with: "") : ""
            guard !sku.isEmpty else { fail(reader.line, nil, "sku", "is required"); continue }
            guard let product = products[sku.lowercased()] else { fail(reader.line, sku, "sku", "is not a product of this business"); continue }
            guard seen.insert(product).inserted else { fail(reader.line, sku, "sku", "appears twice in the file"); continue }
            guard let counted = Int64(text), counted >= 0, counted <= StockMovementInput.maxQuantity else {
                fail(reader.line, sku, "stock_quantity", "must be a whole number from 0 to 10^12"); continue
            }
            let level = try StockLedger.find(db, product: product, warehouse: warehouse.id)
            let (onHand, reserved) = (level?.onHand ?? 0, level?.reserved ?? 0)
            if counted < reserved {
                fail(reader.line, sku, "stock_quantity", "is below the \(reserved) units reserved for orders here"); continue
            }
            if counted == onHand { report.unchanged += 1; continue }
            report.changed += 1
            guard write && report.failed == 0 else { continue }
            var changing = try level ?? StockLedger.level(db, product: product, warehouse: warehouse.id)
            try StockLedger.apply(db, &changing, .adjustment, onHand: counted - onHand, cause: cause, now: now)
            touched.append(product)
        }
        if write && report.failed == 0 { try StockLedger.refreshFigures(db, products: touched) }
        return report
    }
}
