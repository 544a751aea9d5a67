import Foundation
import GRDB
import TradepostCore

/// Who takes part in a conversation, decided from memberships and links in the transaction that
/// uses it: members of either business and the salespeople linked to them, or the two users of a
/// direct conversation. A conversation the caller does not take part in is `.notFound`.
enum TalkAccess {
    struct Seen {
        let conversation: ConversationRows.Head
        let facts: CallerFacts
        /// The side the caller acts for in a trade conversation (nil: direct).
        let side: TradeSide?
    }

    /// The conversation, when the caller takes part; `action` is checked against the caller's scopes.
    static func conversation(_ db: Database, _ caller: Caller, _ id: String, _ action: Action = .conversationsRead,
                             side wanted: TradeSide? = nil) throws -> Seen {
        let facts = try CallerFacts.read(db, caller)
        guard let head = try ConversationRows.head(db, id), let side = side(facts, head, wanted: wanted) else { throw AppError.notFound("Conversation") }
        try facts.authorize(action)
        return Seen(conversation: head, facts: facts, side: side.side)
    }

    /// Whether the caller takes part, and on which side: `(side: nil)` for a direct conversation's user.
    static func side(_ facts: CallerFacts, _ head: ConversationRows.Head, wanted: TradeSide? = nil) -> (side: TradeSide?, Void)? {
        let me = facts.caller.principal.userID
        if head.kind == .direct { return head.userA == me || head.userB == me ? (nil, ()) : nil }
        let seller = head.sellerBusinessId.map(facts.actsFor) ?? false
        let buyer = head.buyerBusinessId.map(facts.actsFor) ?? false
        switch (seller, buyer) {
        case (true, true): return (wanted ?? .seller, ())
        case (true, false): return (.seller, ())
        case (false, true): return (.buyer, ())
        default: return nil
        }
    }

    /// The businesses whose trade conversations the caller takes part in.
    static func businesses(_ facts: CallerFacts) -> [String] {
        Array(Set(facts.memberships.keys).union(facts.links.keys)).sorted()
    }

    /// The SQL condition (on `conversations c`) for the conversations the caller takes part in, with its arguments.
    static func mine(_ facts: CallerFacts) -> (sql: String, arguments: StatementArguments) {
        let me = facts.caller.principal.userID
        let businesses = businesses(facts)
        var sql = "c.user_a = ? OR c.user_b = ?"
        var arguments: StatementArguments = [me, me]
        if !businesses.isEmpty {
            let marks = ConversationRows.marks(businesses.count)
            sql += " OR c.buyer_business_id IN (\(marks)) OR c.seller_business_id IN (\(marks))"
            arguments += StatementArguments(businesses + businesses)
        }
        return ("(" + sql + ")", arguments)
    }

    /// The users taking part in a conversation now.
    static func participants(_ db: Database, _ head: ConversationRows.Head) throws -> Set<String> {
        if head.kind == .direct { return Set([head.userA, head.userB].compactMap { $0 }) }
        // A channel conversation has only the seller side: its business's staff (the customer is not a user).
        let businesses = [head.buyerBusinessId ?? head.sellerBusinessId, head.sellerBusinessId].compactMap { $0 }
        return Set(try String.fetchAll(db.cachedStatement(sql: """
            SELECT user_id FROM business_members WHERE business_id IN (?, ?)
            UNION SELECT user_id FROM salesperson_links WHERE business_id IN (?, ?) AND state = 'active'
            """), arguments: StatementArguments(businesses + businesses)))
    }

    /// Someone may have lost access: the live socket re-checks its subscribers.
    static func bump(_ db: Database) throws {
        try db.execute(sql: "UPDATE talk_access SET epoch = epoch + 1 WHERE id = 1")
    }

    static func epoch(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT epoch FROM talk_access WHERE id = 1")) ?? 0
    }
}
