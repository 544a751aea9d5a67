import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Reading orders, moving them through their states, and sellers' trade settings.
extension SQLiteOrderService {
    /// The order if the caller is a member of its buyer or seller (or a tenant admin); `.notFound` otherwise.
    static func visibleOrder(_ db: Database, _ caller: Caller, _ id: String) throws -> (Order, CallerFacts) {
        let facts = try CallerFacts.read(db, caller)
        guard let order = try OrderRows.fetch(db, id: id),
              facts.seesAll || facts.memberships[order.buyerBusinessId] != nil || facts.memberships[order.sellerBusinessId] != nil
                || facts.links[order.buyerBusinessId] == .buyer else {
            throw AppError.notFound("Order")
        }
        // Seen as a member of the side the caller is on (a token's scopes count too).
        try facts.authorize(.ordersRead, business: facts.memberships[order.buyerBusinessId] != nil || facts.links[order.buyerBusinessId] == .buyer
                                ? order.buyerBusinessId : order.sellerBusinessId)
        return (order, facts)
    }

    /// The order a document (invoice, return, credit note, proposal) belongs to, as `visibleOrder`
    /// sees it; `.notFound` naming the document when the caller may not see the order.
    static func documentOrder(_ db: Database, _ caller: Caller, orderID: String, document: String) throws -> (Order, CallerFacts) {
        do { return try visibleOrder(db, caller, orderID) } catch let error as AppError where error.code == .notFound {
            throw AppError.notFound(document)
        }
    }

    public func order(_ caller: Caller, id: String) async throws -> Order {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try Self.visibleOrder(db, caller, id).0 } }
    }

    public func orders(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<Order> {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                _ = try Self.authorize(db, caller, .ordersRead, business: filter.businessID)
                let column = filter.side == .buyer ? "o.buyer_business_id" : "o.seller_business_id"
                var sql = OrderRows.select + " WHERE \(column) = ? AND o.id < ?"
                var args: StatementArguments = [filter.businessID, page.after ?? "~"]
                if let state = filter.state { sql += " AND o.state = ?"; args += [state.rawValue] }
                sql += " ORDER BY o.id DESC LIMIT ?"
                args += [page.limit + 1]
                return try OrderRows.fetchAll(db, sql: sql, arguments: args)
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func transition(_ caller: Caller, orderID: String, _ action: OrderAction, reason: String?, idempotency: IdempotencyKey?) async throws -> Order {
        let tenant = try caller.tenant()
        let now = Date()
        var v = Validator()
        let note = reason.map { v.text("reason", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
        try v.check()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (before, facts) = try Self.visibleOrder(db, caller, orderID)
                // The buyer may cancel before the seller confirms and may say the goods arrived; the rest is the seller's.
                let asBuyer = (action == .cancel && (before.state == .placed || before.state == .onHold)) || action == .deliver
                if !(asBuyer && (try? facts.authorize(.ordersPlace, business: before.buyerBusinessId)) != nil) {
                    try facts.authorize(.ordersManage, business: before.sellerBusinessId)
                }
                guard action != .shipPart && action != .shipAll else {
                    throw AppError.invalid("Ship an order by recording a shipment")
                }
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    var order = before
                    order.state = try before.state.next(action)
                    order.updatedAt = now
                    switch action {
                    case .confirm:
                        order.confirmedAt = now
                        let settings = try TradeSettingsRows.read(db, business: order.sellerBusinessId)
                        try Self.reserve(db, order, allowBackorders: settings.allowBackorders, audit: caller.audit, now: now)
                    case .cancel:
                        order.cancelledAt = now
                        order.cancelReason = note
                        try Self.release(db, order, audit: caller.audit, now: now)
                        try PromoRows.release(db, orderID: order.id)
                    default:
                        break
                    }
                    try db.execute(sql: "UPDATE orders SET state = ?, confirmed_at = ?, cancelled_at = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
                                   arguments: [order.state.rawValue, order.confirmedAt, order.cancelledAt, order.cancelReason, now, order.id])
                    try OrderRows.record(db, order, from: before.state, note: note, audit: caller.audit, now: now)
                    return try OrderRows.fetch(db, id: order.id)!
                }
            }
        }
    }

    public func liveEvents(_ caller: Caller, after: Int64?, limit: Int) async throws -> (events: [OrderLiveEvent], latest: Int64) {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let latest = try LiveFeed.latest(db)
                guard let after else { return ([], latest) }
                let facts = try CallerFacts.read(db, caller)
                // Members see their businesses' orders (a token's scopes too); tenant admins see all.
                let visible = facts.seesAll ? nil : Set(facts.memberships.keys.filter { (try? facts.authorize(.ordersRead, business: $0)) != nil })
                return (try LiveFeed.events(db, after: after, businesses: visible, limit: min(max(limit, 1), 1000)), latest)
            }
        }
    }

    public func tradeSettings(_ caller: Caller, businessID: String) async throws -> TradeSettings {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try Self.authorize(db, caller, .ordersManage, business: businessID)
                return try TradeSettingsRows.read(db, business: businessID)
            }
        }
    }

    public func setTradeSettings(_ caller: Caller, businessID: String, _ settings: TradeSettings) async throws -> TradeSettings {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try Self.authorize(db, caller, .ordersManage, business: businessID)
                var v = Validator()
                if !OrderNumber.isPrefix(settings.orderPrefix) { v.fail("order_prefix", "must be 2–10 capital Latin letters or digits, starting with a letter") }
                let terms = settings.defaultPaymentTerms
                if terms.kind == .net && !(1...365).contains(terms.days ?? 0) { v.fail("default_payment_terms.days", "must be from 1 to 365 for net terms") }
                if terms.kind == .prepaid && terms.days != nil { v.fail("default_payment_terms.days", "is only for net terms") }
                try v.check()
                try TradeSettingsRows.write(db, business: businessID, settings, now: now)
                try AuditLog.tenant(db, caller.audit, "trade_settings.update", target: businessID, detail: [
                    "order_prefix": settings.orderPrefix, "prices_include_tax": String(settings.pricesIncludeTax),
                    "allow_backorders": String(settings.allowBackorders)])
                return settings
            }
        }
    }
}
