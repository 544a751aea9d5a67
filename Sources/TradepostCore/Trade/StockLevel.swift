import Foundation

/// One product's stock in one warehouse. `available` = on hand − reserved: what can still be
/// promised. The counters are kept in the same transaction as each ledger row that moves them, and
/// reconciliation recomputes them from the ledger.
public struct StockLevel: Codable, Sendable, Equatable {
    public var productId: String
    public var sku: String
    public var productName: String
    public var warehouseId: String
    public var warehouseName: String
    public var onHand: Int64
    public var reserved: Int64
    public var incoming: Int64
    /// Below this many available units the level is low (`stock.low` is raised when it crosses).
    public var lowThreshold: Int64?

    public var available: Int64 { onHand - reserved }
    public var isLow: Bool { lowThreshold.map { available < $0 } ?? false }

    public init(productId: String, sku: String, productName: String, warehouseId: String, warehouseName: String,
                onHand: Int64, reserved: Int64, incoming: Int64, lowThreshold: Int64?) {
        self.productId = productId
        self.sku = sku
        self.productName = productName
        self.warehouseId = warehouseId
        self.warehouseName = warehouseName
        self.onHand = onHand
        self.reserved = reserved
        self.incoming = incoming
        self.lowThreshold = lowThreshold
    }

    enum CodingKeys: String, CodingKey {
        case productId, sku, productName, warehouseId, warehouseName, onHand, reserved, available, incoming, lowThreshold, low
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(productId: try c.decode(String.self, forKey: .productId), sku: try c.decode(String.self, forKey: .sku),
                  productName: try c.decode(String.self, forKey: .productName),
                  warehouseId: try c.decode(String.self, forKey: .warehouseId),
                  warehouseName: try c.decode(String.self, forKey: .warehouseName),
                  onHand: try c.decode(Int64.self, forKey: .onHand), reserved: try c.decode(Int64.self, forKey: .reserved),
                  incoming: try c.decode(Int64.self, forKey: .incoming),
                  lowThreshold: try c.decodeIfPresent(Int64.self, forKey: .lowThreshold))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(productId, forKey: .productId)
        try c.encode(sku, forKey: .sku)
        try c.encode(productName, forKey: .productName)
        try c.encode(warehouseId, forKey: .warehouseId)
        try c.encode(warehouseName, forKey: .warehouseName)
        try c.encode(onHand, forKey: .onHand)
        try c.encode(reserved, forKey: .reserved)
        try c.encode(available, forKey: .available)
        try c.encode(incoming, forKey: .incoming)
        try c.encode(lowThreshold, forKey: .lowThreshold)
        try c.encode(isLow, forKey: .low)
    }
}

/// Which levels a stock listing shows.
public struct StockFilter: Sendable, Equatable {
    public var warehouseID: String?
    public var productID: String?
    /// Only levels below their low-stock threshold.
    public var lowOnly: Bool

    public init(warehouseID: String? = nil, productID: String? = nil, lowOnly: Bool = false) {
        self.warehouseID = warehouseID
        self.productID = productID
        self.lowOnly = lowOnly
    }
}
