import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Reading channels, contacts and channel conversations.
enum InboxRows {
    static func channel(_ row: Row, baseURL: String, tenantSlug: String) -> InboxChannel {
        let id: String = row["id"]
        let kind = InboxChannel.Kind(rawValue: row["kind"]) ?? .whatsapp
        return InboxChannel(id: id, kind: kind, name: row["name"], businessId: row["business_id"], phoneNumberId: row["phone_number_id"],
                            displayPhone: row["display_phone"], enabled: row["enabled"],
                            webhookUrl: kind == .whatsapp ? "\(baseURL)/api/v1/whatsapp/\(tenantSlug)/\(id)/webhook" : nil,
                            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func channelRow(_ db: Database, _ id: String) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM inbox_channels WHERE id = ?"), arguments: [id])
    }

    static func contact(_ row: Row, prefix: String = "") -> Contact {
        let tags = (try? JSONDecoder().decode([String].self, from: Data(((row[prefix + "tags"] as String?) ?? "[]").utf8))) ?? []
        return Contact(id: row[prefix + "id"], name: row[prefix + "name"], phone: row[prefix + "phone"], telegramId: row[prefix + "telegram_id"],
                       whatsappId: row[prefix + "whatsapp_id"], language: row[prefix + "language"], tags: tags, notes: row[prefix + "notes"],
                       businessId: row[prefix + "business_id"], optedOut: row[prefix + "opted_out"], createdAt: row[prefix + "created_at"],
                       updatedAt: row[prefix + "updated_at"])
    }

    static func contact(_ db: Database, _ id: String) throws -> Contact? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM contacts WHERE id = ? AND merged_into IS NULL"), arguments: [id]).map { contact($0) }
    }

    static let contactColumns = ["id", "name", "phone", "telegram_id", "whatsapp_id", "language", "tags", "notes", "business_id", "opted_out", "created_at", "updated_at"]

    /// Channel conversations as `user` sees them, filtered by `clause` (on `i`, `c`, `k`, `ch`).
    static func conversations(_ db: Database, user: String, where clause: String, _ arguments: StatementArguments, tail: String = "",
                              now: Date = Date()) throws -> [InboxConversation] {
        let contactSelect = contactColumns.map { "k.\($0) AS k_\($0)" }.joined(separator: ", ")
        return try Row.fetchAll(db, sql: """
            SELECT i.*, ch.kind AS channel_kind, c.last_seq, c.last_message_at, c.preview, \(contactSelect),
                (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.seq > coalesce(r.seq, 0) AND m.author_id != ? AND m.deleted_at IS NULL) AS unread
            FROM inbox_conversations i JOIN conversations c ON c.id = i.conversation_id JOIN contacts k ON k.id = i.contact_id
            JOIN inbox_channels ch ON ch.id = i.channel_id
            LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = ?
            WHERE \(clause) \(tail)
            """, arguments: [user, user] + arguments).map { row in
            let kind = InboxChannel.Kind(rawValue: row["channel_kind"]) ?? .whatsapp
            let labels = (try? JSONDecoder().decode([String].self, from: Data((row["labels"] as String).utf8))) ?? []
            let lastInbound: Date? = row["last_inbound_at"]
            return InboxConversation(id: row["conversation_id"], channelId: row["channel_id"], channelKind: kind, contact: contact(row, prefix: "k_"),
                                     status: InboxConversation.Status(rawValue: row["status"]) ?? .open, assigneeId: row["assignee_id"], labels: labels,
                                     lastSeq: row["last_seq"], lastMessageAt: row["last_message_at"], preview: row["preview"], unread: row["unread"],
                                     lastInboundAt: lastInbound, windowOpen: InboxConversation.windowOpen(kind: kind, lastInboundAt: lastInbound, now: now),
                                     waitingSince: row["waiting_since"], firstResponseAt: row["first_response_at"], resolvedAt: row["resolved_at"],
                                     createdAt: row["created_at"])
        }
    }

    /// Who hears of a message in a channel conversation: a customer's message goes to its assignee,
    /// or to the channel's agents while it waits; agents' and automatic replies go to nobody.
    static func audience(_ db: Database, conversation: String, author: String) throws -> [String] {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT channel_id, contact_id, assignee_id FROM inbox_conversations WHERE conversation_id = ?"),
                                         arguments: [conversation]), (row["contact_id"] as String) == author else { return [] }
        if let assignee = row["assignee_id"] as String? { return [assignee] }
        return try String.fetchAll(db.cachedStatement(sql: "SELECT user_id FROM inbox_channel_agents WHERE channel_id = ?"), arguments: [row["channel_id"]])
    }

    static func json(_ strings: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}
