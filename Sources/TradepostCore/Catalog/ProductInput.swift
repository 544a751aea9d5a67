import Foundation

/// The editable fields of a product; create needs sku, name and price, update changes what is present
/// (`.some(nil)` clears an optional field). Prices are decimal text, read exactly in the product's currency.
public struct ProductInput: Sendable, Equatable {
    public struct Tier: Sendable, Equatable {
        public var minQuantity: Int64
        public var price: String
        public init(minQuantity: Int64, price: String) {
            self.minQuantity = minQuantity
            self.price = price
        }
    }

    public var sku: String?
    public var name: String?
    public var brand: String??
    public var manufacturer: String??
    public var categoryId: String??
    public var description: String??
    public var attributes: [String: AttributeValue]?
    public var unit: String?
    public var packSize: Int64?
    public var minOrderQuantity: Int64?
    public var orderMultiple: Int64?
    public var currency: String?
    public var price: String?
    public var tiers: [Tier]?
    public var stockQuantity: Int64?
    public var availability: Availability?
    /// Only draft, published (becomes pending review when the tenant requires review) or archived.
    public var status: ProductStatus?
    public var priority: Int?
    /// A percent ("20", "7.5"); the seller's prices include it or not (its trade settings).
    public var taxRate: String?

    public init() {}

    /// Checks every present field; `creating` also requires sku, name and price.
    public func validated(creating: Bool) throws -> ProductInput {
        var v = Validator()
        var out = self
        if let sku {
            out.sku = v.text("sku", sku, max: 64)
        } else if creating { v.fail("sku", "is required") }
        if let name { out.name = v.text("name", name, max: 300) } else if creating { v.fail("name", "is required") }
        out.brand = optional(&v, "brand", brand, max: 120)
        out.manufacturer = optional(&v, "manufacturer", manufacturer, max: 200)
        out.description = optional(&v, "description", description, max: 10_000, multiline: true)
        if case .some(.some(let id)) = categoryId { v.identifier("category_id", id) }
        if let attributes {
            if attributes.count > 50 { v.fail("attributes", "may hold at most 50 attributes") }
            for (key, value) in attributes {
                // snake_case only: the API writes keys in snake_case, so "dosageForm" would come back as "dosage_form".
                let scalars = key.unicodeScalars
                let allowed = scalars.allSatisfy {
                    ($0.properties.isAlphabetic && !$0.properties.isUppercase) || $0.properties.numericType == .decimal || $0 == "_"
                }
                if key.isEmpty || key.count > 60 || !allowed || !(scalars.first?.properties.isAlphabetic ?? false) {
                    v.fail("attributes", "names are snake_case: 1–60 lowercase letters, digits or underscores, starting with a letter (\(key.prefix(60)))")
                }
                if case .text(let s) = value, s.count > 500 { v.fail("attributes.\(key)", "must be at most 500 characters") }
            }
        }
        if let unit { out.unit = v.text("unit", unit, max: 20) }
        if let packSize, packSize < 1 || packSize > 1_000_000 { v.fail("pack_size", "must be from 1 to 1000000") }
        if let minOrderQuantity, minOrderQuantity < 1 || minOrderQuantity > 1_000_000_000 { v.fail("min_order_quantity", "must be from 1 to 10^9") }
        if let orderMultiple, orderMultiple < 1 || orderMultiple > 1_000_000 { v.fail("order_multiple", "must be from 1 to 1000000") }
        if let currency {
            out.currency = currency.uppercased()
            if !Money.isCurrency(out.currency!) { v.fail("currency", "must be a 3-letter ISO 4217 code such as UAH or EUR") }
        }
        if price == nil && creating { v.fail("price", "is required") }
        if let tiers {
            if tiers.count > 20 { v.fail("tiers", "may hold at most 20 tiers") }
            let quantities = tiers.map(\.minQuantity)
            if quantities.contains(where: { $0 < 2 }) { v.fail("tiers", "start from a quantity of 2 or more (1 is the base price)") }
            if Set(quantities).count != quantities.count { v.fail("tiers", "must not repeat a quantity") }
        }
        if let stockQuantity, stockQuantity < 0 || stockQuantity > 1_000_000_000_000 { v.fail("stock_quantity", "must be from 0 to 10^12") }
        if let status, ![.draft, .published, .archived].contains(status) {
            v.fail("status", "can be set to draft, published or archived")
        }
        if let priority, priority < 0 || priority > 1000 { v.fail("priority", "must be from 0 to 1000") }
        if let taxRate, TaxRate.parse(taxRate) == nil { v.fail("tax_rate", "must be a percent from 0 to 100 with at most two decimals, e.g. \"20\" or \"7.5\"") }
        try v.check()
        return out
    }

    /// For input already `validated(creating: false)`: the fields a new product needs. Throws `.invalid`.
    public func requireForCreate() throws {
        var v = Validator()
        if sku == nil { v.fail("sku", "is required") }
        if name == nil { v.fail("name", "is required") }
        if price == nil { v.fail("price", "is required") }
        try v.check()
    }

    /// The exact prices, checked against `currency`. Throws `.invalid`.
    public func money(currency: String) throws -> (price: Money?, tiers: [PriceTier]?) {
        var v = Validator()
        var base: Money?
        if let price {
            base = Money.parse(price, currency: currency)
            if base == nil { v.fail("price", "must be a decimal amount with at most \(Money.exponent(currency)) decimals, like \"12.50\"") }
        }
        var parsed: [PriceTier]?
        if let tiers {
            parsed = []
            for (i, tier) in tiers.enumerated() {
                if let money = Money.parse(tier.price, currency: currency) {
                    parsed!.append(PriceTier(minQuantity: tier.minQuantity, price: money))
                } else {
                    v.fail("tiers[\(i)].price", "must be a decimal amount like \"11.90\"")
                }
            }
            parsed!.sort { $0.minQuantity < $1.minQuantity }
        }
        try v.check()
        return (base, parsed)
    }

    private func optional(_ v: inout Validator, _ field: String, _ value: String??, max: Int, multiline: Bool = false) -> String?? {
        guard case .some(.some(let text)) = value else { return value }
        let trimmed = text.trimmed()
        if trimmed.isEmpty { return .some(nil) }
        return .some(v.text(field, trimmed, max: max, multiline: multiline))
    }
}

/// Which products a caller may see: tenant admins all of them, business members their own in any
/// status, everyone else published ones only.
public struct ProductVisibility: Sendable, Equatable {
    public var all: Bool
    public var ownBusinesses: Set<String>

    public init(all: Bool, ownBusinesses: Set<String>) {
        self.all = all
        self.ownBusinesses = ownBusinesses
    }

    public func canSee(_ product: Product) -> Bool {
        all || product.status == .published || ownBusinesses.contains(product.businessId)
    }
}

public struct ProductFilter: Sendable {
    public var businessID: String?
    public var categoryID: String?
    public var status: ProductStatus?

    public init(businessID: String? = nil, categoryID: String? = nil, status: ProductStatus? = nil) {
        self.businessID = businessID
        self.categoryID = categoryID
        self.status = status
    }
}

/// Products. Each method takes the caller and decides permission inside its own transaction:
/// members of a business manage its products, tenant admins everything; a product the caller may
/// not see is `.notFound`, one they see but may not change `.forbidden`.
public protocol ProductService: Sendable {
    /// Throws `.invalid`, `.notFound` (business or category), `.forbidden`, `.conflict` (the SKU exists in this business).
    func createProduct(_ caller: Caller, businessID: String, _ input: ProductInput) async throws -> Product

    /// Throws `.notFound` (also when the caller may not see it).
    func product(_ caller: Caller, id: String) async throws -> Product

    /// Newest first, only what the caller may see. Throws `.invalid` (cursor).
    func products(_ caller: Caller, _ page: PageRequest, filter: ProductFilter) async throws -> Page<Product>

    /// Records each price change. Throws `.notFound`, `.forbidden`, `.invalid`, `.conflict` (SKU taken).
    func updateProduct(_ caller: Caller, id: String, _ input: ProductInput) async throws -> Product

    /// Throws `.notFound`, `.forbidden`.
    func deleteProduct(_ caller: Caller, id: String) async throws

    /// Newest first. Throws `.notFound`.
    func priceHistory(_ caller: Caller, productID: String, _ page: PageRequest) async throws -> Page<PriceChange>

    /// Products waiting for review, oldest first. Throws `.forbidden` (not a tenant admin).
    func reviewQueue(_ caller: Caller, _ page: PageRequest) async throws -> Page<Product>

    /// Approves (publishes) or rejects a product pending review.
    /// Throws `.forbidden`, `.notFound`, `.conflict` (not pending), `.invalid` (no reason).
    func review(_ caller: Caller, id: String, approve: Bool, reason: String?) async throws -> Product

    /// Whether new and changed products need a tenant admin's approval before they are published.
    func catalogSettings(_ caller: Caller) async throws -> CatalogSettings
    /// Throws `.forbidden` (not a tenant admin).
    func updateCatalogSettings(_ caller: Caller, _ settings: CatalogSettings) async throws -> CatalogSettings
}

public struct CatalogSettings: Codable, Sendable, Equatable {
    public var requireReview: Bool
    public init(requireReview: Bool) { self.requireReview = requireReview }
}
