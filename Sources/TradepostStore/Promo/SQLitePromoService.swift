import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Sellers' promo codes in each tenant's database.
public final class SQLitePromoService: PromoService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    public func promoCodes(_ caller: Caller, sellerBusinessID: String) async throws -> [PromoCode] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersManage, business: sellerBusinessID)
                return try Row.fetchAll(db, sql: "SELECT * FROM promo_codes WHERE seller_business_id = ? ORDER BY active DESC, code", arguments: [sellerBusinessID])
                    .map(PromoRows.code)
            }
        }
    }

    public func createPromoCode(_ caller: Caller, sellerBusinessID: String, _ input: PromoCodeInput, idempotency: IdempotencyKey?) async throws -> PromoCode {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats, conflict: "A promo code with this code exists") {
            try await tenants.write(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersManage, business: sellerBusinessID)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let promo = try Self.validated(db, input, seller: sellerBusinessID, now: now)
                    try db.execute(sql: """
                        INSERT INTO promo_codes (id, seller_business_id, code, kind, percent_bp, amount_minor, currency, min_order_minor, valid_from, valid_to,
                            total_limit, per_buyer_limit, product_ids, category_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [promo.id, sellerBusinessID, promo.code, promo.kind.rawValue, promo.percent?.basisPoints, promo.amount?.minor,
                                         promo.amount?.currency ?? promo.minOrder?.currency, promo.minOrder?.minor, promo.validFrom, promo.validTo,
                                         promo.totalLimit, promo.perBuyerLimit, promo.productIds.joined(separator: ","), promo.categoryIds.joined(separator: ","), now])
                    try AuditLog.tenant(db, caller.audit, "promo_code.create", target: promo.id, detail: [
                        "code": promo.code, "kind": promo.kind.rawValue, "value": promo.percent.map { "\($0.percent)%" } ?? promo.amount.map { "\($0.decimal) \($0.currency)" } ?? ""])
                    return promo
                }
            }
        }
    }

    /// The code as it will be stored, with every bad field named.
    static func validated(_ db: Database, _ input: PromoCodeInput, seller: String, now: Date) throws -> PromoCode {
        var v = Validator()
        let code = PromoCode.normalized(input.code ?? "")
        if !PromoCode.isCode(code) { v.fail("code", "must be 3–32 letters, digits, - or _") }
        let currency = input.currency?.trimmed().uppercased()
        if let currency, !Money.isCurrency(currency) { v.fail("currency", "must be a three-letter currency code, e.g. UAH") }
        var percent: TaxRate?, amount: Money?, minOrder: Money?
        switch input.kind {
        case .percent?:
            if let text = input.percent, let rate = TaxRate.parse(text), rate.basisPoints > 0 { percent = rate } else { v.fail("percent", "must be a percent above 0 and at most 100") }
            if input.amount != nil { v.fail("amount", "is only for fixed codes") }
        case .fixed?:
            if currency == nil { v.fail("currency", "is required for a fixed amount") }
            if let text = input.amount, let money = Money.parse(text, currency: currency ?? "XXX"), money.minor > 0 { amount = money } else { v.fail("amount", "must be a positive amount") }
            if input.percent != nil { v.fail("percent", "is only for percent codes") }
        case nil:
            v.fail("kind", "is required: percent or fixed")
        }
        if let text = input.minOrder {
            if currency == nil { v.fail("currency", "is required with min_order") }
            if let money = Money.parse(text, currency: currency ?? "XXX") { minOrder = money } else { v.fail("min_order", "must be an amount") }
        }
        for (field, value) in [("valid_from", input.validFrom), ("valid_to", input.validTo)] {
            if let value, !PriceListInput.isDate(value) { v.fail(field, "must be a date like 2026-12-31") }
        }
        if let from = input.validFrom, let to = input.validTo, from > to { v.fail("valid_to", "must not be before valid_from") }
        if let n = input.totalLimit, n < 1 { v.fail("total_limit", "must be at least 1") }
        if let n = input.perBuyerLimit, n < 1 { v.fail("per_buyer_limit", "must be at least 1") }
        for (i, id) in (input.productIds ?? []).enumerated()
        where try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM products WHERE id = ? AND business_id = ?)", arguments: [id, seller])! {
            v.fail("product_ids[\(i)]", "is not a product of this seller")
        }
        for (i, id) in (input.categoryIds ?? []).enumerated()
        where try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM categories WHERE id = ?)", arguments: [id])! {
            v.fail("category_ids[\(i)]", "is not a category")
        }
        try v.check()
        return PromoCode(id: Identifier.make(now: now), sellerBusinessId: seller, code: code, kind: input.kind!, percent: percent, amount: amount,
                         minOrder: minOrder, validFrom: input.validFrom, validTo: input.validTo, totalLimit: input.totalLimit, perBuyerLimit: input.perBuyerLimit,
                         used: 0, productIds: input.productIds ?? [], categoryIds: input.categoryIds ?? [], active: true, createdAt: now)
    }

    public func setPromoCodeActive(_ caller: Caller, id: String, active: Bool) async throws -> PromoCode {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let seller = try String.fetchOne(db, sql: "SELECT seller_business_id FROM promo_codes WHERE id = ?", arguments: [id]) else {
                    throw AppError.notFound("Promo code")
                }
                let facts = try CallerFacts.read(db, caller)
                guard facts.seesAll || facts.memberships[seller] != nil else { throw AppError.notFound("Promo code") }
                try facts.authorize(.ordersManage, business: seller)
                try db.execute(sql: "UPDATE promo_codes SET active = ? WHERE id = ?", arguments: [active, id])
                let promo = PromoRows.code(try Row.fetchOne(db, sql: "SELECT * FROM promo_codes WHERE id = ?", arguments: [id])!)
                try AuditLog.tenant(db, caller.audit, active ? "promo_code.activate" : "promo_code.deactivate", target: id, detail: ["code": promo.code])
                return promo
            }
        }
    }
}
