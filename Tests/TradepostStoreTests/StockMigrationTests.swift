import Foundation
import GRDB
import Testing
import TradepostDatabase

/// Migration 17: today's stock figures become opening adjustments in a default warehouse, and the
/// ledger and levels keep their rules whoever writes to them.
@Suite("Stock migration")
struct StockMigrationTests {
    static let product = """
        INSERT INTO products (id, business_id, sku, name, unit, pack_size, min_order_quantity, order_multiple, currency, price_minor,
            stock_quantity, availability, status, created_at, updated_at)
        VALUES (?, ?, ?, 'Aspirin', 'pcs', 1, 1, 1, 'UAH', 100, ?, 'in_stock', 'published', '2026-01-01', '2026-01-01')
        """

    func migratedWithStock() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(16))).migrate(queue)
        try queue.write { db in
            for (id, name) in [("01jbusiness0000000000000a1", "A"), ("01jbusiness0000000000000b1", "B"), ("01jbusiness0000000000000c1", "C")] {
                try db.execute(sql: "INSERT INTO businesses (id, name, type, city, address, created_at, updated_at) VALUES (?, ?, 'supplier', 'Kyiv', 'Khreshchatyk 1', '2026-01-01', '2026-01-01')",
                               arguments: [id, name])
            }
            try db.execute(sql: Self.product, arguments: ["p1", "01jbusiness0000000000000a1", "S1", 120])
            try db.execute(sql: Self.product, arguments: ["p2", "01jbusiness0000000000000a1", "S2", 0])
            try db.execute(sql: Self.product, arguments: ["p3", "01jbusiness0000000000000b1", "S3", 7])
        }
        #expect(try TenantMigrations.migrator.migrate(queue).contains(17))
        return queue
    }

    @Test func stockFiguresBecomeOpeningAdjustmentsInADefaultWarehouse() throws {
        let queue = try migratedWithStock()
        try queue.read { db in
            let warehouses = try Row.fetchAll(db, sql: "SELECT id, business_id, name, address, active FROM warehouses ORDER BY business_id")
            // Businesses with products get one; the one without (C) gets none.
            #expect(warehouses.map { $0["business_id"] as String } == ["01jbusiness0000000000000a1", "01jbusiness0000000000000b1"])
            #expect(warehouses.map { $0["id"] as String } == ["w1jbusiness0000000000000a1", "w1jbusiness0000000000000b1"])
            #expect(warehouses.allSatisfy { $0["name"] == "Main warehouse" && $0["address"] == "Khreshchatyk 1" && $0["active"] == true })
            let levels = try Row.fetchAll(db, sql: """
                SELECT l.product_id, l.on_hand, l.reserved, (SELECT sum(on_hand_delta) FROM stock_moves m WHERE m.level_id = l.id) AS ledger,
                       (SELECT kind FROM stock_moves m WHERE m.level_id = l.id) AS kind
                FROM stock_levels l ORDER BY product_id
                """)
            // A zero figure needs no level and no ledger row.
            #expect(levels.map { $0["product_id"] as String } == ["p1", "p3"])
            #expect(levels.map { $0["on_hand"] as Int64 } == [120, 7])
            #expect(levels.allSatisfy { ($0["ledger"] as Int64) == ($0["on_hand"] as Int64) && $0["kind"] == "adjustment" && $0["reserved"] == 0 })
        }
    }

    @Test func theLedgerIsAppendOnlyAndLevelsCannotGoNegative() throws {
        let queue = try migratedWithStock()
        try queue.write { db in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE stock_moves SET on_hand_delta = 1") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM stock_moves") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE stock_levels SET on_hand = -1 WHERE product_id = 'p1'") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE stock_levels SET reserved = on_hand + 1 WHERE product_id = 'p1'") }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO stock_moves (level_id, at, kind, actor) SELECT id, '2026-01-01', 'gift', 'x' FROM stock_levels LIMIT 1")
            }
            // A product's levels and ledger go with the product.
            try db.execute(sql: "DELETE FROM products WHERE id = 'p3'")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM stock_moves") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM stock_levels") == 1)
        }
    }
}
