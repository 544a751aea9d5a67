import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Moves stock inside the caller's write transaction: each change to a level's counters and its
/// ledger row are written together, so the ledger always adds up to the counters. Orders,
/// shipments and returns use it as the stock service does.
enum StockLedger {
    /// One level, read for changing it.
    struct Level {
        var id: Int64
        var productId: String
        var sku: String
        var warehouseId: String
        var businessId: String
        var onHand: Int64
        var reserved: Int64
        var incoming: Int64
        var lowThreshold: Int64?
        var available: Int64 { onHand - reserved }
    }

    /// What caused a movement, for its ledger row.
    struct Cause {
        var reason: String?
        var audit: AuditContext
        var documentType: String?
        var documentId: String?
    }

    /// `warehouse` when it is one of `business`'s; `.invalid` naming `field` otherwise.
    static func requireWarehouse(_ db: Database, _ warehouse: String, of business: String, field: String = "warehouse_id") throws -> String {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM warehouses WHERE id = ? AND business_id = ?)"),
                                arguments: [warehouse, business]) == true else {
            throw AppError.invalidField(field, "is not a warehouse of the seller")
        }
        return warehouse
    }

    /// The level of `product` in `warehouse`, made (all zero) when there is none yet.
    static func level(_ db: Database, product: String, warehouse: String) throws -> Level {
        if let level = try find(db, product: product, warehouse: warehouse) { return level }
        try db.cachedStatement(sql: "INSERT INTO stock_levels (product_id, warehouse_id) VALUES (?, ?)").execute(arguments: [product, warehouse])
        return try find(db, product: product, warehouse: warehouse)!
    }

    /// A level by its key (one an order reservation names).
    static func find(_ db: Database, level: Int64) throws -> Level {
        guard let found = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT l.id, l.product_id, p.sku, l.warehouse_id, w.business_id, l.on_hand, l.reserved, l.incoming, l.low_threshold
            FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
            WHERE l.id = ?
            """), arguments: [level]).map(Self.level) else { throw AppError.internalError("Stock level \(level) is gone") }
        return found
    }

    static func level(_ row: Row) -> Level {
        Level(id: row[0], productId: row[1], sku: row[2], warehouseId: row[3], businessId: row[4], onHand: row[5], reserved: row[6],
              incoming: row[7], lowThreshold: row[8])
    }

    static func find(_ db: Database, product: String, warehouse: String) throws -> Level? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT l.id, l.product_id, p.sku, l.warehouse_id, w.business_id, l.on_hand, l.reserved, l.incoming, l.low_threshold
            FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
            WHERE l.product_id = ? AND l.warehouse_id = ?
            """), arguments: [product, warehouse]).map(Self.level)
    }

    /// Changes `level`'s counters by the deltas and appends the ledger row. Throws
    /// `.insufficientStock` when on hand would fall below what is reserved (or below zero), or more
    /// would be released than is reserved; nothing is written then.
    @discardableResult
    static func apply(_ db: Database, _ level: inout Level, _ kind: StockMoveKind, onHand: Int64 = 0, reserved: Int64 = 0,
                      incoming: Int64 = 0, cause: Cause, now: Date) throws -> StockMove {
        let after = (onHand: level.onHand + onHand, reserved: level.reserved + reserved, incoming: max(0, level.incoming + incoming))
        let incoming = after.incoming - level.incoming
        if after.onHand < 0 || after.reserved > after.onHand || after.reserved < 0 {
            let requested = reserved > 0 ? reserved : -onHand
            throw AppError.insufficientStock("\(level.sku) in this warehouse", available: max(0, level.available), requested: requested)
        }
        let wasLow = level.lowThreshold.map { level.available < $0 } ?? false
        try db.cachedStatement(sql: "UPDATE stock_levels SET on_hand = ?, reserved = ?, incoming = ? WHERE id = ?").execute(arguments: [after.onHand, after.reserved, after.incoming, level.id])
        (level.onHand, level.reserved, level.incoming) = after
        try db.cachedStatement(sql: """
            INSERT INTO stock_moves (level_id, at, kind, on_hand_delta, reserved_delta, incoming_delta, reason, actor, actor_label,
                                     document_type, document_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [level.id, now, kind.rawValue, onHand, reserved, incoming, cause.reason, cause.audit.actor,
                             cause.audit.actorLabel, cause.documentType, cause.documentId])
        if let threshold = level.lowThreshold, !wasLow, level.available < threshold {
            try Outbox.append(db, topic: Topic.stockLow, payload: StockLowEvent(
                businessId: level.businessId, productId: level.productId, warehouseId: level.warehouseId,
                available: level.available, threshold: threshold))
        }
        return StockMove(id: db.lastInsertedRowID, at: now, productId: level.productId, sku: level.sku, warehouseId: level.warehouseId,
                         kind: kind, onHandDelta: onHand, reservedDelta: reserved, incomingDelta: incoming, reason: cause.reason,
                         actor: cause.audit.actor, actorLabel: cause.audit.actorLabel, documentType: cause.documentType,
                         documentId: cause.documentId)
    }

    /// Sets each product's stock figure to what its active warehouses have available. The search
    /// index keeps only whether a product is in stock, so it hears (`product.changed`) only when a
    /// figure crosses zero — not on every order's reservation.
    static func refreshFigures(_ db: Database, products: some Sequence<String>) throws {
        for product in Set(products) {
            let figure = try available(db, product: product)
            guard let before = try Int64.fetchOne(db.cachedStatement(sql: "SELECT stock_quantity FROM products WHERE id = ?"), arguments: [product]),
                  before != figure else { continue }
            try db.cachedStatement(sql: "UPDATE products SET stock_quantity = ? WHERE id = ?").execute(arguments: [figure, product])
            if (before > 0) != (figure > 0) {
                try Outbox.append(db, topic: Topic.productChanged, payload: ProductEvent(productId: product, deleted: false))
            }
        }
    }

    /// What a product's active warehouses have available: its stock figure, and a cart line's "available".
    static func available(_ db: Database, product: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT coalesce(sum(l.on_hand - l.reserved), 0) FROM stock_levels l JOIN warehouses w ON w.id = l.warehouse_id
            WHERE l.product_id = ? AND w.active
            """), arguments: [product]) ?? 0
    }

    /// The warehouse a product's own stock figure is set in: the business's first active one by
    /// priority, made ("Main warehouse") when it has none.
    static func defaultWarehouse(_ db: Database, business: String, now: Date) throws -> String {
        if let id = try String.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM warehouses WHERE business_id = ? AND active ORDER BY priority DESC, created_at, id LIMIT 1
            """), arguments: [business]) {
            return id
        }
        let id = Identifier.make(now: now)
        try db.cachedStatement(sql: """
            INSERT INTO warehouses (id, business_id, name, priority, active, created_at, updated_at) VALUES (?, ?, ?, 0, 1, ?, ?)
            """).execute(arguments: [id, business, try freeName(db, business: business), now, now])
        return id
    }

    private static func freeName(_ db: Database, business: String) throws -> String {
        var name = "Main warehouse"
        var n = 1
        while try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM warehouses WHERE business_id = ? AND name = ?"), arguments: [business, name]) != nil {
            n += 1
            name = "Main warehouse \(n)"
        }
        return name
    }

    /// Makes a product's stock figure `target` (the product form's and the catalog import's stock
    /// column) by one adjustment in its default warehouse. Returns the new figure. Throws
    /// `.insufficientStock` when that warehouse cannot give up enough (the rest is reserved or
    /// elsewhere): such stock is moved in the warehouses screen.
    @discardableResult
    static func setFigure(_ db: Database, product: String, business: String, target: Int64, audit: AuditContext, now: Date) throws -> Int64 {
        let current = try available(db, product: product)
        let delta = target - current
        if delta != 0 {
            let warehouse = try defaultWarehouse(db, business: business, now: now)
            var level = try level(db, product: product, warehouse: warehouse)
            do {
                try apply(db, &level, .adjustment, onHand: delta,
                          cause: Cause(reason: "Stock figure set on the product", audit: audit, documentType: "product", documentId: product),
                          now: now)
            } catch let error as AppError where error.code == .insufficientStock {
                throw AppError(.insufficientStock, "stock_quantity cannot go below \(current - level.available): the rest is reserved or in other warehouses",
                               fields: [.init("stock_quantity", "cannot go below \(current - level.available)")], members: error.members)
            }
        }
        try refreshFigures(db, products: [product])
        return target
    }
}
