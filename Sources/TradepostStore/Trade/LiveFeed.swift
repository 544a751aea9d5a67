import Foundation
import GRDB
import TradepostCore

/// The live socket's durable feed of order changes (`live_events`), written in the change's
/// transaction; the outbox event written beside it is what wakes the socket.
enum LiveFeed {
    static let lifetime: TimeInterval = 7 * 86_400

    static func append(_ db: Database, _ topic: String, _ order: Order, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO live_events (at, topic, order_id, number, state, buyer_business_id, seller_business_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [now, topic, order.id, order.number, order.state.rawValue, order.buyerBusinessId, order.sellerBusinessId])
    }

    /// After `after`, the events of orders whose buyer or seller is among `businesses` (all with nil).
    static func events(_ db: Database, after: Int64, businesses: Set<String>?, limit: Int) throws -> [OrderLiveEvent] {
        var sql = "SELECT seq, topic, order_id, number, state, at FROM live_events WHERE seq > ?"
        var args: StatementArguments = [after]
        if let businesses {
            guard !businesses.isEmpty else { return [] }
            let marks = Array(repeating: "?", count: businesses.count).joined(separator: ", ")
            sql += " AND (buyer_business_id IN (\(marks)) OR seller_business_id IN (\(marks)))"
            args += StatementArguments(Array(businesses)) + StatementArguments(Array(businesses))
        }
        sql += " ORDER BY seq LIMIT ?"
        args += [limit]
        return try Row.fetchAll(db, sql: sql, arguments: args).map {
            OrderLiveEvent(seq: $0[0], topic: $0[1], orderId: $0[2], number: $0[3], state: OrderState(rawValue: $0[4]) ?? .placed, at: $0[5])
        }
    }

    static func latest(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM live_events") ?? 0
    }

    /// Forgets events older than a week (a client gone longer reloads its page).
    static func sweep(_ db: Database, now: Date) throws {
        try db.execute(sql: "DELETE FROM live_events WHERE at < ?", arguments: [now.addingTimeInterval(-lifetime)])
    }
}
