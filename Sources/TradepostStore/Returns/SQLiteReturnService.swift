import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Returns and credit notes in each tenant's database. The buyer asks, the seller decides and
/// receives; receiving moves the stock and issues the credit note in one transaction. Each
/// transition writes its audit entry, outbox event and live event.
public final class SQLiteReturnService: ReturnService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    static let returnableStates: Set<OrderState> = [.partiallyShipped, .shipped, .delivered, .completed]

    public func requestReturn(_ caller: Caller, orderID: String, _ input: ReturnInput, idempotency: IdempotencyKey?) async throws -> OrderReturn {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (order, facts) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                try facts.authorize(.ordersPlace, business: order.buyerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard Self.returnableStates.contains(order.state) else { throw AppError.invalidState(order.state.rawValue, "return goods of the order") }
                    var v = Validator()
                    let reason = v.text("reason", input.reason, max: 500, multiline: true)
                    if input.lines.isEmpty { v.fail("lines", "must name at least one line") }
                    let pending = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                        SELECT rl.line_no, sum(rl.quantity) FROM return_lines rl JOIN returns r ON r.id = rl.return_id
                        WHERE r.order_id = ? AND r.state != 'refused' GROUP BY rl.line_no
                        """, arguments: [order.id]).map { ($0[0] as Int, $0[1] as Int64) })
                    let byNumber = Dictionary(uniqueKeysWithValues: (order.lines ?? []).map { ($0.lineNo, $0) })
                    var seen = Set<Int>()
                    for (i, item) in input.lines.enumerated() {
                        guard let line = byNumber[item.lineNo] else { v.fail("lines[\(i)].line_no", "is not a line of this order"); continue }
                        if !seen.insert(item.lineNo).inserted { v.fail("lines[\(i)].line_no", "names line \(item.lineNo) twice"); continue }
                        let left = line.shipped - (pending[line.lineNo] ?? 0)
                        if item.quantity < 1 || item.quantity > left {
                            v.fail("lines[\(i)].quantity", left > 0 ? "must be from 1 to \(left) (shipped and not already being returned)"
                                   : "nothing of \(line.sku) can be returned: none shipped or all already being returned")
                        }
                    }
                    try v.check()
                    let number = (try Int.fetchOne(db, sql: "SELECT max(number) FROM returns WHERE order_id = ?", arguments: [order.id]) ?? 0) + 1
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO returns (id, order_id, number, state, reason, requested_by, requested_at, seller_business_id, buyer_business_id)
                        VALUES (?, ?, ?, 'requested', ?, ?, ?, ?, ?)
                        """, arguments: [id, order.id, number, reason, caller.audit.actor, now, order.sellerBusinessId, order.buyerBusinessId])
                    for item in input.lines {
                        try db.execute(sql: "INSERT INTO return_lines (return_id, line_no, quantity) VALUES (?, ?, ?)", arguments: [id, item.lineNo, item.quantity])
                    }
                    return try Self.record(db, id, order, audit: caller.audit, now: now)
                }
            }
        }
    }

    public func decideReturn(_ caller: Caller, returnID: String, accept: Bool, note: String?, idempotency: IdempotencyKey?) async throws -> OrderReturn {
        let tenant = try caller.tenant()
        let now = Date()
        var v = Validator()
        let note = note.map { v.text("reason", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
        try v.check()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (before, order) = try Self.visibleReturn(db, caller, returnID, manage: true)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let state = try before.state.next(accept ? .accept : .refuse)
                    try db.execute(sql: "UPDATE returns SET state = ?, decided_at = ?, decision_note = ? WHERE id = ?",
                                   arguments: [state.rawValue, now, note, before.id])
                    return try Self.record(db, before.id, order, audit: caller.audit, now: now)
                }
            }
        }
    }

    /// The return if the caller sees its order (and, with `manage`, may handle it for the seller).
    static func visibleReturn(_ db: Database, _ caller: Caller, _ id: String, manage: Bool) throws -> (OrderReturn, Order) {
        guard let found = try ReturnRows.returns(db, where: "r.id = ?", [id]).first else { throw AppError.notFound("Return") }
        let (order, facts) = try SQLiteOrderService.documentOrder(db, caller, orderID: found.orderId, document: "Return")
        if manage { try facts.authorize(.ordersManage, business: order.sellerBusinessId) }
        return (found, order)
    }

    /// The return as it is now, with its audit entry, outbox event and live event.
    static func record(_ db: Database, _ id: String, _ order: Order, audit: AuditContext, now: Date) throws -> OrderReturn {
        let r = try ReturnRows.returns(db, where: "r.id = ?", [id])[0]
        try AuditLog.tenant(db, audit, "return.\(r.state.rawValue)", target: id, detail: [
            "order": order.number, "number": String(r.number), "lines": r.lines.map { "\($0.sku)×\($0.quantity)" }.joined(separator: " ")])
        try Outbox.append(db, topic: Topic.orderReturn(r.state), payload: ReturnEvent(r))
        try LiveFeed.append(db, Topic.orderReturn(r.state), order, now: now)
        return r
    }

    public func returns(_ caller: Caller, orderID: String) async throws -> [OrderReturn] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let (order, _) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                return try ReturnRows.returns(db, where: "r.order_id = ?", [order.id])
            }
        }
    }

    public func returns(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<OrderReturn> {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersRead, business: filter.businessID)
                let column = filter.side == .buyer ? "r.buyer_business_id" : "r.seller_business_id"
                return try ReturnRows.returns(db, where: "\(column) = ? AND r.id < ?", [filter.businessID, page.after ?? "~"], order: "r.id DESC",
                                              limit: page.limit + 1)
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func creditNote(_ caller: Caller, id: String) async throws -> CreditNote {
        try await creditNoteDocument(caller, id: id).creditNote
    }

    public func creditNotes(_ caller: Caller, orderID: String) async throws -> [CreditNote] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let (order, _) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                return try ReturnRows.creditNotes(db, where: "c.order_id = ?", [order.id], withLines: false)
            }
        }
    }

    public func creditNoteDocument(_ caller: Caller, id: String) async throws -> (creditNote: CreditNote, pdfBlob: String?) {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard let note = try ReturnRows.creditNotes(db, where: "c.id = ? OR c.number = ?", [id, id], withLines: true).first else {
                    throw AppError.notFound("Credit note")
                }
                _ = try SQLiteOrderService.documentOrder(db, caller, orderID: note.orderId, document: "Credit note")
                return (note, try String.fetchOne(db, sql: "SELECT pdf_blob FROM credit_notes WHERE id = ?", arguments: [note.id]))
            }
        }
    }

    public func attachCreditNotePDF(_ tenant: TenantID, creditNoteID: String, blob: String) async throws -> String {
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try FulfilmentRows.attachPDF(db, table: "credit_notes", id: creditNoteID, blob: blob, what: "Credit note")
            }
        }
    }
}
