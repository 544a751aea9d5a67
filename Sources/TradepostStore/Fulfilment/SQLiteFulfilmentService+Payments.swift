import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Payments against invoices: money in up to the balance, refunds out up to what was paid. The
/// invoice's paid figure moves in the payment's transaction; the rows are never edited.
extension SQLiteFulfilmentService {
    public func recordPayment(_ caller: Caller, invoiceID: String, _ input: PaymentInput, idempotency: IdempotencyKey?) async throws -> Invoice {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (before, facts) = try Self.visibleInvoice(db, caller, invoiceID)
                try facts.authorize(.ordersManage, business: before.sellerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    var v = Validator()
                    let direction = input.direction ?? .in
                    if input.method == nil { v.fail("method", "is required: one of " + Payment.Method.allCases.map(\.rawValue).joined(separator: ", ")) }
                    let receivedOn = input.receivedOn ?? SQLiteOrderService.today(now)
                    if !PriceListInput.isDate(receivedOn) { v.fail("received_on", "must be a date like 2026-12-31") }
                    let reference = input.reference.map { v.text("reference", $0, min: 0, max: 200) }?.nilIfEmpty
                    var amount: Money?
                    if let text = input.amount {
                        if let money = Money.parse(text, currency: before.currency), money.minor > 0 { amount = money }
                        else { v.fail("amount", "must be a positive amount in \(before.currency) with at most \(Money.exponent(before.currency)) decimals") }
                    } else {
                        v.fail("amount", "is required")
                    }
                    if let amount, direction == .in, amount.minor > before.balance.minor {
                        v.fail("amount", before.balance.minor > 0 ? "is more than the balance of \(before.balance.decimal) \(before.currency)"
                               : "nothing is owed on this invoice")
                    }
                    if let amount, direction == .out, amount.minor > before.paid.minor {
                        v.fail("amount", "is more than was paid (\(before.paid.decimal) \(before.currency))")
                    }
                    try v.check()
                    let money = amount!
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO payments (id, invoice_id, seller_business_id, buyer_business_id, direction, method, amount_minor, currency,
                            received_on, reference, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, before.id, before.sellerBusinessId, before.buyerBusinessId, direction.rawValue, input.method!.rawValue,
                                         money.minor, money.currency, receivedOn, reference, caller.audit.actor, now])
                    try db.execute(sql: "UPDATE invoices SET paid_minor = paid_minor + ? WHERE id = ?",
                                   arguments: [direction == .in ? money.minor : -money.minor, before.id])
                    let invoice = try FulfilmentRows.fetchInvoice(db, id: before.id)!
                    try AuditLog.tenant(db, caller.audit, "payment.record", target: id, detail: [
                        "invoice": invoice.number, "direction": direction.rawValue, "amount": money.decimal, "currency": money.currency,
                        "method": input.method!.rawValue])
                    try Outbox.append(db, topic: Topic.paymentRecorded, payload: InvoiceEvent(invoice))
                    if let order = try OrderRows.fetch(db, id: invoice.orderId) { try LiveFeed.append(db, Topic.paymentRecorded, order, now: now) }
                    if invoice.status == .paid && before.status != .paid {
                        try Outbox.append(db, topic: Topic.invoicePaid, payload: InvoiceEvent(invoice))
                    }
                    return invoice
                }
            }
        }
    }

    public func payments(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<Payment> {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersRead, business: filter.businessID)
                let column = filter.side == .buyer ? "p.buyer_business_id" : "p.seller_business_id"
                return try FulfilmentRows.payments(db, where: "\(column) = ? AND p.id < ?", [filter.businessID, page.after ?? "~"],
                                                   order: "p.id DESC", limit: page.limit + 1)
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }
}
