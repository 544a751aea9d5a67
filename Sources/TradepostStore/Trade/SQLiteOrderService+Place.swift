import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Placing an order: every line re-priced now, the number taken, stock reserved, the cart emptied,
/// all in one transaction.
extension SQLiteOrderService {
    public func placeOrder(_ caller: Caller, _ input: PlaceOrderInput, idempotency: IdempotencyKey?) async throws -> Order {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let buyer = input.buyerBusinessId else { throw AppError.invalidField("buyer_business_id", "is required") }
                let facts = try Self.authorize(db, caller, .ordersPlace, business: buyer)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let input = try input.validated()
                    let seller = input.sellerBusinessId!
                    try SQLiteBusinessService.requireBusiness(db, seller)
                    guard seller != buyer else { throw AppError.invalidField("seller_business_id", "must be another business than the buyer") }
                    let fromCart = input.lines == nil
                    let wanted = try Self.wantedLines(db, input, user: caller.principal.userID, buyer: buyer, seller: seller)
                    let settings = try TradeSettingsRows.read(db, business: seller)
                    var order = try Self.priced(db, facts, wanted, buyer: buyer, seller: seller, settings: settings, input: input, now: now)
                    let shown = order.lines!.reduce(Int64(0)) { $0 + $1.unitPrice.minor * $1.quantity }
                    if let expected = input.expectedTotal, expected.minor != shown || expected.currency != order.currency {
                        let now = Money(minor: shown, currency: order.currency)
                        throw AppError(.priceChanged, "Prices changed since you looked: the total is now \(now.decimal) \(now.currency)",
                                       members: [.init("total", now.decimal)])
                    }
                    let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now).year!
                    order.number = OrderNumber.format(prefix: settings.orderPrefix, year: year,
                                                      sequence: try TradeSettingsRows.nextNumber(db, scope: "order:\(seller)", year: year))
                    let promo = try input.promoCode.map { try PromoRows.apply(db, code: $0, to: &order, day: Self.today(now), now: now) }
                    // The credit check happens here, at placement: an order over the buyer's limit waits for the seller.
                    var note: String?
                    if let limit = try SQLiteFulfilmentService.overLimit(db, seller: seller, buyer: buyer, gross: order.gross) {
                        order.state = .onHold
                        note = "Over the credit limit of \(limit.decimal) \(limit.currency)"
                    }
                    try OrderRows.insert(db, order)
                    if let promo { try PromoRows.record(db, promo, order, now: now) }
                    try Self.reserve(db, order, allowBackorders: settings.allowBackorders, audit: caller.audit, now: now)
                    if fromCart {
                        try db.cachedStatement(sql: "DELETE FROM cart_lines WHERE user_id = ? AND buyer_business_id = ? AND seller_business_id = ?").execute(arguments: [caller.principal.userID, buyer, seller])
                    }
                    try OrderRows.record(db, order, from: nil, note: note, audit: caller.audit, now: now)
                    return try OrderRows.fetch(db, id: order.id)!
                }
            }
        }
    }

    /// The lines asked for: the given ones (by product id or SKU of the seller), else the caller's cart with the seller.
    static func wantedLines(_ db: Database, _ input: PlaceOrderInput, user: String, buyer: String, seller: String) throws -> [(field: String, productID: String?, sku: String?, quantity: Int64)] {
        if let lines = input.lines {
            return lines.enumerated().map { ("lines[\($0.offset)]", $0.element.productId, $0.element.sku, $0.element.quantity) }
        }
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT product_id, quantity FROM cart_lines WHERE user_id = ? AND buyer_business_id = ? AND seller_business_id = ?
            ORDER BY updated_at, product_id
            """), arguments: [user, buyer, seller])
        guard !rows.isEmpty else { throw AppError.invalidField("lines", "the cart with this seller is empty; add products or give lines") }
        guard rows.count <= 1000 else { throw AppError.invalidField("lines", "an order holds at most 1000 lines; the cart with this seller holds \(rows.count)") }
        return rows.enumerated().map { ("cart[\($0.offset)]", $0.element["product_id"], nil, $0.element["quantity"]) }
    }

    /// The order with every line priced for the buyer now and taxed by the line rule. Throws
    /// `.invalid` naming each line that cannot be ordered.
    static func priced(_ db: Database, _ facts: CallerFacts, _ wanted: [(field: String, productID: String?, sku: String?, quantity: Int64)],
                       buyer: String, seller: String, settings: TradeSettings, input: PlaceOrderInput, now: Date) throws -> Order {
        var v = Validator()
        var lines: [OrderLine] = []
        var seen: Set<String> = []
        let day = today(now)
        for (i, want) in wanted.enumerated() {
            let product: Product?
            if let id = want.productID { product = try Product.fetch(db, id: id) }
            else { product = try Product.fetchOne(db, where: "business_id = ? AND sku = ?", arguments: [seller, want.sku!]) }
            guard let product, product.businessId == seller, facts.productVisibility.canSee(product) else {
                v.fail(want.field, "is not a product of this seller"); continue
            }
            guard product.status == .published else { v.fail(want.field, "\(product.sku) is no longer sold"); continue }
            guard seen.insert(product.id).inserted else { v.fail(want.field, "\(product.sku) appears twice"); continue }
            if let first = lines.first, first.unitPrice.currency != product.price.currency {
                v.fail(want.field, "\(product.sku) is priced in \(product.price.currency), the order in \(first.unitPrice.currency)"); continue
            }
            let price: EffectivePrice
            do { price = try SQLitePriceListService.price(db, product, quantity: want.quantity, buyers: [buyer], day: day) } catch let error as AppError where error.code == .invalid {
                v.fail(want.field + ".quantity", "\(product.sku): " + (error.fields.first?.message ?? error.message)); continue
            }
            let amounts = try TaxMath.line(unitMinor: price.unitPrice.minor, quantity: want.quantity, rate: product.taxRate,
                                           pricesIncludeTax: settings.pricesIncludeTax)
            let currency = product.price.currency
            lines.append(OrderLine(
                lineNo: i + 1, productId: product.id, sku: product.sku, name: product.name, quantity: want.quantity, unitPrice: price.unitPrice,
                priceSource: price.priceListId != nil ? .priceList : price.tierMinQuantity != nil ? .tier : .base, priceListId: price.priceListId,
                tierMinQuantity: price.tierMinQuantity, taxRate: product.taxRate, net: Money(minor: amounts.net, currency: currency),
                tax: Money(minor: amounts.tax, currency: currency), gross: Money(minor: amounts.gross, currency: currency),
                reserved: 0, backordered: 0, shipped: 0))
        }
        try v.check("Some lines cannot be ordered")
        let currency = lines[0].unitPrice.currency
        let byRate = TaxMath.byRate(lines.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
        let sum = { (key: KeyPath<OrderLine, Money>) in Money(minor: lines.reduce(0) { $0 + $1[keyPath: key].minor }, currency: currency) }
        return Order(
            id: Identifier.make(now: now), number: "", sellerBusinessId: seller, sellerName: "", buyerBusinessId: buyer, buyerName: "",
            state: .placed, currency: currency, pricesIncludeTax: settings.pricesIncludeTax, net: sum(\.net), tax: sum(\.tax), gross: sum(\.gross),
            taxes: byRate.map { TaxSummary(rate: $0.rate, net: Money(minor: $0.net, currency: currency), tax: Money(minor: $0.tax, currency: currency)) },
            notes: input.notes, deliveryAddress: input.deliveryAddress, requestedDate: input.requestedDate,
            paymentTerms: input.paymentTerms ?? settings.defaultPaymentTerms, placedBy: facts.caller.audit.actorLabel ?? facts.caller.audit.actor,
            placedAt: now, confirmedAt: nil, cancelledAt: nil, cancelReason: nil, updatedAt: now, lines: lines, history: nil)
    }
}
