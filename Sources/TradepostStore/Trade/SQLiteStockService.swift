import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Warehouses, levels and the ledger in each tenant's database. Each method is one transaction that
/// reads the caller's memberships and asks `Policy` inside it.
public final class SQLiteStockService: StockService {
    let tenants: TenantDatabases
    let stats: StoreStats
    static let nameTaken = "A warehouse with this name already exists in this business"

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    public func warehouses(_ caller: Caller, businessID: String) async throws -> [Warehouse] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try Self.authorize(db, caller, .stockRead, business: businessID)
                return try Row.fetchAll(db, sql: "SELECT * FROM warehouses WHERE business_id = ? ORDER BY active DESC, priority DESC, name",
                                        arguments: [businessID]).map(Self.warehouse)
            }
        }
    }

    public func createWarehouse(_ caller: Caller, businessID: String, _ input: WarehouseInput, idempotency: IdempotencyKey?) async throws -> Warehouse {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats, conflict: Self.nameTaken) {
            try await tenants.write(tenant) { db in
                try Self.authorize(db, caller, .stockManage, business: businessID)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let input = try input.validated(creating: true)
                    let warehouse = Warehouse(id: Identifier.make(now: now), businessId: businessID, name: input.name!,
                                              address: input.address ?? nil, priority: input.priority ?? 0, active: input.active ?? true,
                                              createdAt: now, updatedAt: now)
                    try db.execute(sql: """
                        INSERT INTO warehouses (id, business_id, name, address, priority, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [warehouse.id, businessID, warehouse.name, warehouse.address, warehouse.priority, warehouse.active, now, now])
                    try AuditLog.tenant(db, caller.audit, "warehouse.create", target: warehouse.id, detail: ["business_id": businessID, "name": warehouse.name])
                    return warehouse
                }
            }
        }
    }

    public func updateWarehouse(_ caller: Caller, id: String, _ input: WarehouseInput) async throws -> Warehouse {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats, conflict: Self.nameTaken) {
            try await tenants.write(tenant) { db in
                let before = try Self.managedWarehouse(db, caller, id)
                let input = try input.validated(creating: false)
                var after = before
                if let name = input.name { after.name = name }
                if let address = input.address { after.address = address }
                if let priority = input.priority { after.priority = priority }
                if let active = input.active { after.active = active }
                guard after != before else { return before }
                after.updatedAt = now
                try db.execute(sql: "UPDATE warehouses SET name = ?, address = ?, priority = ?, active = ?, updated_at = ? WHERE id = ?",
                               arguments: [after.name, after.address, after.priority, after.active, now, id])
                if after.active != before.active {
                    // An inactive warehouse's stock does not count in its products' figures.
                    try StockLedger.refreshFigures(db, products: try String.fetchAll(db, sql: "SELECT product_id FROM stock_levels WHERE warehouse_id = ?", arguments: [id]))
                }
                try AuditLog.tenant(db, caller.audit, "warehouse.update", target: id,
                                    detail: ["name": after.name, "active": String(after.active), "priority": String(after.priority)])
                return after
            }
        }
    }

    public func levels(_ caller: Caller, businessID: String, _ filter: StockFilter, _ page: PageRequest) async throws -> Page<StockLevel> {
        let tenant = try caller.tenant()
        let after = try page.after.map { try Self.cursorID($0) }
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                try Self.authorize(db, caller, .stockRead, business: businessID)
                var sql = Self.levelSelect + " WHERE w.business_id = ?"
                var args: StatementArguments = [businessID]
                if let warehouse = filter.warehouseID { sql += " AND l.warehouse_id = ?"; args += [warehouse] }
                if let product = filter.productID { sql += " AND l.product_id = ?"; args += [product] }
                if filter.lowOnly { sql += " AND l.low_threshold IS NOT NULL AND l.on_hand - l.reserved < l.low_threshold" }
                if let after {
                    // Keyset on (SKU, level): the cursor is the last level's id.
                    sql += " AND (p.sku, l.id) > ((SELECT p2.sku FROM stock_levels l2 JOIN products p2 ON p2.id = l2.product_id WHERE l2.id = ?), ?)"
                    args += [after, after]
                }
                sql += " ORDER BY p.sku, l.id LIMIT ?"
                args += [page.limit + 1]
                return try Row.fetchAll(db, sql: sql, arguments: args).map { (id: $0["id"] as Int64, level: Self.level($0)) }
            }
            return Page(fetched: rows, limit: page.limit) { String($0.id) }.map(\.level)
        }
    }

    public func setThreshold(_ caller: Caller, productID: String, warehouseID: String, threshold: Int64?) async throws -> StockLevel {
        let tenant = try caller.tenant()
        if let threshold, threshold < 0 || threshold > StockMovementInput.maxQuantity {
            throw AppError.invalidField("low_threshold", "must be from 0 to 10^12, or null to clear it")
        }
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let warehouse = try Self.managedWarehouse(db, caller, warehouseID)
                try Self.requireProduct(db, productID, business: warehouse.businessId)
                var level = try StockLedger.level(db, product: productID, warehouse: warehouseID)
                let wasLow = level.lowThreshold.map { level.available < $0 } ?? false
                try db.execute(sql: "UPDATE stock_levels SET low_threshold = ? WHERE id = ?", arguments: [threshold, level.id])
                level.lowThreshold = threshold
                if let threshold, !wasLow, level.available < threshold {
                    try Outbox.append(db, topic: Topic.stockLow, payload: StockLowEvent(
                        businessId: warehouse.businessId, productId: productID, warehouseId: warehouseID, available: level.available, threshold: threshold))
                }
                try AuditLog.tenant(db, caller.audit, "stock.threshold", target: productID,
                                    detail: ["warehouse_id": warehouseID, "low_threshold": threshold.map(String.init) ?? "none"])
                return try Self.level(Row.fetchOne(db, sql: Self.levelSelect + " WHERE l.id = ?", arguments: [level.id])!)
            }
        }
    }
}
