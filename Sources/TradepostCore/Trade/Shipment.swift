import Foundation

/// Goods that left one warehouse for an order: some lines, some quantities. Shipping takes them
/// off on-hand and releases their reservation in the same transaction; the order's state follows
/// (`partially_shipped` until every line is shipped in full, then `shipped`).
public struct Shipment: Codable, Sendable, Equatable {
    public var id: String
    public var orderId: String
    /// 1, 2, … within the order.
    public var number: Int
    public var warehouseId: String
    public var warehouseName: String
    public var carrier: String?
    public var trackingNumber: String?
    public var shippedAt: Date
    public var deliveredAt: Date?
    public var createdBy: String
    public var lines: [ShipmentLine]

    public init(id: String, orderId: String, number: Int, warehouseId: String, warehouseName: String, carrier: String?, trackingNumber: String?,
                shippedAt: Date, deliveredAt: Date?, createdBy: String, lines: [ShipmentLine]) {
        self.id = id
        self.orderId = orderId
        self.number = number
        self.warehouseId = warehouseId
        self.warehouseName = warehouseName
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.shippedAt = shippedAt
        self.deliveredAt = deliveredAt
        self.createdBy = createdBy
        self.lines = lines
    }
}

public struct ShipmentLine: Codable, Sendable, Equatable {
    public var lineNo: Int
    public var sku: String
    public var name: String
    public var quantity: Int64

    public init(lineNo: Int, sku: String, name: String, quantity: Int64) {
        self.lineNo = lineNo
        self.sku = sku
        self.name = name
        self.quantity = quantity
    }
}

/// What to ship. Without `lines`, everything the order holds reserved in the warehouse; without
/// `warehouseId`, the one warehouse holding the order's reservations.
public struct ShipmentInput: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var lineNo: Int
        public var quantity: Int64
        public init(lineNo: Int, quantity: Int64) {
            self.lineNo = lineNo
            self.quantity = quantity
        }
    }

    public var warehouseId: String?
    public var lines: [Line]?
    public var carrier: String?
    public var trackingNumber: String?

    public init(warehouseId: String? = nil, lines: [Line]? = nil, carrier: String? = nil, trackingNumber: String? = nil) {
        self.warehouseId = warehouseId
        self.lines = lines
        self.carrier = carrier
        self.trackingNumber = trackingNumber
    }

    /// Trimmed, with every bad field named. Quantities are checked against the order in the store.
    public func validated() throws -> ShipmentInput {
        var v = Validator()
        var out = self
        out.carrier = carrier.map { v.text("carrier", $0, min: 0, max: 120) }?.nilIfEmpty
        out.trackingNumber = trackingNumber.map { v.text("tracking_number", $0, min: 0, max: 120) }?.nilIfEmpty
        if let lines {
            if lines.isEmpty { v.fail("lines", "must name at least one line, or be left out to ship everything reserved") }
            if lines.count > 1000 { v.fail("lines", "at most 1000") }
            var seen = Set<Int>()
            for (i, line) in lines.enumerated() {
                if !(1...StockMovementInput.maxQuantity).contains(line.quantity) { v.fail("lines[\(i)].quantity", "must be from 1 to 10^12") }
                if !seen.insert(line.lineNo).inserted { v.fail("lines[\(i)].line_no", "names line \(line.lineNo) twice") }
            }
        }
        try v.check()
        return out
    }
}
