import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Adds up a tenant's whole stock ledger and compares each level's counters with it: the check
/// against ghost or negative reservations (counters that no longer match what happened). One scan
/// of the ledger in storage order, summed per level in memory by the level's integer key.
enum StockReconciler {
    struct Sums {
        var onHand: Int64 = 0
        var reserved: Int64 = 0
        var incoming: Int64 = 0
    }

    /// The drifts in `db` (a read snapshot or the write transaction that will repair them).
    static func check(_ db: Database, progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws -> (levels: Int, movements: Int64, drifts: [StockDrift]) {
        let total = progress == nil ? 0 : try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM stock_moves") ?? 0
        let maxLevel = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM stock_levels") ?? 0
        // Level ids are dense (SQLite assigns max + 1), so an array indexed by id is the sum table.
        var sums = [Sums](repeating: Sums(), count: Int(maxLevel) + 1)
        var movements: Int64 = 0
        let scan = try db.makeStatement(sql: "SELECT level_id, on_hand_delta, reserved_delta, incoming_delta FROM stock_moves")
        try StatementColumns.each(scan, arguments: []) { row in
            let level: Int64 = try row.read(0)
            movements += 1
            if movements & 0xFFFFF == 0 { progress?(movements, total) }
            guard level >= 0 && level <= maxLevel else { return }  // a foreign key keeps this from happening
            let i = Int(level)
            sums[i].onHand &+= try row.read(1) as Int64
            sums[i].reserved &+= try row.read(2) as Int64
            sums[i].incoming &+= try row.read(3) as Int64
        }
        var drifts: [StockDrift] = []
        var levels = 0
        let read = try db.makeStatement(sql: "SELECT id, product_id, warehouse_id, on_hand, reserved, incoming FROM stock_levels ORDER BY id")
        try StatementColumns.each(read, arguments: []) { row in
            levels += 1
            let sum = sums[Int(try row.read(0) as Int64)]
            let product: String = try row.read(1), warehouse: String = try row.read(2)
            for (counter, recorded, ledger) in [("on_hand", try row.read(3) as Int64, sum.onHand), ("reserved", try row.read(4) as Int64, sum.reserved),
                                                ("incoming", try row.read(5) as Int64, sum.incoming)] where recorded != ledger {
                drifts.append(StockDrift(productId: product, warehouseId: warehouse, counter: counter, recorded: recorded, ledger: ledger))
            }
        }
        return (levels, movements, drifts)
    }

    /// Sets each drifted counter to the ledger's figure. Throws `.conflict` when the ledger itself adds
    /// up to an impossible level (negative, or more reserved than on hand): that needs a person.
    static func repair(_ db: Database, _ drifts: [StockDrift]) throws {
        for drift in drifts {
            let column = ["on_hand": "on_hand", "reserved": "reserved", "incoming": "incoming"][drift.counter]!
            do {
                try db.execute(sql: "UPDATE stock_levels SET \(column) = ? WHERE product_id = ? AND warehouse_id = ?",
                               arguments: [drift.ledger, drift.productId, drift.warehouseId])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw AppError.conflict("The ledger of product \(drift.productId) in warehouse \(drift.warehouseId) adds up to an impossible level; correct it with an adjustment")
            }
        }
        try StockLedger.refreshFigures(db, products: drifts.map(\.productId))
    }
}

extension SQLiteStockService {
    public func reconcile(_ caller: Caller, repair: Bool, progress: (@Sendable (Int64, Int64) -> Void)?) async throws -> StockReconciliation {
        let tenant = try caller.authorize(.stockReconcile)
        return try await mapErrors(stats) {
            // Checking reads a snapshot and leaves writers alone; a repair, or a drift to report, writes.
            let found = try await tenants.read(tenant) { db in try StockReconciler.check(db, progress: progress) }
            guard !found.drifts.isEmpty else { return StockReconciliation(levels: found.levels, movements: found.movements, drifts: [], repaired: false) }
            return try await tenants.write(tenant) { db in
                // Checked again inside the write: a movement may have committed since the snapshot.
                let now = try StockReconciler.check(db)
                if repair && !now.drifts.isEmpty {
                    try StockReconciler.repair(db, now.drifts)
                    try AuditLog.tenant(db, caller.audit, "stock.reconcile", target: nil, detail: ["repaired": String(now.drifts.count)])
                }
                if !now.drifts.isEmpty {
                    try Outbox.append(db, topic: Topic.stockDrift, payload: StockDriftEvent(drifts: now.drifts.count, repaired: repair))
                }
                return StockReconciliation(levels: now.levels, movements: now.movements, drifts: now.drifts, repaired: repair && !now.drifts.isEmpty)
            }
        }
    }
}
