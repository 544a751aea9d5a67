import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Hands a channel's waiting conversations to its agents (`Assignment`'s policy), in the caller's
/// transaction: after a conversation arrives or reopens, an agent comes online, resolves one or
/// gets more capacity. Each assignment raises `inbox.changed` (the agent is told).
enum InboxAssigner {
    static func run(_ db: Database, channel: String, now: Date) throws {
        let waiting = try String.fetchAll(db.cachedStatement(sql: """
            SELECT conversation_id FROM inbox_conversations WHERE channel_id = ? AND assignee_id IS NULL AND status = 'open'
            ORDER BY waiting_since, conversation_id
            """), arguments: [channel])
        guard !waiting.isEmpty else { return }
        let agents = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT a.user_id, coalesce(g.availability, 'offline') AS availability, a.capacity, a.last_assigned_at,
                (SELECT count(*) FROM inbox_conversations i WHERE i.channel_id = a.channel_id AND i.assignee_id = a.user_id AND i.status = 'open') AS open
            FROM inbox_channel_agents a JOIN users u ON u.id = a.user_id AND u.disabled = 0 LEFT JOIN inbox_agents g ON g.user_id = a.user_id
            WHERE a.channel_id = ?
            """), arguments: [channel]).map {
            Assignment.Agent(userId: $0["user_id"], online: ($0["availability"] as String) == "online", open: $0["open"], capacity: $0["capacity"],
                             lastAssignedAt: $0["last_assigned_at"])
        }
        for (n, pair) in Assignment.plan(waiting: waiting, agents: agents, now: now).enumerated() {
            try db.cachedStatement(sql: "UPDATE inbox_conversations SET assignee_id = ?, waiting_since = NULL WHERE conversation_id = ?")
                .execute(arguments: [pair.agent, pair.conversation])
            try db.cachedStatement(sql: "UPDATE inbox_channel_agents SET last_assigned_at = ? WHERE channel_id = ? AND user_id = ?")
                .execute(arguments: [now.addingTimeInterval(Double(n) * 1e-6), channel, pair.agent])
            try Outbox.append(db, topic: Topic.inboxChanged, payload: InboxChangeEvent(conversationId: pair.conversation, status: "open", assigneeId: pair.agent))
            try told(db, conversation: pair.conversation, assignee: pair.agent)
        }
    }

    /// Tells an agent a conversation is theirs now (the `inbox.assigned` notification).
    static func told(_ db: Database, conversation: String, assignee: String) throws {
        let name = try String.fetchOne(db.cachedStatement(sql: """
            SELECT k.name FROM inbox_conversations i JOIN contacts k ON k.id = i.contact_id WHERE i.conversation_id = ?
            """), arguments: [conversation]) ?? ""
        try Outbox.append(db, topic: Topic.inboxAssigned, payload: InboxAssignedEvent(conversationId: conversation, assigneeId: assignee, contactName: name))
    }

    /// Every channel the user is an agent of (they came online, or have room again).
    static func runAll(_ db: Database, forAgent user: String, now: Date) throws {
        for channel in try String.fetchAll(db, sql: "SELECT channel_id FROM inbox_channel_agents WHERE user_id = ?", arguments: [user]) {
            try run(db, channel: channel, now: now)
        }
    }
}
