import Foundation

/// The lifecycle of a product: draft → (pending review →) published or rejected → archived.
public enum ProductStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case pendingReview = "pending_review"
    case published, rejected, archived
}

public enum Availability: String, Codable, Sendable, CaseIterable {
    case inStock = "in_stock"
    case outOfStock = "out_of_stock"
    /// Made or ordered in on request; stock quantity says nothing.
    case onRequest = "on_request"
}

/// A quantity price break: from `minQuantity` units on, each unit costs `price`.
public struct PriceTier: Codable, Sendable, Equatable {
    public var minQuantity: Int64
    public var price: Money

    public init(minQuantity: Int64, price: Money) {
        self.minQuantity = minQuantity
        self.price = price
    }
}

/// A product in a business's catalog.
public struct Product: Codable, Sendable, Equatable {
    public var id: String
    public var businessId: String
    public var sku: String
    public var name: String
    public var brand: String?
    public var manufacturer: String?
    public var categoryId: String?
    public var description: String?
    /// Typed attributes (dosage form, strength, pack size, country of origin…): text, number or boolean values.
    public var attributes: [String: AttributeValue]
    public var unit: String
    public var packSize: Int64
    public var minOrderQuantity: Int64
    public var orderMultiple: Int64
    public var price: Money
    /// Ascending by `minQuantity`, each above 1.
    public var tiers: [PriceTier]
    public var stockQuantity: Int64
    public var availability: Availability
    public var status: ProductStatus
    public var rejectionReason: String?
    /// Set by the business: higher ranks first among equally relevant search results (0–1000).
    public var priority: Int
    /// The tax on this product's sales (0 %, 7 %, 20 %…); whether prices include it is the seller's setting.
    public var taxRate: TaxRate
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, businessId: String, sku: String, name: String, brand: String?, manufacturer: String?, categoryId: String?,
        description: String?, attributes: [String: AttributeValue], unit: String, packSize: Int64, minOrderQuantity: Int64,
        orderMultiple: Int64, price: Money, tiers: [PriceTier], stockQuantity: Int64, availability: Availability,
        status: ProductStatus, rejectionReason: String?, priority: Int, taxRate: TaxRate = .zero, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.businessId = businessId
        self.sku = sku
        self.name = name
        self.brand = brand
        self.manufacturer = manufacturer
        self.categoryId = categoryId
        self.description = description
        self.attributes = attributes
        self.unit = unit
        self.packSize = packSize
        self.minOrderQuantity = minOrderQuantity
        self.orderMultiple = orderMultiple
        self.price = price
        self.tiers = tiers
        self.stockQuantity = stockQuantity
        self.availability = availability
        self.status = status
        self.rejectionReason = rejectionReason
        self.priority = priority
        self.taxRate = taxRate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// An attribute value: exactly one of text, number (a decimal string, exact) or boolean.
public enum AttributeValue: Codable, Sendable, Equatable, Hashable {
    case text(String)
    case number(String)
    case bool(Bool)

    public var display: String {
        switch self {
        case .text(let s), .number(let s): s
        case .bool(let b): b ? "yes" : "no"
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let s = try? c.decode(String.self) {
            self = .text(s)
        } else if let d = try? c.decode(Decimal.self) {
            self = .number("\(d)")
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "must be text, a number or true/false")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .number(let s): try c.encode(Decimal(string: s) ?? 0)
        case .bool(let b): try c.encode(b)
        }
    }
}

extension AttributeValue {
    /// True when `Decimal(string:)` would print this text back unchanged: a plain integer of at
    /// most 18 digits, without leading zeros or a negative zero. Most attribute numbers are, and
    /// they are read and written without building a `Decimal`.
    public static func isPlainInteger(_ text: some Collection<UInt8>) -> Bool {
        var digits = 0, first = true, negative = false, leadingZero = false
        for byte in text {
            if first && byte == UInt8(ascii: "-") { negative = true; first = false; continue }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return false }
            if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
            digits += 1
            first = false
        }
        return digits >= 1 && digits <= 18 && (!leadingZero || (digits == 1 && !negative))
    }
}

/// One recorded price change.
public struct PriceChange: Codable, Sendable, Equatable {
    public var id: Int64
    public var productId: String
    public var at: Date
    /// Who changed it: a user id, or "import", "system".
    public var actor: String
    public var actorLabel: String?
    /// "base", or "tier" with `minQuantity`.
    public var kind: String
    public var minQuantity: Int64?
    /// Nil when the price (or tier) did not exist before.
    public var oldPrice: Money?
    /// Nil when the tier was removed.
    public var newPrice: Money?

    public init(id: Int64, productId: String, at: Date, actor: String, actorLabel: String?, kind: String, minQuantity: Int64?,
                oldPrice: Money?, newPrice: Money?) {
        self.id = id
        self.productId = productId
        self.at = at
        self.actor = actor
        self.actorLabel = actorLabel
        self.kind = kind
        self.minQuantity = minQuantity
        self.oldPrice = oldPrice
        self.newPrice = newPrice
    }
}

/// The price a buyer pays for a quantity.
public struct EffectivePrice: Codable, Sendable, Equatable {
    public var productId: String
    public var quantity: Int64
    public var unitPrice: Money
    public var total: Money
    /// The tier applied, nil for the base price.
    public var tierMinQuantity: Int64?
    /// The customer price list applied, if any.
    public var priceListId: String?

    public init(productId: String, quantity: Int64, unitPrice: Money, total: Money, tierMinQuantity: Int64?, priceListId: String?) {
        self.productId = productId
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.total = total
        self.tierMinQuantity = tierMinQuantity
        self.priceListId = priceListId
    }
}
