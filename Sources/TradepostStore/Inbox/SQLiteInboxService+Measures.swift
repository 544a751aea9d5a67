import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// How the inbox is answered: first response and resolution times, per channel and per agent.
extension SQLiteInboxService {
    public func measures(_ caller: Caller, from: Date, to: Date) async throws -> InboxMeasures {
        let tenant = try caller.authorize(.channelsManage)
        guard from < to, to.timeIntervalSince(from) <= 366 * 86400 else {
            throw AppError.invalid("The period is not valid", fields: [.init("to", "must be after from, at most a year later")])
        }
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                // Seconds between two stored times, in SQLite (julianday differences are days).
                let started = try Row.fetchAll(db, sql: """
                    SELECT channel_id, assignee_id, (julianday(first_response_at) - julianday(created_at)) * 86400 AS first FROM inbox_conversations
                    WHERE created_at >= ? AND created_at < ?
                    """, arguments: [from, to])
                let resolved = try Row.fetchAll(db, sql: """
                    SELECT channel_id, assignee_id, (julianday(resolved_at) - julianday(created_at)) * 86400 AS took FROM inbox_conversations
                    WHERE status = 'resolved' AND resolved_at >= ? AND resolved_at < ?
                    """, arguments: [from, to])
                func figures(_ keep: (Row) -> Bool) -> InboxMeasures.Figures {
                    InboxMeasures.figures(startedFirstResponses: started.filter(keep).map { $0["first"] as Double? },
                                          resolutions: resolved.filter(keep).compactMap { $0["took"] as Double? })
                }
                let channels = try Row.fetchAll(db, sql: """
                    SELECT ch.id, ch.name,
                        (SELECT count(*) FROM inbox_conversations i WHERE i.channel_id = ch.id AND i.status = 'open') AS open,
                        (SELECT count(*) FROM inbox_conversations i WHERE i.channel_id = ch.id AND i.status = 'open' AND i.assignee_id IS NULL) AS waiting
                    FROM inbox_channels ch ORDER BY ch.created_at, ch.id
                    """).map { row -> InboxMeasures.ChannelFigures in
                    let id: String = row["id"]
                    return InboxMeasures.ChannelFigures(channelId: id, name: row["name"], open: row["open"], waiting: row["waiting"],
                                                        figures: figures { ($0["channel_id"] as String) == id })
                }
                let agents = try Row.fetchAll(db, sql: """
                    SELECT u.id, u.name, (SELECT count(*) FROM inbox_conversations i WHERE i.assignee_id = u.id AND i.status = 'open') AS open
                    FROM users u WHERE u.id IN (SELECT user_id FROM inbox_channel_agents UNION SELECT assignee_id FROM inbox_conversations WHERE assignee_id IS NOT NULL)
                    ORDER BY u.name, u.id
                    """).map { row -> InboxMeasures.AgentFigures in
                    let id: String = row["id"]
                    return InboxMeasures.AgentFigures(userId: id, name: row["name"], open: row["open"], figures: figures { ($0["assignee_id"] as String?) == id })
                }
                return InboxMeasures(from: from, to: to, channels: channels, agents: agents)
            }
        }
    }
}
