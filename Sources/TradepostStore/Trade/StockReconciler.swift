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
        let (maxMove, maxLevel) = try bounds(db)
        let (sums, movements) = try sum(db, moves: 0...maxMove, maxLevel: maxLevel) { progress?($0, maxMove) }
        let (levels, drifts) = try compare(db, sums)
        return (levels, movements, drifts)
    }

    /// The highest ledger row and level ids.
    static func bounds(_ db: Database) throws -> (maxMove: Int64, maxLevel: Int64) {
        (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM stock_moves") ?? 0,
         try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM stock_levels") ?? 0)
    }

    /// The ledger rows with ids in `moves`, added up per level. Level ids are dense (SQLite assigns
    /// max + 1), so an array indexed by id is the sum table; a level made after `maxLevel` is left
    /// for the next run.
    static func sum(_ db: Database, moves: ClosedRange<Int64>, maxLevel: Int64,
                    progress: (Int64) -> Void = { _ in }) throws -> (sums: [Sums], movements: Int64) {
        var sums = [Sums](repeating: Sums(), count: Int(maxLevel) + 1)
        var movements: Int64 = 0
        let scan = try db.makeStatement(sql: "SELECT level_id, on_hand_delta, reserved_delta, incoming_delta FROM stock_moves WHERE id BETWEEN ? AND ?")
        try StatementColumns.each(scan, arguments: [moves.lowerBound, moves.upperBound]) { row in
            let level: Int64 = try row.read(0)
            movements += 1
            if movements & 0xFFFFF == 0 { progress(movements) }
            guard level >= 0 && level <= maxLevel else { return }
            let i = Int(level)
            sums[i].onHand &+= try row.read(1) as Int64
            sums[i].reserved &+= try row.read(2) as Int64
            sums[i].incoming &+= try row.read(3) as Int64
        }
        return (sums, movements)
    }

    /// Each level's counters against its sums.
    static func compare(_ db: Database, _ sums: [Sums]) throws -> (levels: Int, drifts: [StockDrift]) {
        var drifts: [StockDrift] = []
        var levels = 0
        let read = try db.makeStatement(sql: "SELECT id, on_hand, reserved, incoming, product_id, warehouse_id FROM stock_levels ORDER BY id")
        try StatementColumns.each(read, arguments: []) { row in
            levels += 1
            let id = Int(try row.read(0) as Int64)
            let sum = id < sums.count ? sums[id] : Sums()
            let (onHand, reserved, incoming): (Int64, Int64, Int64) = (try row.read(1), try row.read(2), try row.read(3))
            guard onHand != sum.onHand || reserved != sum.reserved || incoming != sum.incoming else { return }
            let product: String = try row.read(4), warehouse: String = try row.read(5)
            for (counter, recorded, ledger) in [("on_hand", onHand, sum.onHand), ("reserved", reserved, sum.reserved), ("incoming", incoming, sum.incoming)]
            where recorded != ledger {
                drifts.append(StockDrift(productId: product, warehouseId: warehouse, counter: counter, recorded: recorded, ledger: ledger))
            }
        }
        return (levels, drifts)
    }

    /// Adds two halves' sums.
    static func merge(_ a: [Sums], _ b: [Sums]) -> [Sums] {
        var out = a
        for i in b.indices where i < out.count {
            out[i].onHand &+= b[i].onHand
            out[i].reserved &+= b[i].reserved
            out[i].incoming &+= b[i].incoming
        }
        return out
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
            // Checking reads and leaves writers alone: the ledger in two halves on two connections at
            // once (the scan is most of the time), then the levels. A movement committed meanwhile can
            // only make drift appear, never hide it, and any drift is checked again, exactly, below.
            let (maxMove, maxLevel) = try await tenants.read(tenant) { db in try StockReconciler.bounds(db) }
            let half = maxMove / 2
            async let low = tenants.read(tenant) { db in
                try StockReconciler.sum(db, moves: 0...half, maxLevel: maxLevel) { progress?($0 * 2, maxMove) }
            }
            async let high = tenants.read(tenant) { db in try StockReconciler.sum(db, moves: (half + 1)...Int64.max, maxLevel: maxLevel) }
            let (a, b) = try await (low, high)
            let sums = StockReconciler.merge(a.sums, b.sums)
            let found = try await tenants.read(tenant) { db in try StockReconciler.compare(db, sums) }
            guard !found.drifts.isEmpty else {
                return StockReconciliation(levels: found.levels, movements: a.movements + b.movements, drifts: [], repaired: false)
            }
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
