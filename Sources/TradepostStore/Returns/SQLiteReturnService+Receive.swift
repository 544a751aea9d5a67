import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Receiving a return: the goods go back on hand in one warehouse through `StockLedger` (the
/// damaged ones written off right after, so the ledger tells both), and the credit note is issued
/// from its own gapless series, all in one transaction.
extension SQLiteReturnService {
    public func receiveReturn(_ caller: Caller, returnID: String, _ input: ReceiveInput, idempotency: IdempotencyKey?) async throws -> OrderReturn {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (before, order) = try Self.visibleReturn(db, caller, returnID, manage: true)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    _ = try before.state.next(.receive)
                    let warehouse = try Self.receivingWarehouse(db, input.warehouseId, order: order, now: now)
                    var v = Validator()
                    var damaged: [Int: Int64] = [:]
                    let lines = Dictionary(uniqueKeysWithValues: before.lines.map { ($0.lineNo, $0) })
                    for (i, item) in input.lines.enumerated() {
                        guard let line = lines[item.lineNo] else { v.fail("lines[\(i)].line_no", "is not a line of this return"); continue }
                        if item.damaged < 0 || item.damaged > line.quantity { v.fail("lines[\(i)].damaged", "must be from 0 to \(line.quantity)"); continue }
                        damaged[item.lineNo] = item.damaged
                    }
                    try v.check()

                    let orderLines = Dictionary(uniqueKeysWithValues: (order.lines ?? []).map { ($0.lineNo, $0) })
                    let cause = StockLedger.Cause(reason: "Return \(before.number) of \(order.number)", audit: caller.audit, documentType: "return", documentId: before.id)
                    for line in before.lines {
                        let productID = orderLines[line.lineNo]!.productId
                        var level = try StockLedger.level(db, product: productID, warehouse: warehouse)
                        _ = try StockLedger.apply(db, &level, .return, onHand: line.quantity, cause: cause, now: now)
                        let broken = damaged[line.lineNo] ?? 0
                        if broken > 0 {
                            var writeOff = cause
                            writeOff.reason = "Damaged in return \(before.number) of \(order.number)"
                            _ = try StockLedger.apply(db, &level, .writeOff, onHand: -broken, cause: writeOff, now: now)
                        }
                        try db.execute(sql: "UPDATE return_lines SET damaged = ? WHERE return_id = ? AND line_no = ?", arguments: [broken, before.id, line.lineNo])
                    }
                    try StockLedger.refreshFigures(db, products: before.lines.map { orderLines[$0.lineNo]!.productId })
                    let note = try Self.issueCreditNote(db, before, order, audit: caller.audit, now: now)
                    try db.execute(sql: "UPDATE returns SET state = 'received', received_at = ?, warehouse_id = ?, credit_note_id = ? WHERE id = ?",
                                   arguments: [now, warehouse, note.id, before.id])
                    try Outbox.append(db, topic: Topic.creditNoteIssued, payload: ReturnEvent(try ReturnRows.returns(db, where: "r.id = ?", [before.id])[0]))
                    return try Self.record(db, before.id, order, audit: caller.audit, now: now)
                }
            }
        }
    }

    /// The warehouse named (one of the seller's), else the one the order's first shipment left from, else the default.
    static func receivingWarehouse(_ db: Database, _ named: String?, order: Order, now: Date) throws -> String {
        if let named { return try StockLedger.requireWarehouse(db, named, of: order.sellerBusinessId) }
        if let shipped = try String.fetchOne(db, sql: "SELECT warehouse_id FROM shipments WHERE order_id = ? ORDER BY number LIMIT 1", arguments: [order.id]) {
            return shipped
        }
        return try StockLedger.defaultWarehouse(db, business: order.sellerBusinessId, now: now)
    }

    /// The credit note for everything the return brings back, at the order's prices, correcting the
    /// latest invoice that billed a returned line.
    static func issueCreditNote(_ db: Database, _ r: OrderReturn, _ order: Order, audit: AuditContext, now: Date) throws -> CreditNote {
        let orderLines = Dictionary(uniqueKeysWithValues: (order.lines ?? []).map { ($0.lineNo, $0) })
        func m(_ minor: Int64) -> Money { Money(minor: minor, currency: order.currency) }
        let lines = try r.lines.enumerated().map { i, returned -> InvoiceLine in
            let line = orderLines[returned.lineNo]!
            // At what the line was sold for, its discount included; a whole line gives back exactly what it cost.
            let a = try SQLiteFulfilmentService.share(of: line, quantity: returned.quantity, before: (0, 0), pricesIncludeTax: order.pricesIncludeTax)
            return InvoiceLine(lineNo: i + 1, orderLineNo: line.lineNo, sku: line.sku, name: line.name, quantity: returned.quantity, unitPrice: line.unitPrice,
                               taxRate: line.taxRate, net: m(a.net), tax: m(a.tax), gross: m(a.gross))
        }
        let taxes = TaxMath.byRate(lines.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
            .map { TaxSummary(rate: $0.rate, net: m($0.net), tax: m($0.tax)) }
        let net = lines.reduce(Int64(0)) { $0 + $1.net.minor }, tax = lines.reduce(Int64(0)) { $0 + $1.tax.minor }
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).year!
        let prefix = try TradeSettingsRows.read(db, business: order.sellerBusinessId).orderPrefix
        let number = "CN-" + OrderNumber.format(prefix: prefix, year: year,
                                                sequence: try TradeSettingsRows.nextNumber(db, scope: "credit_note:\(order.sellerBusinessId)", year: year))
        // The latest invoice that billed a returned line (else the order's latest).
        let marks = Array(repeating: "?", count: r.lines.count).joined(separator: ", ")
        let invoice = try String.fetchOne(db, sql: """
            SELECT i.id FROM invoices i WHERE i.order_id = ?
            ORDER BY EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND l.order_line_no IN (\(marks))) DESC, i.issued_at DESC, i.id DESC LIMIT 1
            """, arguments: StatementArguments([order.id]) + StatementArguments(r.lines.map(\.lineNo)))
        let seller = try FulfilmentRows.legalDetails(db, business: order.sellerBusinessId)
        let buyer = try FulfilmentRows.legalDetails(db, business: order.buyerBusinessId)
        let id = Identifier.make(now: now)
        try db.execute(sql: """
            INSERT INTO credit_notes (id, number, order_id, return_id, invoice_id, seller_business_id, buyer_business_id, currency, prices_include_tax,
                net_minor, tax_minor, gross_minor, taxes, reason, issued_at, seller, buyer, language, issued_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, number, order.id, r.id, invoice, order.sellerBusinessId, order.buyerBusinessId, order.currency, order.pricesIncludeTax,
                             net, tax, net + tax, OrderRows.taxesText(taxes), r.reason, now, try FulfilmentRows.json(seller), try FulfilmentRows.json(buyer),
                             buyer.documentLanguage, audit.actor])
        for line in lines {
            try db.execute(sql: """
                INSERT INTO credit_note_lines (credit_note_id, line_no, order_line_no, sku, name, quantity, unit_minor, tax_rate_bp, net_minor, tax_minor, gross_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, line.lineNo, line.orderLineNo, line.sku, line.name, line.quantity, line.unitPrice.minor, line.taxRate.basisPoints,
                                 line.net.minor, line.tax.minor, line.gross.minor])
        }
        try AuditLog.tenant(db, audit, "credit_note.issue", target: id, detail: ["number": number, "order": order.number, "gross": m(net + tax).decimal])
        return try ReturnRows.creditNotes(db, where: "c.id = ?", [id], withLines: true)[0]
    }
}
