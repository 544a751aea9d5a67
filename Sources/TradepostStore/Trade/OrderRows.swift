import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Orders ↔ rows.
enum OrderRows {
    /// The columns `order` reads, by position (a GRDB row looked up by name lowercases the name on
    /// every lookup: most of a list page's time).
    static let select = """
        SELECT o.id, o.number, o.seller_business_id, s.name, o.buyer_business_id, b.name, o.state, o.currency, o.prices_include_tax,
               o.net_minor, o.tax_minor, o.gross_minor, o.taxes, o.notes, o.delivery_address, o.requested_date, o.payment_kind,
               o.payment_days, o.placed_by, o.placed_at, o.confirmed_at, o.cancelled_at, o.cancel_reason, o.updated_at
        FROM orders o JOIN businesses s ON s.id = o.seller_business_id JOIN businesses b ON b.id = o.buyer_business_id
        """

    /// Tax per rate as stored: "rate:net:tax" per rate, ";" between (basis points and minor units),
    /// read with every listed order, so not JSON.
    static func taxesText(_ taxes: [TaxSummary]) -> String {
        taxes.map { "\($0.rate.basisPoints):\($0.net.minor):\($0.tax.minor)" }.joined(separator: ";")
    }

    static func taxes(_ text: String, _ currency: String) -> [TaxSummary] {
        text.split(separator: ";").compactMap { part in
            let n = part.split(separator: ":").compactMap { Int64($0) }
            guard n.count == 3 else { return nil }
            return TaxSummary(rate: TaxRate(basisPoints: n[0]), net: Money(minor: n[1], currency: currency), tax: Money(minor: n[2], currency: currency))
        }
    }

    static func order(_ row: Row) -> Order {
        // A row of these columns always decodes (the schema holds each NOT NULL or optional).
        try! order(reading: row)
    }

    /// Also straight from a statement's step (`StatementColumns`), with dates parsed by arithmetic.
    static func order(reading row: some ColumnReader) throws -> Order {
        let currency: String = try row.read(7)
        return Order(
            id: try row.read(0), number: try row.read(1), sellerBusinessId: try row.read(2), sellerName: try row.read(3),
            buyerBusinessId: try row.read(4), buyerName: try row.read(5), state: OrderState(rawValue: try row.read(6)) ?? .placed,
            currency: currency, pricesIncludeTax: try row.read(8), net: Money(minor: try row.read(9), currency: currency),
            tax: Money(minor: try row.read(10), currency: currency), gross: Money(minor: try row.read(11), currency: currency),
            taxes: taxes(try row.read(12), currency), notes: try row.read(13), deliveryAddress: try row.read(14), requestedDate: try row.read(15),
            paymentTerms: PaymentTerms(kind: PaymentTerms.Kind(rawValue: try row.read(16)) ?? .prepaid, days: (try row.read(17) as Int64?).map(Int.init)),
            placedBy: try row.read(18), placedAt: try row.date(19), confirmedAt: try row.date(20), cancelledAt: try row.date(21),
            cancelReason: try row.read(22), updatedAt: try row.date(23), lines: nil, history: nil)
    }

    /// Orders selected by `sql` (which starts with `select`), read from the statement's steps.
    static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Order] {
        var orders: [Order] = []
        try StatementColumns.each(try db.cachedStatement(sql: sql), arguments: arguments) { orders.append(try order(reading: $0)) }
        return orders
    }

    /// One order with its lines and history, or nil.
    static func fetch(_ db: Database, id: String) throws -> Order? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: select + " WHERE o.id = ?"), arguments: [id])
                ?? Row.fetchOne(db.cachedStatement(sql: select + " WHERE o.number = ?"), arguments: [id]) else { return nil }
        let id: String = row[0]
        var order = order(row)
        order.lines = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_lines WHERE order_id = ? ORDER BY line_no"), arguments: [id]).map { line($0, order.currency) }
        try PromoRows.attach(db, &order)
        order.history = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM order_history WHERE order_id = ? ORDER BY id"), arguments: [id]).map {
            OrderHistoryEntry(at: $0["at"], actor: $0["actor"], actorLabel: $0["actor_label"],
                              from: ($0["from_state"] as String?).flatMap(OrderState.init(rawValue:)),
                              to: OrderState(rawValue: $0["to_state"]) ?? .placed, note: $0["note"])
        }
        return order
    }

    static func line(_ row: Row, _ currency: String) -> OrderLine {
        OrderLine(lineNo: row["line_no"], productId: row["product_id"], sku: row["sku"], name: row["name"], quantity: row["quantity"],
                  unitPrice: Money(minor: row["unit_minor"], currency: currency), priceSource: PriceSource(rawValue: row["price_source"]) ?? .base,
                  priceListId: row["price_list_id"], tierMinQuantity: row["tier_min_quantity"], taxRate: TaxRate(basisPoints: row["tax_rate_bp"]),
                  net: Money(minor: row["net_minor"], currency: currency), tax: Money(minor: row["tax_minor"], currency: currency),
                  gross: Money(minor: row["gross_minor"], currency: currency), reserved: row["reserved"], backordered: row["backordered"],
                  shipped: row["shipped"])
    }

    static func insert(_ db: Database, _ o: Order) throws {
        let taxes = taxesText(o.taxes)
        try db.cachedStatement(sql: """
            INSERT INTO orders (id, number, seller_business_id, buyer_business_id, state, currency, prices_include_tax, net_minor, tax_minor,
                gross_minor, taxes, notes, delivery_address, requested_date, payment_kind, payment_days, placed_by, placed_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [o.id, o.number, o.sellerBusinessId, o.buyerBusinessId, o.state.rawValue, o.currency, o.pricesIncludeTax,
                             o.net.minor, o.tax.minor, o.gross.minor, taxes, o.notes, o.deliveryAddress, o.requestedDate,
                             o.paymentTerms.kind.rawValue, o.paymentTerms.days, o.placedBy, o.placedAt, o.updatedAt])
        try insertLines(db, o)
    }

    /// The order's lines (a new order's, or an accepted proposal's after the old ones are gone).
    static func insertLines(_ db: Database, _ o: Order) throws {
        for l in o.lines ?? [] {
            try db.cachedStatement(sql: """
                INSERT INTO order_lines (order_id, line_no, product_id, sku, name, quantity, unit_minor, price_source, price_list_id,
                    tier_min_quantity, tax_rate_bp, net_minor, tax_minor, gross_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [o.id, l.lineNo, l.productId, l.sku, l.name, l.quantity, l.unitPrice.minor, l.priceSource.rawValue,
                                 l.priceListId, l.tierMinQuantity, l.taxRate.basisPoints, l.net.minor, l.tax.minor, l.gross.minor])
        }
    }

    /// Records a step of the order's life, its audit entry and its event, in the caller's transaction.
    static func record(_ db: Database, _ order: Order, from: OrderState?, note: String?, audit: AuditContext, now: Date) throws {
        try db.cachedStatement(sql: "INSERT INTO order_history (order_id, at, actor, actor_label, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?)").execute(arguments: [order.id, now, audit.actor, audit.actorLabel, from?.rawValue, order.state.rawValue, note])
        var detail = ["number": order.number, "state": order.state.rawValue]
        if let from { detail["from"] = from.rawValue }
        if let note { detail["note"] = String(note.prefix(200)) }
        try AuditLog.tenant(db, audit, "order.\(order.state.rawValue)", target: order.id, detail: detail)
        try Outbox.append(db, topic: Topic.order(order.state), payload: OrderEvent(order))
        try LiveFeed.append(db, Topic.order(order.state), order, now: now)
    }
}
