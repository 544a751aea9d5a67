import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Acceptance: the accepted revision becomes an order — its lines, quantities and prices, the
/// seller's tax rule, the next number of the seller's series, stock reserved, the credit check —
/// in the transaction that marks it accepted. The negotiation names the order (UNIQUE), so a
/// second acceptance finds it accepted (409) and a retry with the same key gets the first answer.
extension SQLiteNegotiationService {
    public func accept(_ caller: Caller, id: String, revision: Int, idempotency: IdempotencyKey?) async throws -> Negotiation {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let (n, current, seen, side) = try Self.acting(db, caller, id, revision: revision, .accept, now: now)
                    // The buyer's side places an order; a seller accepting the buyer's priced bid places it for them.
                    if side == .buyer { try seen.facts.authorize(.ordersPlace, business: n.buyerBusinessId) }
                    let order = try Self.placeOrder(db, n, current, caller: caller, now: now)
                    try db.execute(sql: """
                        UPDATE offer_revisions SET state = 'accepted', decided_by = ?, decided_at = ? WHERE negotiation_id = ? AND revision = ?
                        """, arguments: [caller.principal.name, now, id, revision])
                    try db.execute(sql: "UPDATE negotiations SET state = 'accepted', order_id = ? WHERE id = ?", arguments: [order.id, id])
                    try ConversationRows.event(db, n.conversationId, .offerAccepted, message: current.messageId, user: caller.principal.userID, now: now)
                    try Self.record(db, caller, id, n.conversationId, revision: revision, "offer.accepted", now: now)
                    return try NegotiationRows.negotiation(db, id)!
                }
            }
        }
    }

    static func placeOrder(_ db: Database, _ n: Negotiation, _ r: OfferRevision, caller: Caller, now: Date) throws -> Order {
        let (buyer, seller) = (n.buyerBusinessId, n.sellerBusinessId)
        let settings = try TradeSettingsRows.read(db, business: seller)
        let day = SQLiteOrderService.today(now)
        var v = Validator()
        var lines: [OrderLine] = []
        let currency = r.currency
        func m(_ minor: Int64) -> Money { Money(minor: minor, currency: currency) }
        for (i, line) in r.lines.enumerated() {
            // Checked again at acceptance: the product may have stopped selling since the offer.
            guard let product = try Product.fetch(db, id: line.productId), product.status == .published, let unit = line.unitPrice else {
                v.fail("lines[\(i)]", "\(line.sku) is no longer sold"); continue
            }
            do { _ = try SQLitePriceListService.price(db, product, quantity: line.quantity, buyers: [buyer], day: day) } catch let e as AppError where e.code == .invalid {
                v.fail("lines[\(i)].quantity", "\(line.sku): " + (e.fields.first?.message ?? e.message)); continue
            }
            let a = try TaxMath.line(unitMinor: unit.minor, quantity: line.quantity, rate: line.taxRate, pricesIncludeTax: settings.pricesIncludeTax)
            lines.append(OrderLine(lineNo: i + 1, productId: product.id, sku: product.sku, name: product.name, quantity: line.quantity, unitPrice: unit,
                                   priceSource: .offer, priceListId: nil, tierMinQuantity: nil, taxRate: line.taxRate, net: m(a.net), tax: m(a.tax),
                                   gross: m(a.gross), reserved: 0, backordered: 0, shipped: 0))
        }
        try v.check422("The offer can no longer be ordered")
        let byRate = TaxMath.byRate(lines.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
        let sum = { (key: KeyPath<OrderLine, Money>) in m(lines.reduce(0) { $0 + $1[keyPath: key].minor }) }
        var notes = "From negotiation revision \(r.revision)"
        if let terms = r.deliveryTerms { notes += "\nDelivery: \(terms)" }
        if let terms = r.paymentTerms { notes += "\nPayment: \(terms)" }
        var order = Order(
            id: Identifier.make(now: now), number: "", sellerBusinessId: seller, sellerName: "", buyerBusinessId: buyer, buyerName: "",
            state: .placed, currency: currency, pricesIncludeTax: settings.pricesIncludeTax, net: sum(\.net), tax: sum(\.tax), gross: sum(\.gross),
            taxes: byRate.map { TaxSummary(rate: $0.rate, net: m($0.net), tax: m($0.tax)) }, notes: notes, deliveryAddress: nil, requestedDate: nil,
            paymentTerms: settings.defaultPaymentTerms, placedBy: caller.audit.actorLabel ?? caller.audit.actor, placedAt: now, confirmedAt: nil,
            cancelledAt: nil, cancelReason: nil, updatedAt: now, lines: lines, history: nil)
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).year!
        order.number = OrderNumber.format(prefix: settings.orderPrefix, year: year,
                                          sequence: try TradeSettingsRows.nextNumber(db, scope: "order:\(seller)", year: year))
        var note = "Accepted offer (revision \(r.revision))"
        if let limit = try SQLiteFulfilmentService.overLimit(db, seller: seller, buyer: buyer, gross: order.gross) {
            order.state = .onHold
            note = "Over the credit limit of \(limit.decimal) \(limit.currency)"
        }
        try OrderRows.insert(db, order)
        try SQLiteOrderService.reserve(db, order, allowBackorders: settings.allowBackorders, audit: caller.audit, now: now)
        try OrderRows.record(db, order, from: nil, note: note, audit: caller.audit, now: now)
        return try OrderRows.fetch(db, id: order.id)!
    }
}
