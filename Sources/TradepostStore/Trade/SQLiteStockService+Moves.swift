import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Movements recorded by hand, and the ledger.
extension SQLiteStockService {
    public func move(_ caller: Caller, businessID: String, _ input: StockMovementInput, idempotency: IdempotencyKey?) async throws -> [StockMove] {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try Self.authorize(db, caller, .stockManage, business: businessID)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let input = try input.validated()
                    let moves = try Self.record(db, caller, business: businessID, input, now: now)
                    try StockLedger.refreshFigures(db, products: moves.map(\.productId))
                    if !moves.isEmpty {
                        try AuditLog.tenant(db, caller.audit, "stock.\(input.kind!.rawValue)", target: input.productId, detail: [
                            "warehouse_id": input.warehouseId!, "moves": moves.map { String($0.id) }.joined(separator: ","),
                        ])
                    }
                    return moves
                }
            }
        }
    }

    /// The ledger rows of one validated movement (none for a count that finds what the level says).
    static func record(_ db: Database, _ caller: Caller, business: String, _ input: StockMovementInput, now: Date) throws -> [StockMove] {
        let product = input.productId!, quantity = input.quantity ?? 0
        try requireProduct(db, product, business: business)
        let from = try requireWarehouse(db, input.warehouseId!, business: business, field: "warehouse_id")
        var level = try StockLedger.level(db, product: product, warehouse: from.id)
        var cause = StockLedger.Cause(reason: input.reason, audit: caller.audit)
        switch input.kind! {
        case .receipt:
            return [try StockLedger.apply(db, &level, .receipt, onHand: quantity, incoming: -quantity, cause: cause, now: now)]
        case .incoming:
            return [try StockLedger.apply(db, &level, .incoming, incoming: quantity, cause: cause, now: now)]
        case .adjustment:
            let delta = input.counted.map { $0 - level.onHand } ?? quantity
            if input.counted != nil { cause.documentType = "stock_count" }
            guard delta != 0 else { return [] }
            if level.onHand + delta < level.reserved {
                throw AppError(.insufficientStock, "\(level.reserved) units of \(level.sku) here are reserved for orders; on hand cannot go below that",
                               fields: [.init(input.counted == nil ? "quantity" : "counted", "would leave less on hand than is reserved (\(level.reserved))")],
                               members: [.init("available", level.available), .init("reserved", level.reserved)])
            }
            return [try StockLedger.apply(db, &level, .adjustment, onHand: delta, cause: cause, now: now)]
        case .writeOff:
            return [try StockLedger.apply(db, &level, .writeOff, onHand: -quantity, cause: cause, now: now)]
        case .transfer:
            let to = try requireWarehouse(db, input.toWarehouseId!, business: business, field: "to_warehouse_id")
            cause.documentType = "transfer"
            cause.documentId = Identifier.make(now: now)
            var target = try StockLedger.level(db, product: product, warehouse: to.id)
            return [try StockLedger.apply(db, &level, .transferOut, onHand: -quantity, cause: cause, now: now),
                    try StockLedger.apply(db, &target, .transferIn, onHand: quantity, cause: cause, now: now)]
        }
    }

    public func ledger(_ caller: Caller, businessID: String, _ filter: StockFilter, _ page: PageRequest) async throws -> Page<StockMove> {
        let tenant = try caller.tenant()
        let after = try page.after.map { try Self.cursorID($0) }
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                try Self.authorize(db, caller, .stockRead, business: businessID)
                var sql = Self.moveSelect + " WHERE w.business_id = ? AND m.id < ?"
                var args: StatementArguments = [businessID, after ?? Int64.max]
                if let warehouse = filter.warehouseID { sql += " AND l.warehouse_id = ?"; args += [warehouse] }
                if let product = filter.productID { sql += " AND l.product_id = ?"; args += [product] }
                sql += " ORDER BY m.id DESC LIMIT ?"
                args += [page.limit + 1]
                return try Row.fetchAll(db, sql: sql, arguments: args).map(Self.move)
            }
            return Page(fetched: rows, limit: page.limit) { String($0.id) }
        }
    }
}
