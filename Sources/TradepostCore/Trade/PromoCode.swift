import Foundation

/// A seller's promo code: a percent off or a fixed amount off, from a minimum order amount, within
/// validity days, with total and per-buyer usage limits, optionally only for some products or
/// categories. Applied at placement; the discount is shown per line. A code's uses are counted in
/// the placing transaction against its limit, so concurrent orders never use it beyond it.
public struct PromoCode: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case percent, fixed }

    public var id: String
    public var sellerBusinessId: String
    /// Upper case, unique per seller.
    public var code: String
    public var kind: Kind
    /// For `percent`.
    public var percent: TaxRate?
    /// For `fixed`.
    public var amount: Money?
    public var minOrder: Money?
    /// yyyy-mm-dd, inclusive.
    public var validFrom: String?
    public var validTo: String?
    public var totalLimit: Int64?
    public var perBuyerLimit: Int64?
    public var used: Int64
    public var productIds: [String]
    public var categoryIds: [String]
    public var active: Bool
    public var createdAt: Date

    public init(id: String, sellerBusinessId: String, code: String, kind: Kind, percent: TaxRate?, amount: Money?, minOrder: Money?, validFrom: String?,
                validTo: String?, totalLimit: Int64?, perBuyerLimit: Int64?, used: Int64, productIds: [String], categoryIds: [String], active: Bool,
                createdAt: Date) {
        self.id = id
        self.sellerBusinessId = sellerBusinessId
        self.code = code
        self.kind = kind
        self.percent = percent
        self.amount = amount
        self.minOrder = minOrder
        self.validFrom = validFrom
        self.validTo = validTo
        self.totalLimit = totalLimit
        self.perBuyerLimit = perBuyerLimit
        self.used = used
        self.productIds = productIds
        self.categoryIds = categoryIds
        self.active = active
        self.createdAt = createdAt
    }

    /// Codes are typed by people: letters, digits, dashes; compared in upper case.
    public static func normalized(_ code: String) -> String { code.trimmed().uppercased() }

    public static func isCode(_ code: String) -> Bool {
        (3...32).contains(code.count) && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }
}

/// A new promo code as sent: amounts as decimal strings in `currency`.
public struct PromoCodeInput: Codable, Sendable, Equatable {
    public var code: String?
    public var kind: PromoCode.Kind?
    public var percent: String?
    public var amount: String?
    public var currency: String?
    public var minOrder: String?
    public var validFrom: String?
    public var validTo: String?
    public var totalLimit: Int64?
    public var perBuyerLimit: Int64?
    public var productIds: [String]?
    public var categoryIds: [String]?

    public init(code: String?, kind: PromoCode.Kind?, percent: String? = nil, amount: String? = nil, currency: String? = nil, minOrder: String? = nil,
                validFrom: String? = nil, validTo: String? = nil, totalLimit: Int64? = nil, perBuyerLimit: Int64? = nil, productIds: [String]? = nil,
                categoryIds: [String]? = nil) {
        self.code = code
        self.kind = kind
        self.percent = percent
        self.amount = amount
        self.currency = currency
        self.minOrder = minOrder
        self.validFrom = validFrom
        self.validTo = validTo
        self.totalLimit = totalLimit
        self.perBuyerLimit = perBuyerLimit
        self.productIds = productIds
        self.categoryIds = categoryIds
    }
}

/// How a discount spreads over an order's lines, stated once: a percent is taken from each eligible
/// line and rounded half away from zero per line; a fixed amount (at most the eligible lines' sum) is
/// split in proportion to the lines' amounts, each share rounded down, and the cents left over go to
/// the largest lines first, so the shares add up to the amount exactly. Tax is then computed on each
/// discounted line by the line rule.
public enum DiscountMath {
    /// Per-line discounts for `amounts` (each line's price × quantity; 0 for a line the code does not cover).
    public static func split(_ amounts: [Int64], percent: TaxRate?, fixed: Int64?) -> [Int64] {
        if let percent {
            return amounts.map { TaxMath.divideRounded($0 * percent.basisPoints, by: 10_000) }
        }
        let total = amounts.reduce(0, +)
        guard let fixed, total > 0 else { return amounts.map { _ in 0 } }
        let amount = min(fixed, total)
        var shares = amounts.map { $0 * amount / total }
        var left = amount - shares.reduce(0, +)
        for i in amounts.indices.sorted(by: { amounts[$0] != amounts[$1] ? amounts[$0] > amounts[$1] : $0 < $1 }) where left > 0 && amounts[i] > shares[i] {
            shares[i] += 1
            left -= 1
        }
        return shares
    }
}

/// A seller's promo codes. Its members with `orders.manage` (and tenant admins) create and switch
/// them off; to anyone else they do not exist.
public protocol PromoService: Sendable {
    /// Throws `.notFound`, `.forbidden`.
    func promoCodes(_ caller: Caller, sellerBusinessID: String) async throws -> [PromoCode]
    /// Throws `.invalid` (every bad field named), `.conflict` (the code exists), `.notFound`, `.forbidden`, `.idempotencyKeyReused`.
    func createPromoCode(_ caller: Caller, sellerBusinessID: String, _ input: PromoCodeInput, idempotency: IdempotencyKey?) async throws -> PromoCode
    /// Switches a code on or off. Throws `.notFound`, `.forbidden`.
    func setPromoCodeActive(_ caller: Caller, id: String, active: Bool) async throws -> PromoCode
}
