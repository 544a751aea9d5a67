import Foundation

/// Buyer businesses a seller prices alike ("pharmacy chains", "Kyiv wholesale").
public struct BuyerGroup: Codable, Sendable, Equatable {
    public var id: String
    public var sellerBusinessId: String
    public var name: String
    public var buyerBusinessIds: [String]
    public var createdAt: Date

    public init(id: String, sellerBusinessId: String, name: String, buyerBusinessIds: [String], createdAt: Date) {
        self.id = id
        self.sellerBusinessId = sellerBusinessId
        self.name = name
        self.buyerBusinessIds = buyerBusinessIds
        self.createdAt = createdAt
    }
}

/// A seller's prices for one buyer business or one buyer group, valid between two dates (inclusive,
/// either open). The price replaces the base price for that buyer; a quantity tier still wins when lower.
public struct PriceList: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        public var productId: String
        public var sku: String
        public var price: Money
        public init(productId: String, sku: String, price: Money) {
            self.productId = productId
            self.sku = sku
            self.price = price
        }
    }

    public var id: String
    public var sellerBusinessId: String
    public var name: String
    public var buyerBusinessId: String?
    public var buyerGroupId: String?
    /// "YYYY-MM-DD"
    public var validFrom: String?
    public var validTo: String?
    public var itemCount: Int
    /// Present when one list is read; lists of lists leave it out.
    public var items: [Item]?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, sellerBusinessId: String, name: String, buyerBusinessId: String?, buyerGroupId: String?, validFrom: String?,
        validTo: String?, itemCount: Int, items: [Item]?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.sellerBusinessId = sellerBusinessId
        self.name = name
        self.buyerBusinessId = buyerBusinessId
        self.buyerGroupId = buyerGroupId
        self.validFrom = validFrom
        self.validTo = validTo
        self.itemCount = itemCount
        self.items = items
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The fields of a price list; create needs name, one buyer and items may be empty. Update changes
/// what is present; `items` replaces all items.
public struct PriceListInput: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var productId: String?
        public var sku: String?
        public var price: String
        public init(productId: String? = nil, sku: String? = nil, price: String) {
            self.productId = productId
            self.sku = sku
            self.price = price
        }
    }

    public var name: String?
    public var buyerBusinessId: String?
    public var buyerGroupId: String?
    public var validFrom: String??
    public var validTo: String??
    public var items: [Item]?

    public init(name: String? = nil, buyerBusinessId: String? = nil, buyerGroupId: String? = nil, validFrom: String?? = nil,
                validTo: String?? = nil, items: [Item]? = nil) {
        self.name = name
        self.buyerBusinessId = buyerBusinessId
        self.buyerGroupId = buyerGroupId
        self.validFrom = validFrom
        self.validTo = validTo
        self.items = items
    }

    public func validated(creating: Bool) throws -> PriceListInput {
        var v = Validator()
        var out = self
        if let name { out.name = v.text("name", name, max: 120) } else if creating { v.fail("name", "is required") }
        if creating && (buyerBusinessId == nil) == (buyerGroupId == nil) {
            v.fail("buyer_business_id", "give either buyer_business_id or buyer_group_id")
        }
        if !creating && (buyerBusinessId != nil || buyerGroupId != nil) { v.fail("buyer_business_id", "cannot change; make a new list") }
        for (field, value) in [("valid_from", validFrom), ("valid_to", validTo)] {
            if case .some(.some(let date)) = value, !Self.isDate(date) { v.fail(field, "must be a date like 2026-12-31") }
        }
        if case .some(.some(let from)) = validFrom, case .some(.some(let to)) = validTo, from > to {
            v.fail("valid_to", "must not be before valid_from")
        }
        if let items {
            if items.count > 10_000 { v.fail("items", "may hold at most 10000 products per request") }
            for (i, item) in items.enumerated() where (item.productId == nil) == (item.sku == nil) {
                v.fail("items[\(i)]", "give either product_id or sku")
            }
        }
        try v.check()
        return out
    }

    public static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
        return (2000...2200).contains(y) && (1...12).contains(m) && (1...31).contains(d)
    }
}

/// Customer prices. Each method takes the caller and decides inside its own transaction: a
/// seller's members (and tenant admins) manage its buyer groups and price lists (`.forbidden` for
/// other callers on the seller's own collections); a list or group is read by them and by members
/// of the buyers it names, and is `.notFound` to everyone else.
public protocol PriceListService: Sendable {
    /// Throws `.invalid`, `.notFound` (seller or buyer business), `.forbidden`, `.conflict` (the name exists for this seller).
    func createGroup(_ caller: Caller, sellerBusinessID: String, name: String, buyerBusinessIDs: [String]) async throws -> BuyerGroup
    /// Throws `.notFound`, `.forbidden`.
    func groups(_ caller: Caller, sellerBusinessID: String) async throws -> [BuyerGroup]
    /// Throws `.invalid`, `.notFound` (also when the caller may not manage its seller), `.conflict`.
    func updateGroup(_ caller: Caller, id: String, name: String?, buyerBusinessIDs: [String]?) async throws -> BuyerGroup
    /// Its price lists go with it. Throws `.notFound` (also when the caller may not manage its seller).
    func deleteGroup(_ caller: Caller, id: String) async throws

    /// Throws `.invalid` (an item's product is not the seller's, or its price is not in the product's currency), `.notFound`, `.forbidden`.
    func createPriceList(_ caller: Caller, sellerBusinessID: String, _ input: PriceListInput) async throws -> PriceList
    /// Throws `.notFound`, `.forbidden`.
    func priceLists(_ caller: Caller, sellerBusinessID: String) async throws -> [PriceList]
    /// With its items, for its seller's managers and its buyers' members. Throws `.notFound`.
    func priceList(_ caller: Caller, id: String) async throws -> PriceList
    /// Throws `.invalid`, `.notFound` (also when the caller may not manage its seller).
    func updatePriceList(_ caller: Caller, id: String, _ input: PriceListInput) async throws -> PriceList
    /// Throws `.notFound` (also when the caller may not manage its seller).
    func deletePriceList(_ caller: Caller, id: String) async throws
    /// The lists (with their items) made for any business the caller is a member of.
    func myPriceLists(_ caller: Caller) async throws -> [PriceList]

    /// What a buyer pays for `quantity` on `day` ("YYYY-MM-DD"): the lowest of the base price, the
    /// quantity tier and any valid price list of theirs. The buyer is `buyer` (a business whose
    /// contract prices the caller may see: their own, their customers' as the seller, any for a
    /// tenant admin) or, without it, every business the caller is a member of. One read transaction.
    /// Throws `.invalid` (quantity), `.notFound` (product, or a buyer the caller may not see).
    func effectivePrice(_ caller: Caller, productID: String, quantity: Int64, buyer: String?, day: String) async throws -> EffectivePrice
}
