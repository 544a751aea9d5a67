import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Proposed changes to placed orders. Proposing prices the new lines and stores them; accepting
/// releases the order's stock, replaces its lines and totals and reserves again, in one
/// transaction with its history row, audit entry, outbox and live events.
public final class SQLiteProposalService: OrderProposalService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    static let negotiable: Set<OrderState> = [.onHold, .placed]
    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    public func propose(_ caller: Caller, orderID: String, _ input: OrderChangeInput, idempotency: IdempotencyKey?) async throws -> OrderProposal {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (order, facts) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                try facts.authorize(.ordersManage, business: order.sellerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard Self.negotiable.contains(order.state) else { throw AppError.invalidState(order.state.rawValue, "propose changes to the order") }
                    let lines = try Self.priced(db, input, order, now: now)
                    var v = Validator()
                    let note = input.note.map { v.text("note", $0, min: 0, max: 1000, multiline: true) }?.nilIfEmpty
                    let address = input.deliveryAddress.map { v.text("delivery_address", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
                    if let date = input.requestedDate, !PriceListInput.isDate(date) { v.fail("requested_date", "must be a date like 2026-12-31") }
                    try v.check()
                    try db.execute(sql: "UPDATE order_proposals SET state = 'withdrawn', decided_by = ?, decided_at = ? WHERE order_id = ? AND state = 'open'",
                                   arguments: [caller.audit.actor, now, order.id])
                    let version = (try Int.fetchOne(db, sql: "SELECT max(version) FROM order_proposals WHERE order_id = ?", arguments: [order.id]) ?? 1) + 1
                    let sum = { (key: KeyPath<OrderLine, Money>) in lines.reduce(Int64(0)) { $0 + $1[keyPath: key].minor } }
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO order_proposals (id, order_id, version, state, note, requested_date, delivery_address, lines, net_minor, tax_minor, gross_minor,
                            proposed_by, proposed_at) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, order.id, version, note, input.requestedDate, address, String(decoding: try Self.encoder.encode(lines), as: UTF8.self),
                                         sum(\.net), sum(\.tax), sum(\.gross), caller.audit.actor, now])
                    return try Self.record(db, id, order, audit: caller.audit, now: now)
                }
            }
        }
    }

    /// The proposed lines, priced and taxed: a given unit price, else the order's for a product it
    /// holds, else the buyer's effective price today.
    static func priced(_ db: Database, _ input: OrderChangeInput, _ order: Order, now: Date) throws -> [OrderLine] {
        var v = Validator()
        if input.lines.isEmpty || input.lines.count > 1000 { v.fail("lines", "must hold 1 to 1000 lines (to drop everything, cancel the order)") }
        let current = Dictionary((order.lines ?? []).map { ($0.productId, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [OrderLine] = []
        var seen = Set<String>()
        for (i, want) in input.lines.enumerated() {
            let field = "lines[\(i)]"
            let product: Product?
            if let id = want.productId { product = try Product.fetch(db, id: id) }
            else if let sku = want.sku { product = try Product.fetchOne(db, where: "business_id = ? AND sku = ?", arguments: [order.sellerBusinessId, sku]) }
            else { v.fail(field, "give either product_id or sku"); continue }
            guard let product, product.businessId == order.sellerBusinessId else { v.fail(field, "is not a product of this seller"); continue }
            guard seen.insert(product.id).inserted else { v.fail(field, "\(product.sku) appears twice"); continue }
            if !(1...StockMovementInput.maxQuantity).contains(want.quantity) { v.fail(field + ".quantity", "must be from 1 to 10^12"); continue }
            var unit: Money
            var source = PriceSource.base
            if let text = want.unitPrice {
                guard let money = Money.parse(text, currency: order.currency) else { v.fail(field + ".unit_price", "must be an amount in \(order.currency)"); continue }
                unit = money
            } else if let line = current[product.id] {
                (unit, source) = (line.unitPrice, line.priceSource)
            } else {
                let price = try SQLitePriceListService.price(db, product, quantity: want.quantity, buyers: [order.buyerBusinessId], day: SQLiteOrderService.today(now))
                guard price.unitPrice.currency == order.currency else { v.fail(field, "\(product.sku) is priced in \(price.unitPrice.currency)"); continue }
                unit = price.unitPrice
            }
            let taxRate = current[product.id]?.taxRate ?? product.taxRate
            let a = try TaxMath.line(unitMinor: unit.minor, quantity: want.quantity, rate: taxRate, pricesIncludeTax: order.pricesIncludeTax)
            func m(_ minor: Int64) -> Money { Money(minor: minor, currency: order.currency) }
            lines.append(OrderLine(lineNo: lines.count + 1, productId: product.id, sku: product.sku, name: product.name, quantity: want.quantity, unitPrice: unit,
                                   priceSource: source, priceListId: nil, tierMinQuantity: nil, taxRate: taxRate, net: m(a.net), tax: m(a.tax), gross: m(a.gross),
                                   reserved: 0, backordered: 0, shipped: 0))
        }
        try v.check("Some proposed lines cannot be used")
        return lines
    }

    static func fetch(_ db: Database, where clause: String, _ arguments: StatementArguments) throws -> [OrderProposal] {
        try Row.fetchAll(db, sql: "SELECT p.*, o.currency FROM order_proposals p JOIN orders o ON o.id = p.order_id WHERE \(clause) ORDER BY p.version",
                         arguments: arguments).map { row in
            let currency: String = row["currency"]
            return OrderProposal(id: row["id"], orderId: row["order_id"], version: row["version"], state: OrderProposal.State(rawValue: row["state"]) ?? .open,
                                 note: row["note"], requestedDate: row["requested_date"], deliveryAddress: row["delivery_address"],
                                 lines: (try? decoder.decode([OrderLine].self, from: Data((row["lines"] as String).utf8))) ?? [],
                                 net: Money(minor: row["net_minor"], currency: currency), tax: Money(minor: row["tax_minor"], currency: currency),
                                 gross: Money(minor: row["gross_minor"], currency: currency), proposedBy: row["proposed_by"], proposedAt: row["proposed_at"],
                                 decidedBy: row["decided_by"], decidedAt: row["decided_at"])
        }
    }

    static func record(_ db: Database, _ id: String, _ order: Order, audit: AuditContext, now: Date) throws -> OrderProposal {
        let p = try fetch(db, where: "p.id = ?", [id])[0]
        try AuditLog.tenant(db, audit, "order.proposal_\(p.state.rawValue)", target: order.id, detail: [
            "number": order.number, "version": String(p.version), "gross": p.gross.decimal])
        try Outbox.append(db, topic: Topic.proposal(p.state), payload: ProposalEvent(p))
        try LiveFeed.append(db, Topic.proposal(p.state), order, now: now)
        return p
    }

    public func proposals(_ caller: Caller, orderID: String) async throws -> [OrderProposal] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let (order, _) = try SQLiteOrderService.visibleOrder(db, caller, orderID)
                return try Self.fetch(db, where: "p.order_id = ?", [order.id])
            }
        }
    }

    public func decide(_ caller: Caller, proposalID: String, accept: Bool, idempotency: IdempotencyKey?) async throws -> OrderProposal {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let proposal = try Self.fetch(db, where: "p.id = ?", [proposalID]).first else { throw AppError.notFound("Proposal") }
                let (before, facts) = try SQLiteOrderService.documentOrder(db, caller, orderID: proposal.orderId, document: "Proposal")
                try facts.authorize(.ordersPlace, business: before.buyerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard proposal.state == .open else { throw AppError.invalidState(proposal.state.rawValue, accept ? "accept the proposal" : "decline the proposal") }
                    guard !accept || Self.negotiable.contains(before.state) else { throw AppError.invalidState(before.state.rawValue, "change the order") }
                    try db.execute(sql: "UPDATE order_proposals SET state = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                                   arguments: [accept ? "accepted" : "declined", caller.audit.actor, now, proposal.id])
                    guard accept else { return try Self.record(db, proposal.id, before, audit: caller.audit, now: now) }

                    // The new version replaces the order's lines; stock follows them.
                    try SQLiteOrderService.release(db, before, audit: caller.audit, now: now)
                    try db.execute(sql: "DELETE FROM order_line_discounts WHERE order_id = ?", arguments: [before.id])
                    try db.execute(sql: "DELETE FROM order_discounts WHERE order_id = ?", arguments: [before.id])
                    try db.execute(sql: "DELETE FROM order_lines WHERE order_id = ?", arguments: [before.id])
                    var order = before
                    order.lines = proposal.lines
                    let byRate = TaxMath.byRate(proposal.lines.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
                    order.taxes = byRate.map { TaxSummary(rate: $0.rate, net: Money(minor: $0.net, currency: order.currency), tax: Money(minor: $0.tax, currency: order.currency)) }
                    (order.net, order.tax, order.gross) = (proposal.net, proposal.tax, proposal.gross)
                    order.requestedDate = proposal.requestedDate ?? order.requestedDate
                    order.deliveryAddress = proposal.deliveryAddress ?? order.deliveryAddress
                    order.updatedAt = now
                    try OrderRows.insertLines(db, order)
                    try db.execute(sql: """
                        UPDATE orders SET net_minor = ?, tax_minor = ?, gross_minor = ?, taxes = ?, requested_date = ?, delivery_address = ?, updated_at = ? WHERE id = ?
                        """, arguments: [order.net.minor, order.tax.minor, order.gross.minor, OrderRows.taxesText(order.taxes), order.requestedDate,
                                         order.deliveryAddress, now, order.id])
                    let settings = try TradeSettingsRows.read(db, business: order.sellerBusinessId)
                    try SQLiteOrderService.reserve(db, try OrderRows.fetch(db, id: order.id)!, allowBackorders: settings.allowBackorders, audit: caller.audit, now: now)
                    // The order's history shows the new version; the proposal's own audit entry and events say the rest.
                    try db.execute(sql: "INSERT INTO order_history (order_id, at, actor, actor_label, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [order.id, now, caller.audit.actor, caller.audit.actorLabel, before.state.rawValue, order.state.rawValue,
                                               "Version \(proposal.version) accepted"])
                    return try Self.record(db, proposal.id, order, audit: caller.audit, now: now)
                }
            }
        }
    }
}
