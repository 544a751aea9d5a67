import Foundation
import GRDB
import TradepostCore

/// Orders, invoices and payments as CSV for accounting: one row each, amounts as decimals with
/// their currency, oldest first, read 1,000 rows at a time.
extension SQLiteFulfilmentService: TradeExportService {
    public func checkExport(_ caller: Caller, _ export: TradeExport) async throws {
        var v = Validator()
        if let from = export.from, !PriceListInput.isDate(from) { v.fail("from", "must be a date like 2026-01-31") }
        if let to = export.to, !PriceListInput.isDate(to) { v.fail("to", "must be a date like 2026-12-31") }
        try v.check()
        let tenant = try caller.tenant()
        try await mapErrors(stats) {
            try await tenants.read(tenant) { db in _ = try SQLiteOrderService.authorize(db, caller, .ordersRead, business: export.filter.businessID) }
        }
    }

    public func export(_ caller: Caller, _ export: TradeExport, write: ([UInt8]) async throws -> Void) async throws {
        try await checkExport(caller, export)
        let tenant = try caller.tenant()
        var writer = CSVWriter(encoding: export.encoding, delimiter: export.delimiter)
        writer.record(Self.headers[export.kind]!)
        try await write(writer.take())
        let side = export.filter.side == .buyer ? "buyer_business_id" : "seller_business_id"
        var after = ""
        while true {
            let from = after
            let rows: [(String, [String])] = try await mapErrors(stats) {
                try await tenants.read(tenant) { db in
                    _ = try SQLiteOrderService.authorize(db, caller, .ordersRead, business: export.filter.businessID)
                    return try Self.rows(db, export, side: side, after: from)
                }
            }
            guard let last = rows.last else { break }
            for row in rows { writer.record(row.1) }
            try await write(writer.take())
            after = last.0
        }
    }

    static let headers: [TradeExport.Kind: [String]] = [
        .orders: ["number", "placed_at", "state", "seller", "buyer", "currency", "net", "tax", "gross", "payment_terms", "requested_date"],
        .invoices: ["number", "issued_at", "due_date", "order_number", "seller", "seller_tax_id", "buyer", "buyer_tax_id", "currency",
                    "net", "tax", "gross", "tax_by_rate", "paid", "balance", "status", "overdue"],
        .payments: ["invoice_number", "received_on", "direction", "method", "currency", "amount", "reference", "recorded_at"],
    ]

    /// Up to 1,000 rows after the id `after`, each with its id (the next read's start).
    static func rows(_ db: Database, _ export: TradeExport, side: String, after: String) throws -> [(String, [String])] {
        let (from, to) = (export.from ?? "0000-01-01", export.to ?? "9999-12-31")
        let stamp = ISO8601DateFormatter()
        switch export.kind {
        case .orders:
            return try OrderRows.fetchAll(db, sql: OrderRows.select + """
                 WHERE o.\(side) = ? AND o.id > ? AND substr(o.placed_at, 1, 10) BETWEEN ? AND ? ORDER BY o.id LIMIT 1000
                """, arguments: [export.filter.businessID, after, from, to]).map { o in
                let terms = o.paymentTerms.kind == .net ? "net \(o.paymentTerms.days ?? 0)" : "prepaid"
                return (o.id, [o.number, stamp.string(from: o.placedAt), o.state.rawValue, o.sellerName, o.buyerName, o.currency, o.net.decimal,
                               o.tax.decimal, o.gross.decimal, terms, o.requestedDate ?? ""])
            }
        case .invoices:
            return try Row.fetchAll(db, sql: FulfilmentRows.invoiceSelect + """
                 WHERE i.\(side) = ? AND i.id > ? AND substr(i.issued_at, 1, 10) BETWEEN ? AND ? ORDER BY i.id LIMIT 1000
                """, arguments: [export.filter.businessID, after, from, to]).map(FulfilmentRows.invoice).map { i in
                let byRate = i.taxes.map { "\($0.rate.percent)%: \($0.net.decimal)/\($0.tax.decimal)" }.joined(separator: "; ")
                return (i.id, [i.number, stamp.string(from: i.issuedAt), i.dueDate, i.orderNumber, i.seller.legalName, i.seller.taxId ?? "",
                               i.buyer.legalName, i.buyer.taxId ?? "", i.currency, i.net.decimal, i.tax.decimal, i.gross.decimal, byRate,
                               i.paid.decimal, i.balance.decimal, i.status.rawValue, i.overdue ? "yes" : "no"])
            }
        case .payments:
            return try FulfilmentRows.payments(db, where: "p.\(side) = ? AND p.id > ? AND p.received_on BETWEEN ? AND ?",
                                               [export.filter.businessID, after, from, to], order: "p.id", limit: 1000).map { p in
                (p.id, [p.invoiceNumber, p.receivedOn, p.direction.rawValue, p.method.rawValue, p.amount.currency, p.amount.decimal,
                        p.reference ?? "", stamp.string(from: p.recordedAt)])
            }
        }
    }
}
