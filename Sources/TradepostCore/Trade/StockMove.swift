import Foundation

/// What moved stock. The ledger holds every change to a level's counters as one of these; nothing
/// in it is ever updated or deleted (a mistake is corrected by another movement).
public enum StockMoveKind: String, Codable, Sendable, CaseIterable {
    /// Goods arrived (on hand +; incoming − for what was expected).
    case receipt
    /// Goods expected (incoming +), e.g. a purchase under way.
    case incoming
    /// A count or correction with a reason (on hand ±).
    case adjustment
    /// Goods left for another warehouse of the same business (on hand −).
    case transferOut = "transfer_out"
    /// Goods came from another warehouse of the same business (on hand +).
    case transferIn = "transfer_in"
    /// Promised to an order (reserved +).
    case reservation
    /// A promise withdrawn (reserved −).
    case release
    /// Goods left for a buyer (on hand − and reserved −).
    case shipment
    /// Goods a buyer sent back, put back on the shelf (on hand +).
    case `return`
    /// Goods lost, expired or damaged (on hand −).
    case writeOff = "write_off"
}

/// One row of the append-only stock ledger: who moved how much of what, where, when and why.
public struct StockMove: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var productId: String
    public var sku: String
    public var warehouseId: String
    public var kind: StockMoveKind
    public var onHandDelta: Int64
    public var reservedDelta: Int64
    public var incomingDelta: Int64
    public var reason: String?
    public var actor: String
    public var actorLabel: String?
    /// The document that caused it ("order", "shipment", "return", "transfer", "stock_count", …) and its id.
    public var documentType: String?
    public var documentId: String?

    public init(id: Int64, at: Date, productId: String, sku: String, warehouseId: String, kind: StockMoveKind,
                onHandDelta: Int64, reservedDelta: Int64, incomingDelta: Int64, reason: String?, actor: String,
                actorLabel: String?, documentType: String?, documentId: String?) {
        self.id = id
        self.at = at
        self.productId = productId
        self.sku = sku
        self.warehouseId = warehouseId
        self.kind = kind
        self.onHandDelta = onHandDelta
        self.reservedDelta = reservedDelta
        self.incomingDelta = incomingDelta
        self.reason = reason
        self.actor = actor
        self.actorLabel = actorLabel
        self.documentType = documentType
        self.documentId = documentId
    }
}

/// A movement a seller records by hand. Orders, shipments and returns make their own movements.
public struct StockMovementInput: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case receipt, incoming, adjustment, transfer
        case writeOff = "write_off"
    }

    public var kind: Kind?
    public var productId: String?
    public var warehouseId: String?
    /// For a transfer: where the goods go.
    public var toWarehouseId: String?
    /// Units moved; for an adjustment a signed change (−3 takes three off).
    public var quantity: Int64?
    /// For an adjustment instead of `quantity`: what a count found on the shelf.
    public var counted: Int64?
    public var reason: String?

    public init(kind: Kind? = nil, productId: String? = nil, warehouseId: String? = nil, toWarehouseId: String? = nil,
                quantity: Int64? = nil, counted: Int64? = nil, reason: String? = nil) {
        self.kind = kind
        self.productId = productId
        self.warehouseId = warehouseId
        self.toWarehouseId = toWarehouseId
        self.quantity = quantity
        self.counted = counted
        self.reason = reason
    }

    public static let maxQuantity: Int64 = 1_000_000_000_000

    /// Throws `.invalid` naming every bad field. Adjustments and write-offs need a reason.
    public func validated() throws -> StockMovementInput {
        var v = Validator()
        var out = self
        if kind == nil { v.fail("kind", "is required: one of " + Kind.allCases.map(\.rawValue).joined(separator: ", ")) }
        if productId == nil { v.fail("product_id", "is required") }
        if warehouseId == nil { v.fail("warehouse_id", "is required") }
        if kind == .transfer {
            if toWarehouseId == nil { v.fail("to_warehouse_id", "is required for a transfer") }
            else if toWarehouseId == warehouseId { v.fail("to_warehouse_id", "must be another warehouse") }
        } else if toWarehouseId != nil {
            v.fail("to_warehouse_id", "is only for a transfer")
        }
        if kind == .adjustment {
            if (quantity == nil) == (counted == nil) { v.fail("quantity", "give either quantity (a signed change) or counted") }
            if let quantity, quantity == 0 || abs(quantity) > Self.maxQuantity { v.fail("quantity", "must be a non-zero change of at most 10^12") }
            if let counted, counted < 0 || counted > Self.maxQuantity { v.fail("counted", "must be from 0 to 10^12") }
        } else if kind != nil {
            if counted != nil { v.fail("counted", "is only for an adjustment") }
            if let quantity { if quantity <= 0 || quantity > Self.maxQuantity { v.fail("quantity", "must be from 1 to 10^12") } }
            else { v.fail("quantity", "is required") }
        }
        if let reason {
            let text = v.text("reason", reason, min: 0, max: 500, multiline: true)
            out.reason = text.isEmpty ? nil : text
        }
        if (kind == .adjustment || kind == .writeOff) && out.reason == nil { v.fail("reason", "is required for an adjustment or write-off") }
        try v.check()
        return out
    }
}
