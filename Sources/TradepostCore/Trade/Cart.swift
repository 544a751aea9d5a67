import Foundation

/// One line of a buyer's cart, priced now for that buyer (tier, customer price list, date) with the
/// rule that won, and what would stop it from being ordered.
public struct CartLine: Codable, Sendable, Equatable {
    public var productId: String
    public var sku: String
    public var name: String
    public var quantity: Int64
    public var unitPrice: Money?
    public var total: Money?
    public var priceSource: PriceSource?
    public var priceListId: String?
    public var tierMinQuantity: Int64?
    /// What the seller has available now (all active warehouses).
    public var available: Int64
    /// Why the line cannot be ordered as it is (minimum order, multiple, no longer sold), or nil.
    public var problem: String?

    public init(productId: String, sku: String, name: String, quantity: Int64, unitPrice: Money?, total: Money?, priceSource: PriceSource?,
                priceListId: String?, tierMinQuantity: Int64?, available: Int64, problem: String?) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.total = total
        self.priceSource = priceSource
        self.priceListId = priceListId
        self.tierMinQuantity = tierMinQuantity
        self.available = available
        self.problem = problem
    }
}

/// A buyer business's cart with one seller (a member's own: each buyer member has theirs).
public struct Cart: Codable, Sendable, Equatable {
    public var buyerBusinessId: String
    public var sellerBusinessId: String
    public var sellerName: String
    public var lines: [CartLine]
    /// The sum of the lines that can be ordered, in the seller's currency (nil for an empty cart or mixed currencies).
    public var total: Money?

    public init(buyerBusinessId: String, sellerBusinessId: String, sellerName: String, lines: [CartLine], total: Money?) {
        self.buyerBusinessId = buyerBusinessId
        self.sellerBusinessId = sellerBusinessId
        self.sellerName = sellerName
        self.lines = lines
        self.total = total
    }
}

/// What a pasted "SKU quantity" list did: the carts it filled and the lines it could not use.
public struct QuickOrderResult: Codable, Sendable, Equatable {
    public struct Issue: Codable, Sendable, Equatable {
        public var line: Int
        public var text: String
        public var message: String
        public init(line: Int, text: String, message: String) {
            self.line = line
            self.text = text
            self.message = message
        }
    }
    public var added: Int
    public var issues: [Issue]
    public var carts: [Cart]

    public init(added: Int, issues: [Issue], carts: [Cart]) {
        self.added = added
        self.issues = issues
        self.carts = carts
    }

    /// Parses "SKU quantity" lines (also "SKU;quantity", "SKU,quantity", "SKU<tab>quantity"); blank
    /// lines are skipped. Returns (line number, SKU, quantity) and the lines it could not read.
    public static func parse(_ text: String) -> (rows: [(line: Int, sku: String, quantity: Int64)], issues: [Issue]) {
        var rows: [(Int, String, Int64)] = []
        var issues: [Issue] = []
        // "\r\n" is one Character in Swift: split on any line break, not on "\n".
        for (i, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            // A spreadsheet's CSV quotes its cells: "PAR-500";"20".
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" || $0 == "," })
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }.filter { !$0.isEmpty }
            guard parts.count >= 2, let quantity = Int64(parts.last!), quantity > 0, quantity <= StockMovementInput.maxQuantity else {
                issues.append(Issue(line: i + 1, text: String(line.prefix(200)), message: "write a SKU and a whole quantity, e.g. \"PAR-500 20\""))
                continue
            }
            rows.append((i + 1, parts.dropLast().joined(separator: " "), quantity))
        }
        return (rows, issues)
    }
}

/// What a buyer places: the cart with one seller, or the lines given here.
public struct PlaceOrderInput: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var productId: String?
        public var sku: String?
        public var quantity: Int64
        public init(productId: String? = nil, sku: String? = nil, quantity: Int64) {
            self.productId = productId
            self.sku = sku
            self.quantity = quantity
        }
    }

    public var buyerBusinessId: String?
    public var sellerBusinessId: String?
    /// Without lines, the caller's cart with the seller.
    public var lines: [Line]?
    public var notes: String?
    public var deliveryAddress: String?
    public var requestedDate: String?
    public var paymentTerms: PaymentTerms?
    /// The total the buyer saw and agreed to: when prices have changed since, placement is refused
    /// (409 `price_changed`) with the new total, so the buyer sees it before confirming.
    public var expectedTotal: Money?
    /// A promo code of the seller, applied at placement.
    public var promoCode: String?

    public init(buyerBusinessId: String? = nil, sellerBusinessId: String? = nil, lines: [Line]? = nil, notes: String? = nil,
                deliveryAddress: String? = nil, requestedDate: String? = nil, paymentTerms: PaymentTerms? = nil, expectedTotal: Money? = nil,
                promoCode: String? = nil) {
        self.buyerBusinessId = buyerBusinessId
        self.sellerBusinessId = sellerBusinessId
        self.lines = lines
        self.notes = notes
        self.deliveryAddress = deliveryAddress
        self.requestedDate = requestedDate
        self.paymentTerms = paymentTerms
        self.expectedTotal = expectedTotal
        self.promoCode = promoCode
    }

    /// Throws `.invalid` naming every bad field.
    public func validated() throws -> PlaceOrderInput {
        var v = Validator()
        var out = self
        if buyerBusinessId == nil { v.fail("buyer_business_id", "is required") }
        if sellerBusinessId == nil { v.fail("seller_business_id", "is required") }
        if let lines {
            if lines.isEmpty || lines.count > 1000 { v.fail("lines", "must hold 1 to 1000 lines") }
            for (i, line) in lines.enumerated() {
                if (line.productId == nil) == (line.sku == nil) { v.fail("lines[\(i)]", "give either product_id or sku") }
                if line.quantity <= 0 || line.quantity > StockMovementInput.maxQuantity { v.fail("lines[\(i)].quantity", "must be from 1 to 10^12") }
            }
        }
        if let notes { out.notes = v.text("notes", notes, min: 0, max: 2000, multiline: true).nilIfEmpty }
        if let deliveryAddress { out.deliveryAddress = v.text("delivery_address", deliveryAddress, min: 0, max: 500, multiline: true).nilIfEmpty }
        if let requestedDate, !PriceListInput.isDate(requestedDate) { v.fail("requested_date", "must be a date like 2026-12-31") }
        if let promoCode {
            out.promoCode = PromoCode.normalized(promoCode).nilIfEmpty
            if let code = out.promoCode, !PromoCode.isCode(code) { v.fail("promo_code", "is not a promo code (3–32 letters, digits, - or _)") }
        }
        if let terms = paymentTerms {
            switch terms.kind {
            case .prepaid: if terms.days != nil { v.fail("payment_terms.days", "is only for net terms") }
            case .net: if !(1...365).contains(terms.days ?? 0) { v.fail("payment_terms.days", "must be from 1 to 365 for net terms") }
            }
        }
        try v.check()
        return out
    }
}

extension String {
    /// nil for an empty string.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// A seller's trade rules.
public struct TradeSettings: Codable, Sendable, Equatable {
    /// The start of its order numbers, e.g. "ACME" in ACME-2026-000123.
    public var orderPrefix: String
    /// Whether its prices (base, tiers, lists) already include tax.
    public var pricesIncludeTax: Bool
    /// Whether an order may take more than is in stock (the rest waits as a backorder).
    public var allowBackorders: Bool
    /// Terms given to buyers that ask for none.
    public var defaultPaymentTerms: PaymentTerms

    public init(orderPrefix: String, pricesIncludeTax: Bool, allowBackorders: Bool, defaultPaymentTerms: PaymentTerms) {
        self.orderPrefix = orderPrefix
        self.pricesIncludeTax = pricesIncludeTax
        self.allowBackorders = allowBackorders
        self.defaultPaymentTerms = defaultPaymentTerms
    }
}

/// Which orders a list shows.
public struct OrderFilter: Sendable, Equatable {
    public enum Side: String, Sendable, CaseIterable { case buyer, seller }
    /// Orders the business placed (`buyer`) or received (`seller`).
    public var side: Side
    public var businessID: String
    public var state: OrderState?

    public init(side: Side, businessID: String, state: OrderState? = nil) {
        self.side = side
        self.businessID = businessID
        self.state = state
    }
}
