import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Permission, lookups and row mapping shared by the stock service's methods.
extension SQLiteStockService {
    /// `.notFound` when there is no such business, `.forbidden` when the caller may not `action` it.
    static func authorize(_ db: Database, _ caller: Caller, _ action: Action, business: String) throws {
        try SQLiteBusinessService.requireBusiness(db, business)
        try CallerFacts.read(db, caller).authorize(action, business: business)
    }

    /// A warehouse the caller may manage; `.notFound` for anyone else (it is not theirs to know of).
    static func managedWarehouse(_ db: Database, _ caller: Caller, _ id: String) throws -> Warehouse {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM warehouses WHERE id = ?", arguments: [id]) else {
            throw AppError.notFound("Warehouse")
        }
        let warehouse = warehouse(row)
        guard (try? CallerFacts.read(db, caller).authorize(.stockManage, business: warehouse.businessId)) != nil else {
            throw AppError.notFound("Warehouse")
        }
        return warehouse
    }

    /// A warehouse of `business` (`.notFound` otherwise).
    static func requireWarehouse(_ db: Database, _ id: String, business: String, field: String) throws -> Warehouse {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM warehouses WHERE id = ? AND business_id = ?", arguments: [id, business]) else {
            throw AppError(.notFound, "Warehouse not found", fields: [.init(field, "is not a warehouse of this business")])
        }
        return warehouse(row)
    }

    /// A product of `business` (`.notFound` otherwise).
    static func requireProduct(_ db: Database, _ id: String, business: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM products WHERE id = ? AND business_id = ?", arguments: [id, business]) != nil else {
            throw AppError(.notFound, "Product not found", fields: [.init("product_id", "is not a product of this business")])
        }
    }

    static func warehouse(_ row: Row) -> Warehouse {
        Warehouse(id: row["id"], businessId: row["business_id"], name: row["name"], address: row["address"], priority: row["priority"],
                  active: row["active"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static let levelSelect = """
        SELECT l.id, l.product_id, p.sku, p.name AS product_name, l.warehouse_id, w.name AS warehouse_name, l.on_hand, l.reserved,
               l.incoming, l.low_threshold
        FROM stock_levels l JOIN products p ON p.id = l.product_id JOIN warehouses w ON w.id = l.warehouse_id
        """

    static func level(_ row: Row) -> StockLevel {
        StockLevel(productId: row["product_id"], sku: row["sku"], productName: row["product_name"], warehouseId: row["warehouse_id"],
                   warehouseName: row["warehouse_name"], onHand: row["on_hand"], reserved: row["reserved"], incoming: row["incoming"],
                   lowThreshold: row["low_threshold"])
    }

    static let moveSelect = """
        SELECT m.id, m.at, l.product_id, p.sku, l.warehouse_id, m.kind, m.on_hand_delta, m.reserved_delta, m.incoming_delta, m.reason,
               m.actor, m.actor_label, m.document_type, m.document_id
        FROM stock_moves m JOIN stock_levels l ON l.id = m.level_id JOIN products p ON p.id = l.product_id
        JOIN warehouses w ON w.id = l.warehouse_id
        """

    static func move(_ row: Row) -> StockMove {
        StockMove(id: row["id"], at: row["at"], productId: row["product_id"], sku: row["sku"], warehouseId: row["warehouse_id"],
                  kind: StockMoveKind(rawValue: row["kind"]) ?? .adjustment, onHandDelta: row["on_hand_delta"],
                  reservedDelta: row["reserved_delta"], incomingDelta: row["incoming_delta"], reason: row["reason"], actor: row["actor"],
                  actorLabel: row["actor_label"], documentType: row["document_type"], documentId: row["document_id"])
    }

    static func cursorID(_ text: String) throws -> Int64 {
        guard let id = Int64(text) else { throw AppError.invalidField("cursor", "is not a valid cursor") }
        return id
    }
}
