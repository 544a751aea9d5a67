import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Agents: who takes a channel's conversations and how many at once (admins), and whether each is
/// taking any now (the agents themselves). Room that appears — someone online, more capacity — is
/// handed to the queue in the same transaction.
extension SQLiteInboxService {
    static func agents(_ db: Database, channel: String) throws -> [ChannelAgent] {
        try Row.fetchAll(db, sql: """
            SELECT a.user_id, u.name, a.capacity, coalesce(g.availability, 'offline') AS availability,
                (SELECT count(*) FROM inbox_conversations i WHERE i.channel_id = a.channel_id AND i.assignee_id = a.user_id AND i.status = 'open') AS open
            FROM inbox_channel_agents a JOIN users u ON u.id = a.user_id LEFT JOIN inbox_agents g ON g.user_id = a.user_id
            WHERE a.channel_id = ? ORDER BY u.name, a.user_id
            """, arguments: [channel]).map {
            ChannelAgent(userId: $0["user_id"], name: $0["name"], capacity: $0["capacity"],
                         availability: AgentStatus.Availability(rawValue: $0["availability"]) ?? .offline, open: $0["open"])
        }
    }

    public func channelAgents(_ caller: Caller, channelID: String) async throws -> [ChannelAgent] {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard try InboxRows.channelRow(db, channelID) != nil else { throw AppError.notFound("Channel") }
                return try Self.agents(db, channel: channelID)
            }
        }
    }

    public func setChannelAgent(_ caller: Caller, channelID: String, userID: String, capacity: Int) async throws -> ChannelAgent {
        let tenant = try caller.authorize(.channelsManage)
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let channel = try InboxRows.channelRow(db, channelID) else { throw AppError.notFound("Channel") }
                var v = Validator()
                if !(1...1000).contains(capacity) { v.fail("capacity", "must be 1–1000 conversations at once") }
                if try !Self.mayWork(db, user: userID, business: channel["business_id"]) {
                    v.fail("user_id", "is not an active member of (or salesperson linked to) the channel's business")
                }
                try v.check("The agent cannot be set")
                try db.execute(sql: """
                    INSERT INTO inbox_channel_agents (channel_id, user_id, capacity) VALUES (?, ?, ?)
                    ON CONFLICT (channel_id, user_id) DO UPDATE SET capacity = excluded.capacity
                    """, arguments: [channelID, userID, capacity])
                try AuditLog.tenant(db, caller.audit, "inbox.agent.set", target: channelID, detail: ["user": userID, "capacity": String(capacity)])
                try InboxAssigner.run(db, channel: channelID, now: now)
                return try Self.agents(db, channel: channelID).first { $0.userId == userID }!
            }
        }
    }

    public func removeChannelAgent(_ caller: Caller, channelID: String, userID: String) async throws {
        let tenant = try caller.authorize(.channelsManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM inbox_channel_agents WHERE channel_id = ? AND user_id = ?", arguments: [channelID, userID])
                guard db.changesCount > 0 else { throw AppError.notFound("Agent") }
                try AuditLog.tenant(db, caller.audit, "inbox.agent.remove", target: channelID, detail: ["user": userID])
            }
        }
    }

    static func status(_ db: Database, user: String) throws -> AgentStatus {
        let availability = try String.fetchOne(db, sql: "SELECT availability FROM inbox_agents WHERE user_id = ?", arguments: [user])
            .flatMap(AgentStatus.Availability.init(rawValue:)) ?? .offline
        let seats = try Row.fetchAll(db, sql: """
            SELECT a.channel_id, a.capacity,
                (SELECT count(*) FROM inbox_conversations i WHERE i.channel_id = a.channel_id AND i.assignee_id = a.user_id AND i.status = 'open') AS open
            FROM inbox_channel_agents a WHERE a.user_id = ? ORDER BY a.channel_id
            """, arguments: [user]).map { AgentStatus.Seat(channelId: $0["channel_id"], capacity: $0["capacity"], open: $0["open"]) }
        return AgentStatus(availability: availability, seats: seats)
    }

    public func agent(_ caller: Caller) async throws -> AgentStatus {
        let tenant = try caller.authorize(.conversationsRead)
        let me = caller.principal.userID
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try Self.status(db, user: me) } }
    }

    public func setAgent(_ caller: Caller, _ change: AgentChange) async throws -> AgentStatus {
        let tenant = try caller.authorize(.conversationsWrite)
        let (me, now) = (caller.principal.userID, Date())
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                if let availability = change.availability {
                    try db.execute(sql: """
                        INSERT INTO inbox_agents (user_id, availability, updated_at) VALUES (?, ?, ?)
                        ON CONFLICT (user_id) DO UPDATE SET availability = excluded.availability, updated_at = excluded.updated_at
                        """, arguments: [me, availability.rawValue, now])
                    if availability == .online { try InboxAssigner.runAll(db, forAgent: me, now: now) }
                }
                return try Self.status(db, user: me)
            }
        }
    }
}
