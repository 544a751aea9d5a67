import Foundation

/// When the buyer pays: before shipment, or within `days` of the invoice.
public struct PaymentTerms: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case prepaid, net }
    public var kind: Kind
    /// For `net`: days after the invoice (1–365).
    public var days: Int?

    public init(kind: Kind, days: Int? = nil) {
        self.kind = kind
        self.days = days
    }

    public static let prepaid = PaymentTerms(kind: .prepaid)
}

/// Which rule gave a line its price (shown to the buyer in the cart and kept on the order).
public enum PriceSource: String, Codable, Sendable, CaseIterable {
    case base, tier
    case priceList = "price_list"
    /// Agreed in a negotiation.
    case offer
}

/// One line of an order: what was ordered, the price snapshot taken at placement, and what the
/// warehouses did with it.
public struct OrderLine: Codable, Sendable, Equatable {
    public var lineNo: Int
    public var productId: String
    public var sku: String
    public var name: String
    public var quantity: Int64
    public var unitPrice: Money
    public var priceSource: PriceSource
    public var priceListId: String?
    public var tierMinQuantity: Int64?
    public var taxRate: TaxRate
    public var net: Money
    public var tax: Money
    public var gross: Money
    /// Units held in warehouses for this line.
    public var reserved: Int64
    /// Units the seller owes but could not reserve (only when it allows backorders).
    public var backordered: Int64
    public var shipped: Int64
    /// Taken off `unitPrice × quantity` by the order's promo code (net and gross are after it).
    public var discount: Money?

    public init(lineNo: Int, productId: String, sku: String, name: String, quantity: Int64, unitPrice: Money, priceSource: PriceSource,
                priceListId: String?, tierMinQuantity: Int64?, taxRate: TaxRate, net: Money, tax: Money, gross: Money,
                reserved: Int64, backordered: Int64, shipped: Int64, discount: Money? = nil) {
        self.lineNo = lineNo
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.priceSource = priceSource
        self.priceListId = priceListId
        self.tierMinQuantity = tierMinQuantity
        self.taxRate = taxRate
        self.net = net
        self.tax = tax
        self.gross = gross
        self.reserved = reserved
        self.backordered = backordered
        self.shipped = shipped
        self.discount = discount
    }
}

/// Tax of one rate over an order's lines.
public struct TaxSummary: Codable, Sendable, Equatable {
    public var rate: TaxRate
    public var net: Money
    public var tax: Money
    public init(rate: TaxRate, net: Money, tax: Money) {
        self.rate = rate
        self.net = net
        self.tax = tax
    }
}

/// An order from one buyer business to one seller business.
public struct Order: Codable, Sendable, Equatable {
    public var id: String
    public var number: String
    public var sellerBusinessId: String
    public var sellerName: String
    public var buyerBusinessId: String
    public var buyerName: String
    public var state: OrderState
    public var currency: String
    public var pricesIncludeTax: Bool
    public var net: Money
    public var tax: Money
    public var gross: Money
    public var taxes: [TaxSummary]
    public var notes: String?
    public var deliveryAddress: String?
    public var requestedDate: String?
    public var paymentTerms: PaymentTerms
    public var placedBy: String
    public var placedAt: Date
    public var confirmedAt: Date?
    public var cancelledAt: Date?
    public var cancelReason: String?
    public var updatedAt: Date
    /// Lines are present when one order is read, not in lists.
    public var lines: [OrderLine]?
    public var history: [OrderHistoryEntry]?
    /// The promo code applied at placement and what it took off in all (present when one order is read).
    public var promoCode: String?
    public var discount: Money?

    public init(id: String, number: String, sellerBusinessId: String, sellerName: String, buyerBusinessId: String, buyerName: String,
                state: OrderState, currency: String, pricesIncludeTax: Bool, net: Money, tax: Money, gross: Money, taxes: [TaxSummary],
                notes: String?, deliveryAddress: String?, requestedDate: String?, paymentTerms: PaymentTerms, placedBy: String,
                placedAt: Date, confirmedAt: Date?, cancelledAt: Date?, cancelReason: String?, updatedAt: Date,
                lines: [OrderLine]?, history: [OrderHistoryEntry]?) {
        self.id = id
        self.number = number
        self.sellerBusinessId = sellerBusinessId
        self.sellerName = sellerName
        self.buyerBusinessId = buyerBusinessId
        self.buyerName = buyerName
        self.state = state
        self.currency = currency
        self.pricesIncludeTax = pricesIncludeTax
        self.net = net
        self.tax = tax
        self.gross = gross
        self.taxes = taxes
        self.notes = notes
        self.deliveryAddress = deliveryAddress
        self.requestedDate = requestedDate
        self.paymentTerms = paymentTerms
        self.placedBy = placedBy
        self.placedAt = placedAt
        self.confirmedAt = confirmedAt
        self.cancelledAt = cancelledAt
        self.cancelReason = cancelReason
        self.updatedAt = updatedAt
        self.lines = lines
        self.history = history
    }
}

/// One step of an order's life: who moved it from which state to which, and why.
public struct OrderHistoryEntry: Codable, Sendable, Equatable {
    public var at: Date
    public var actor: String
    public var actorLabel: String?
    public var from: OrderState?
    public var to: OrderState
    public var note: String?

    public init(at: Date, actor: String, actorLabel: String?, from: OrderState?, to: OrderState, note: String?) {
        self.at = at
        self.actor = actor
        self.actorLabel = actorLabel
        self.from = from
        self.to = to
        self.note = note
    }
}

/// Payload of every `order.*` event.
public struct OrderEvent: Codable, Sendable, Equatable {
    public var orderId: String
    public var number: String
    public var sellerBusinessId: String
    public var buyerBusinessId: String
    public var state: OrderState
    public init(_ order: Order) {
        orderId = order.id
        number = order.number
        sellerBusinessId = order.sellerBusinessId
        buyerBusinessId = order.buyerBusinessId
        state = order.state
    }
}

extension Topic {
    /// `order.placed`, `order.confirmed`, `order.cancelled`, … : `OrderEvent`, one per transition.
    public static func order(_ state: OrderState) -> String { "order.\(state.rawValue)" }
}

/// One change to an order as the live socket sends it (`order.changed`): a client refetches the
/// order; `seq` grows by one per change in the tenant, so a client that reconnects asks for what
/// came after the last one it saw.
public struct OrderLiveEvent: Codable, Sendable, Equatable {
    public var seq: Int64
    /// What happened: `order.confirmed`, `shipment.created`, `invoice.issued`, `payment.recorded`, …
    public var topic: String
    public var orderId: String
    public var number: String
    public var state: OrderState
    public var at: Date

    public init(seq: Int64, topic: String, orderId: String, number: String, state: OrderState, at: Date) {
        self.seq = seq
        self.topic = topic
        self.orderId = orderId
        self.number = number
        self.state = state
        self.at = at
    }
}
