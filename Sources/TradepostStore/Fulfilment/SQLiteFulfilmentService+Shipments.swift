import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Shipping: goods leave one warehouse, off on-hand and out of the order's reservation in the same
/// transaction as the shipment row, and the order's state follows.
extension SQLiteFulfilmentService {
    public func ship(_ caller: Caller, orderID: String, _ input: ShipmentInput, idempotency: IdempotencyKey?) async throws -> Shipment {
        let tenant = try caller.tenant()
        let now = Date()
        let input = try input.validated()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (before, facts) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                try facts.authorize(.ordersManage, business: before.sellerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard before.state.after(.shipPart) != nil else { throw AppError.invalidState(before.state.rawValue, OrderAction.shipPart.verb) }
                    let held = try Row.fetchAll(db, sql: """
                        SELECT r.line_no, r.level_id, r.quantity, l.warehouse_id FROM order_reservations r JOIN stock_levels l ON l.id = r.level_id
                        WHERE r.order_id = ? AND r.quantity > 0 ORDER BY r.line_no, r.level_id
                        """, arguments: [before.id]).map { (line: $0[0] as Int, level: $0[1] as Int64, quantity: $0[2] as Int64, warehouse: $0[3] as String) }
                    let warehouse = try Self.shippingWarehouse(db, input.warehouseId, held: held.map(\.warehouse), seller: before.sellerBusinessId, now: now)
                    let wanted = try Self.wanted(input, before.lines ?? [], held: held.filter { $0.warehouse == warehouse }.map { ($0.line, $0.quantity) })

                    let number = (try Int.fetchOne(db, sql: "SELECT max(number) FROM shipments WHERE order_id = ?", arguments: [before.id]) ?? 0) + 1
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO shipments (id, order_id, number, warehouse_id, carrier, tracking_number, shipped_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, before.id, number, warehouse, input.carrier, input.trackingNumber, now, caller.audit.actor])
                    let cause = StockLedger.Cause(reason: nil, audit: caller.audit, documentType: "shipment", documentId: id)
                    var touched: Set<String> = []
                    for (line, quantity) in wanted {
                        var left = quantity
                        for hold in held where hold.line == line.lineNo && hold.warehouse == warehouse && left > 0 {
                            var level = try StockLedger.find(db, level: hold.level)
                            let take = min(left, hold.quantity)
                            _ = try StockLedger.apply(db, &level, .shipment, onHand: -take, reserved: -take, cause: cause, now: now)
                            try db.execute(sql: "UPDATE order_reservations SET quantity = quantity - ? WHERE order_id = ? AND line_no = ? AND level_id = ?",
                                           arguments: [take, before.id, line.lineNo, hold.level])
                            left -= take
                        }
                        let fromReserved = quantity - left
                        if left > 0 {
                            // More than the warehouse holds for the order (a backorder that arrived): from what is free there.
                            guard var level = try StockLedger.find(db, product: line.productId, warehouse: warehouse) else {
                                throw AppError.insufficientStock("\(line.sku) in this warehouse", available: fromReserved, requested: quantity)
                            }
                            _ = try StockLedger.apply(db, &level, .shipment, onHand: -left, cause: cause, now: now)
                        }
                        try db.execute(sql: """
                            UPDATE order_lines SET shipped = shipped + ?, reserved = reserved - ?, backordered = max(0, backordered - ?)
                            WHERE order_id = ? AND line_no = ?
                            """, arguments: [quantity, fromReserved, left, before.id, line.lineNo])
                        try db.execute(sql: "INSERT INTO shipment_lines (shipment_id, line_no, quantity) VALUES (?, ?, ?)", arguments: [id, line.lineNo, quantity])
                        touched.insert(line.productId)
                    }
                    try db.execute(sql: "DELETE FROM order_reservations WHERE order_id = ? AND quantity = 0", arguments: [before.id])
                    try StockLedger.refreshFigures(db, products: touched)

                    let complete = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM order_lines WHERE order_id = ? AND shipped < quantity)",
                                                     arguments: [before.id]) ?? false
                    var order = before
                    order.state = try before.state.next(complete ? .shipAll : .shipPart)
                    order.updatedAt = now
                    try db.execute(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?", arguments: [order.state.rawValue, now, order.id])
                    try OrderRows.record(db, order, from: before.state, note: "Shipment \(number)", audit: caller.audit, now: now)
                    let shipment = try FulfilmentRows.shipments(db, where: "s.id = ?", [id])[0]
                    try AuditLog.tenant(db, caller.audit, "shipment.create", target: id, detail: [
                        "order": order.number, "number": String(number), "warehouse": warehouse, "tracking_number": input.trackingNumber ?? ""])
                    try Outbox.append(db, topic: Topic.shipmentCreated, payload: ShipmentEvent(shipment))
                    return shipment
                }
            }
        }
    }

    /// The warehouse named (one of the seller's), else the one warehouse holding the order's stock.
    static func shippingWarehouse(_ db: Database, _ named: String?, held: [String], seller: String, now: Date) throws -> String {
        if let named { return try StockLedger.requireWarehouse(db, named, of: seller) }
        let holding = Set(held)
        if holding.count == 1 { return holding.first! }
        if holding.isEmpty { return try StockLedger.defaultWarehouse(db, business: seller, now: now) }
        throw AppError.invalidField("warehouse_id", "is required: the order's stock is reserved in \(holding.count) warehouses")
    }

    /// The lines and quantities to ship, each within what the line has left to ship; without lines,
    /// what the warehouse holds for the order.
    static func wanted(_ input: ShipmentInput, _ lines: [OrderLine], held: [(line: Int, quantity: Int64)]) throws -> [(OrderLine, Int64)] {
        let byNumber = Dictionary(uniqueKeysWithValues: lines.map { ($0.lineNo, $0) })
        guard let asked = input.lines else {
            let wanted = lines.compactMap { line -> (OrderLine, Int64)? in
                let here = held.filter { $0.line == line.lineNo }.reduce(Int64(0)) { $0 + $1.quantity }
                return here > 0 ? (line, here) : nil
            }
            guard !wanted.isEmpty else { throw AppError.invalidField("lines", "nothing is reserved for this order in that warehouse; name the lines to ship") }
            return wanted
        }
        var v = Validator()
        var wanted: [(OrderLine, Int64)] = []
        for (i, item) in asked.enumerated() {
            guard let line = byNumber[item.lineNo] else { v.fail("lines[\(i)].line_no", "is not a line of this order"); continue }
            let left = line.quantity - line.shipped
            if item.quantity > left { v.fail("lines[\(i)].quantity", "only \(left) of \(line.sku) left to ship"); continue }
            wanted.append((line, item.quantity))
        }
        try v.check()
        return wanted
    }

    public func shipments(_ caller: Caller, orderID: String) async throws -> [Shipment] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let (order, _) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                return try FulfilmentRows.shipments(db, where: "s.order_id = ?", [order.id])
            }
        }
    }

    public func deliver(_ caller: Caller, shipmentID: String, idempotency: IdempotencyKey?) async throws -> Shipment {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let orderID = try String.fetchOne(db, sql: "SELECT order_id FROM shipments WHERE id = ?", arguments: [shipmentID]) else {
                    throw AppError.notFound("Shipment")
                }
                let (before, facts) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                if (try? facts.authorize(.ordersPlace, business: before.buyerBusinessId)) == nil {
                    try facts.authorize(.ordersManage, business: before.sellerBusinessId)
                }
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard try Bool.fetchOne(db, sql: "SELECT delivered_at IS NULL FROM shipments WHERE id = ?", arguments: [shipmentID]) == true else {
                        throw AppError.invalidState("delivered", "mark the shipment delivered")
                    }
                    try db.execute(sql: "UPDATE shipments SET delivered_at = ? WHERE id = ?", arguments: [now, shipmentID])
                    let shipment = try FulfilmentRows.shipments(db, where: "s.id = ?", [shipmentID])[0]
                    try AuditLog.tenant(db, caller.audit, "shipment.deliver", target: shipmentID, detail: ["order": before.number, "number": String(shipment.number)])
                    try Outbox.append(db, topic: Topic.shipmentDelivered, payload: ShipmentEvent(shipment))
                    let waiting = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM shipments WHERE order_id = ? AND delivered_at IS NULL)", arguments: [orderID]) ?? true
                    if !(before.state == .shipped && !waiting) { try LiveFeed.append(db, Topic.shipmentDelivered, before, now: now) }
                    if before.state == .shipped && !waiting {
                        var order = before
                        order.state = try before.state.next(.deliver)
                        order.updatedAt = now
                        try db.execute(sql: "UPDATE orders SET state = ?, updated_at = ? WHERE id = ?", arguments: [order.state.rawValue, now, order.id])
                        try OrderRows.record(db, order, from: before.state, note: "Every shipment delivered", audit: caller.audit, now: now)
                    }
                    return shipment
                }
            }
        }
    }
}
