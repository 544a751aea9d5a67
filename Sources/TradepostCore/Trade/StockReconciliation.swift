import Foundation

/// A level whose counters differ from what its ledger adds up to.
public struct StockDrift: Codable, Sendable, Equatable {
    public var productId: String
    public var warehouseId: String
    /// "on_hand", "reserved" or "incoming"
    public var counter: String
    /// What the level says.
    public var recorded: Int64
    /// What the ledger adds up to.
    public var ledger: Int64

    public init(productId: String, warehouseId: String, counter: String, recorded: Int64, ledger: Int64) {
        self.productId = productId
        self.warehouseId = warehouseId
        self.counter = counter
        self.recorded = recorded
        self.ledger = ledger
    }
}

/// The result of recomputing every level of a tenant from its ledger.
public struct StockReconciliation: Codable, Sendable, Equatable {
    public var levels: Int
    public var movements: Int64
    public var drifts: [StockDrift]
    /// Whether the drifted counters were set to the ledger's figures.
    public var repaired: Bool

    public init(levels: Int, movements: Int64, drifts: [StockDrift], repaired: Bool) {
        self.levels = levels
        self.movements = movements
        self.drifts = drifts
        self.repaired = repaired
    }
}

/// Payload of `stock.low`: a level's available units fell below its threshold.
public struct StockLowEvent: Codable, Sendable, Equatable {
    public var businessId: String
    public var productId: String
    public var warehouseId: String
    public var available: Int64
    public var threshold: Int64

    public init(businessId: String, productId: String, warehouseId: String, available: Int64, threshold: Int64) {
        self.businessId = businessId
        self.productId = productId
        self.warehouseId = warehouseId
        self.available = available
        self.threshold = threshold
    }
}

/// Payload of `stock.drift`: reconciliation found counters that differ from the ledger.
public struct StockDriftEvent: Codable, Sendable, Equatable {
    public var drifts: Int
    public var repaired: Bool
    public init(drifts: Int, repaired: Bool) {
        self.drifts = drifts
        self.repaired = repaired
    }
}

extension Topic {
    /// A level fell below its low-stock threshold: `StockLowEvent`.
    public static let stockLow = "stock.low"
    /// Reconciliation found drift: `StockDriftEvent`.
    public static let stockDrift = "stock.drift"
}
