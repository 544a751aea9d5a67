import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Issuing invoices: the number is taken from the seller's gapless series in the issuing
/// transaction (a rolled-back issue gives it back), the parties' legal details are copied in, and
/// the rows are frozen by triggers from then on.
extension SQLiteFulfilmentService {
    static let invoiceableStates: Set<OrderState> = [.confirmed, .partiallyShipped, .shipped, .delivered, .completed]

    public func issueInvoice(_ caller: Caller, orderID: String, _ input: InvoiceInput, idempotency: IdempotencyKey?) async throws -> Invoice {
        let tenant = try caller.tenant()
        let now = Date()
        let series = input.series?.trimmed() ?? "INV"
        guard OrderNumber.isPrefix(series) else { throw AppError.invalidField("series", "must be 2–10 capital Latin letters or digits, starting with a letter") }
        let basis = input.basis ?? .order
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (order, facts) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                try facts.authorize(.ordersManage, business: order.sellerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard Self.invoiceableStates.contains(order.state) else { throw AppError.invalidState(order.state.rawValue, "invoice the order") }
                    // Per order line: units invoiced so far and the amount they carried (gross when prices include tax, else net).
                    let invoiced = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                        SELECT il.order_line_no, sum(il.quantity), sum(CASE WHEN i.prices_include_tax THEN il.gross_minor ELSE il.net_minor END)
                        FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_id WHERE i.order_id = ? GROUP BY il.order_line_no
                        """, arguments: [order.id]).map { ($0[0] as Int, (quantity: $0[1] as Int64, amount: $0[2] as Int64)) })
                    var lines: [InvoiceLine] = []
                    for line in order.lines ?? [] {
                        let before = invoiced[line.lineNo] ?? (0, 0)
                        let quantity = (basis == .order ? line.quantity : line.shipped) - before.quantity
                        guard quantity > 0 else { continue }
                        let a = try Self.share(of: line, quantity: quantity, before: before, pricesIncludeTax: order.pricesIncludeTax)
                        func m(_ minor: Int64) -> Money { Money(minor: minor, currency: order.currency) }
                        lines.append(InvoiceLine(lineNo: lines.count + 1, orderLineNo: line.lineNo, sku: line.sku, name: line.name, quantity: quantity,
                                                 unitPrice: line.unitPrice, taxRate: line.taxRate, net: m(a.net), tax: m(a.tax), gross: m(a.gross)))
                    }
                    guard !lines.isEmpty else {
                        throw AppError.invalidField("basis", basis == .order ? "the whole order is invoiced already" : "everything shipped is invoiced already")
                    }
                    let taxes = TaxMath.byRate(lines.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
                        .map { TaxSummary(rate: $0.rate, net: Money(minor: $0.net, currency: order.currency), tax: Money(minor: $0.tax, currency: order.currency)) }
                    let net = lines.reduce(Int64(0)) { $0 + $1.net.minor }, tax = lines.reduce(Int64(0)) { $0 + $1.tax.minor }

                    let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).year!
                    let prefix = try TradeSettingsRows.read(db, business: order.sellerBusinessId).orderPrefix
                    let sequence = try TradeSettingsRows.nextNumber(db, scope: "invoice:\(order.sellerBusinessId):\(series)", year: year)
                    let number = series + "-" + OrderNumber.format(prefix: prefix, year: year, sequence: sequence)
                    let days = order.paymentTerms.kind == .net ? order.paymentTerms.days ?? 0 : 0
                    let due = SQLiteOrderService.today(now.addingTimeInterval(TimeInterval(days) * 86_400))
                    let seller = try FulfilmentRows.legalDetails(db, business: order.sellerBusinessId)
                    let buyer = try FulfilmentRows.legalDetails(db, business: order.buyerBusinessId)
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO invoices (id, number, series, order_id, seller_business_id, buyer_business_id, currency, prices_include_tax,
                            net_minor, tax_minor, gross_minor, taxes, issued_at, due_date, seller, buyer, language, issued_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, number, series, order.id, order.sellerBusinessId, order.buyerBusinessId, order.currency, order.pricesIncludeTax,
                                         net, tax, net + tax, OrderRows.taxesText(taxes), now, due, try FulfilmentRows.json(seller),
                                         try FulfilmentRows.json(buyer), buyer.documentLanguage, caller.audit.actor])
                    for line in lines {
                        try db.execute(sql: """
                            INSERT INTO invoice_lines (invoice_id, line_no, order_line_no, sku, name, quantity, unit_minor, tax_rate_bp, net_minor, tax_minor, gross_minor)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [id, line.lineNo, line.orderLineNo, line.sku, line.name, line.quantity, line.unitPrice.minor,
                                             line.taxRate.basisPoints, line.net.minor, line.tax.minor, line.gross.minor])
                    }
                    let invoice = try FulfilmentRows.fetchInvoice(db, id: id)!
                    try AuditLog.tenant(db, caller.audit, "invoice.issue", target: id, detail: [
                        "number": number, "order": order.number, "gross": invoice.gross.decimal, "currency": order.currency])
                    try Outbox.append(db, topic: Topic.invoiceIssued, payload: InvoiceEvent(invoice))
                    try LiveFeed.append(db, Topic.invoiceIssued, order, now: now)
                    return invoice
                }
            }
        }
    }

    /// The amounts of `quantity` units of an order line, its discount shared in proportion: the
    /// part invoiced last gets what is left, so a line's invoices add up to the line exactly.
    static func share(of line: OrderLine, quantity: Int64, before: (quantity: Int64, amount: Int64), pricesIncludeTax: Bool) throws -> LineAmounts {
        let whole = pricesIncludeTax ? line.gross.minor : line.net.minor
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: quantity)
        guard !overflow else { throw AppError.invalidField("quantity", "makes the line's amount too large") }
        let part = before.quantity + quantity == line.quantity ? whole - before.amount : TaxMath.divideRounded(scaled, by: line.quantity)
        return try TaxMath.amount(part, rate: line.taxRate, pricesIncludeTax: pricesIncludeTax)
    }

    /// The invoice if the caller sees its order; `.notFound` otherwise.
    static func visibleInvoice(_ db: Database, _ caller: Caller, _ id: String) throws -> (Invoice, CallerFacts) {
        guard let invoice = try FulfilmentRows.fetchInvoice(db, id: id) else { throw AppError.notFound("Invoice") }
        return (invoice, try SQLiteOrderService.documentOrder(db, caller, orderID: invoice.orderId, document: "Invoice").1)
    }

    public func invoice(_ caller: Caller, id: String) async throws -> Invoice {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try Self.visibleInvoice(db, caller, id).0 } }
    }

    public func invoices(_ caller: Caller, orderID: String) async throws -> [Invoice] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let (order, _) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                return try Row.fetchAll(db, sql: FulfilmentRows.invoiceSelect + " WHERE i.order_id = ? ORDER BY i.issued_at, i.id", arguments: [order.id])
                    .map(FulfilmentRows.invoice)
            }
        }
    }

    public func invoices(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<Invoice> {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersRead, business: filter.businessID)
                let column = filter.side == .buyer ? "i.buyer_business_id" : "i.seller_business_id"
                return try Row.fetchAll(db, sql: FulfilmentRows.invoiceSelect + " WHERE \(column) = ? AND i.id < ? ORDER BY i.id DESC LIMIT ?",
                                        arguments: [filter.businessID, page.after ?? "~", page.limit + 1]).map(FulfilmentRows.invoice)
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func markOverdue(_ caller: Caller, now: Date) async throws -> Int {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let ids = try String.fetchAll(db, sql: """
                    UPDATE invoices SET overdue_at = ? WHERE overdue_at IS NULL AND paid_minor < gross_minor AND due_date < ? RETURNING id
                    """, arguments: [now, SQLiteOrderService.today(now)])
                for id in ids {
                    let invoice = try FulfilmentRows.fetchInvoice(db, id: id)!
                    try AuditLog.tenant(db, caller.audit, "invoice.overdue", target: id, detail: ["number": invoice.number, "balance": invoice.balance.decimal])
                    try Outbox.append(db, topic: Topic.invoiceOverdue, payload: InvoiceEvent(invoice))
                    if let order = try OrderRows.fetch(db, id: invoice.orderId) { try LiveFeed.append(db, Topic.invoiceOverdue, order, now: now) }
                }
                return ids.count
            }
        }
    }
}

/// The invoice's PDF blob.
extension SQLiteFulfilmentService {
    public func invoiceDocument(_ caller: Caller, id: String) async throws -> (invoice: Invoice, pdfBlob: String?) {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let (invoice, _) = try Self.visibleInvoice(db, caller, id)
                return (invoice, try String.fetchOne(db, sql: "SELECT pdf_blob FROM invoices WHERE id = ?", arguments: [invoice.id]))
            }
        }
    }

    public func attachInvoicePDF(_ tenant: TenantID, invoiceID: String, blob: String) async throws -> String {
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in try FulfilmentRows.attachPDF(db, table: "invoices", id: invoiceID, blob: blob, what: "Invoice") }
        }
    }
}
