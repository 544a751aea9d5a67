import Foundation
import GRDB
import TradepostCore

/// Promo codes ↔ rows, and what placing and cancelling an order do to them.
enum PromoRows {
    static func code(_ row: Row) -> PromoCode {
        let currency: String? = row["currency"]
        func money(_ column: String) -> Money? { (row[column] as Int64?).flatMap { m in currency.map { Money(minor: m, currency: $0) } } }
        func ids(_ column: String) -> [String] { (row[column] as String).split(separator: ",").map(String.init) }
        return PromoCode(id: row["id"], sellerBusinessId: row["seller_business_id"], code: row["code"], kind: PromoCode.Kind(rawValue: row["kind"]) ?? .percent,
                         percent: (row["percent_bp"] as Int64?).map(TaxRate.init(basisPoints:)), amount: money("amount_minor"),
                         minOrder: money("min_order_minor"), validFrom: row["valid_from"], validTo: row["valid_to"], totalLimit: row["total_limit"],
                         perBuyerLimit: row["per_buyer_limit"], used: row["used"], productIds: ids("product_ids"), categoryIds: ids("category_ids"),
                         active: row["active"], createdAt: row["created_at"])
    }

    /// Applies `code` to the freshly priced `order` (lines re-taxed after their discounts) and
    /// takes one use of it, refusing with `promo_code` named when it does not apply. Call in the
    /// placing transaction, before the order is written.
    static func apply(_ db: Database, code: String, to order: inout Order, day: String, now: Date) throws -> PromoCode {
        func refuse(_ message: String) -> AppError { AppError.invalidField("promo_code", message) }
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM promo_codes WHERE seller_business_id = ? AND code = ?",
                                         arguments: [order.sellerBusinessId, code]) else { throw refuse("is not a code of this seller") }
        let promo = Self.code(row)
        guard promo.active else { throw refuse("is no longer valid") }
        if let from = promo.validFrom, day < from { throw refuse("is valid from \(from)") }
        if let to = promo.validTo, day > to { throw refuse("expired on \(to)") }
        if let amount = promo.amount, amount.currency != order.currency { throw refuse("is in \(amount.currency), the order in \(order.currency)") }
        let lines = order.lines ?? []
        let subtotal = lines.reduce(Int64(0)) { $0 + $1.unitPrice.minor * $1.quantity }
        if let min = promo.minOrder, subtotal < min.minor {
            throw refuse("needs an order of at least \(min.decimal) \(min.currency) (this one is \(Money(minor: subtotal, currency: order.currency).decimal))")
        }
        let categories = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, category_id FROM products WHERE id IN (\(lines.map { _ in "?" }.joined(separator: ",")))",
                                                                           arguments: StatementArguments(lines.map(\.productId))).map { ($0[0] as String, $0[1] as String?) })
        let eligible = lines.map { line -> Bool in
            let byProduct = promo.productIds.isEmpty || promo.productIds.contains(line.productId)
            let byCategory = promo.categoryIds.isEmpty || (categories[line.productId] ?? nil).map(promo.categoryIds.contains) == true
            return (promo.productIds.isEmpty && promo.categoryIds.isEmpty) || (!promo.productIds.isEmpty && byProduct) || (!promo.categoryIds.isEmpty && byCategory)
        }
        guard eligible.contains(true) else { throw refuse("does not cover any product of this order") }
        if let limit = promo.perBuyerLimit {
            let uses = try Int64.fetchOne(db, sql: "SELECT count(*) FROM promo_redemptions WHERE promo_id = ? AND buyer_business_id = ?",
                                          arguments: [promo.id, order.buyerBusinessId]) ?? 0
            if uses >= limit { throw refuse("was already used \(uses) time\(uses == 1 ? "" : "s") by your business, its limit") }
        }
        // The limit is checked and the use taken in one statement of the placing transaction.
        try db.execute(sql: "UPDATE promo_codes SET used = used + 1 WHERE id = ? AND (total_limit IS NULL OR used < total_limit)", arguments: [promo.id])
        guard db.changesCount == 1 else { throw AppError(.conflict, "The promo code has been used up", fields: [.init("promo_code", "has been used up")]) }

        let amounts = zip(lines, eligible).map { $1 ? $0.unitPrice.minor * $0.quantity : 0 }
        let discounts = DiscountMath.split(amounts, percent: promo.kind == .percent ? promo.percent : nil, fixed: promo.kind == .fixed ? promo.amount?.minor : nil)
        var out: [OrderLine] = []
        for (line, discount) in zip(lines, discounts) {
            var line = line
            if discount > 0 {
                let a = try TaxMath.amount(line.unitPrice.minor * line.quantity - discount, rate: line.taxRate, pricesIncludeTax: order.pricesIncludeTax)
                (line.net, line.tax, line.gross) = (Money(minor: a.net, currency: order.currency), Money(minor: a.tax, currency: order.currency),
                                                    Money(minor: a.gross, currency: order.currency))
                line.discount = Money(minor: discount, currency: order.currency)
            }
            out.append(line)
        }
        order.lines = out
        let byRate = TaxMath.byRate(out.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
        func m(_ minor: Int64) -> Money { Money(minor: minor, currency: order.currency) }
        order.taxes = byRate.map { TaxSummary(rate: $0.rate, net: m($0.net), tax: m($0.tax)) }
        (order.net, order.tax, order.gross) = (m(out.reduce(0) { $0 + $1.net.minor }), m(out.reduce(0) { $0 + $1.tax.minor }), m(out.reduce(0) { $0 + $1.gross.minor }))
        order.promoCode = promo.code
        order.discount = m(discounts.reduce(0, +))
        return promo
    }

    /// Writes the order's discounts and its redemption (after the order row exists).
    static func record(_ db: Database, _ promo: PromoCode, _ order: Order, now: Date) throws {
        try db.execute(sql: "INSERT INTO promo_redemptions (promo_id, order_id, buyer_business_id, at) VALUES (?, ?, ?, ?)",
                       arguments: [promo.id, order.id, order.buyerBusinessId, now])
        try db.execute(sql: "INSERT INTO order_discounts (order_id, promo_id, code, discount_minor) VALUES (?, ?, ?, ?)",
                       arguments: [order.id, promo.id, promo.code, order.discount?.minor ?? 0])
        for line in order.lines ?? [] where (line.discount?.minor ?? 0) > 0 {
            try db.execute(sql: "INSERT INTO order_line_discounts (order_id, line_no, discount_minor) VALUES (?, ?, ?)",
                           arguments: [order.id, line.lineNo, line.discount!.minor])
        }
    }

    /// A cancelled order gives its use of the code back (its discounts stay on record).
    static func release(_ db: Database, orderID: String) throws {
        guard let promo = try String.fetchOne(db, sql: "SELECT promo_id FROM promo_redemptions WHERE order_id = ?", arguments: [orderID]) else { return }
        try db.execute(sql: "DELETE FROM promo_redemptions WHERE order_id = ?", arguments: [orderID])
        try db.execute(sql: "UPDATE promo_codes SET used = used - 1 WHERE id = ?", arguments: [promo])
    }

    /// Fills a fetched order's promo code and discounts.
    static func attach(_ db: Database, _ order: inout Order) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT code, discount_minor FROM order_discounts WHERE order_id = ?"), arguments: [order.id]) else { return }
        order.promoCode = row[0]
        order.discount = Money(minor: row[1], currency: order.currency)
        let byLine = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT line_no, discount_minor FROM order_line_discounts WHERE order_id = ?",
                                                                       arguments: [order.id]).map { ($0[0] as Int, $0[1] as Int64) })
        order.lines = order.lines?.map { line in
            var line = line
            line.discount = byLine[line.lineNo].map { Money(minor: $0, currency: order.currency) }
            return line
        }
    }
}
