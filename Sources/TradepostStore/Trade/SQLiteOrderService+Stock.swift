import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// An order's hold on stock: reserved from the seller's active warehouses by priority (a line split
/// across warehouses when one is short), released on cancellation. Every change goes through
/// `StockLedger` in the order's transaction, naming the order as its document.
extension SQLiteOrderService {
    /// Reserves what each line still needs. What cannot be reserved is a backorder when the seller
    /// allows them; otherwise `.insufficientStock` names every short line and nothing is written.
    static func reserve(_ db: Database, _ order: Order, allowBackorders: Bool, audit: AuditContext, now: Date) throws {
        let cause = StockLedger.Cause(reason: nil, audit: audit, documentType: "order", documentId: order.id)
        var short: [(line: OrderLine, available: Int64, need: Int64)] = []
        var touched: [String] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no"), arguments: [order.id]) {
            let line = OrderRows.line(row, order.currency)
            var need = line.quantity - line.shipped - line.reserved
            guard need > 0 else { continue }
            let levels = try Int64.fetchAll(db.cachedStatement(sql: """
                SELECT l.id FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
                WHERE l.product_id = ? AND w.business_id = ? AND w.active AND l.on_hand > l.reserved
                ORDER BY w.priority DESC, w.created_at, w.id
                """), arguments: [line.productId, order.sellerBusinessId])
            var reserved = line.reserved
            for levelID in levels where need > 0 {
                var level = try StockLedger.find(db, level: levelID)
                let take = min(level.available, need)
                guard take > 0 else { continue }
                try StockLedger.apply(db, &level, .reservation, reserved: take, cause: cause, now: now)
                try db.cachedStatement(sql: """
                    INSERT INTO order_reservations (order_id, line_no, level_id, quantity) VALUES (?, ?, ?, ?)
                    ON CONFLICT (order_id, line_no, level_id) DO UPDATE SET quantity = quantity + excluded.quantity
                    """).execute(arguments: [order.id, line.lineNo, levelID, take])
                need -= take
                reserved += take
            }
            if need > 0 && !allowBackorders {
                short.append((line, reserved - line.reserved, need + reserved - line.reserved))
            }
            try db.cachedStatement(sql: "UPDATE order_lines SET reserved = ?, backordered = ? WHERE order_id = ? AND line_no = ?").execute(arguments: [reserved, allowBackorders ? need : 0, order.id, line.lineNo])
            touched.append(line.productId)
        }
        if let first = short.first {
            throw AppError(
                .insufficientStock,
                "Not enough stock for " + short.map { "\($0.line.sku) (\($0.available) available, \($0.need) needed)" }.joined(separator: ", "),
                fields: short.map { .init("lines[\($0.line.lineNo - 1)].quantity", "only \($0.available) of \($0.line.sku) available") },
                members: [.init("available", first.available), .init("requested", first.need), .init("sku", first.line.sku)])
        }
        try StockLedger.refreshFigures(db, products: touched)
    }

    /// Gives back everything the order holds; its lines hold nothing and owe nothing after.
    static func release(_ db: Database, _ order: Order, audit: AuditContext, now: Date) throws {
        let cause = StockLedger.Cause(reason: nil, audit: audit, documentType: "order", documentId: order.id)
        var touched: [String] = []
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT level_id, quantity FROM order_reservations WHERE order_id = ? AND quantity > 0"), arguments: [order.id]) {
            var level = try StockLedger.find(db, level: row["level_id"])
            try StockLedger.apply(db, &level, .release, reserved: -(row["quantity"] as Int64), cause: cause, now: now)
            touched.append(level.productId)
        }
        try db.cachedStatement(sql: "DELETE FROM order_reservations WHERE order_id = ?").execute(arguments: [order.id])
        try db.cachedStatement(sql: "UPDATE order_lines SET reserved = 0, backordered = 0 WHERE order_id = ?").execute(arguments: [order.id])
        try StockLedger.refreshFigures(db, products: touched)
    }
}
