import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// What arrives from the platforms: customers' messages (each once), found or new contacts, their
/// channel conversations (reopened when they write again), files already in the blob store, and
/// delivery statuses that only move forward.
extension SQLiteInboxService {
    public func recordInbound(_ tenant: TenantID, webhookID: Int64, channelID: String, _ batch: InboundBatch, files: [String: StoredFile],
                              final: Bool) async throws -> [String] {
        let analyze = self.analyze
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try Self.record(db, webhookID: webhookID, channelID: channelID, batch, files: files, final: final, analyze: analyze)
            }
        }
    }

    public func recordInbound(_ tenant: TenantID, _ webhooks: [(webhookID: Int64, channelID: String, batch: InboundBatch)]) async throws -> Set<Int64> {
        let analyze = self.analyze
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                var left: Set<Int64> = []
                for w in webhooks where try !Self.record(db, webhookID: w.webhookID, channelID: w.channelID, w.batch, files: [:], final: false,
                                                        analyze: analyze).isEmpty {
                    left.insert(w.webhookID)
                }
                return left
            }
        }
    }

    /// One webhook's messages and statuses, in the caller's transaction; the platform ids of statuses not known yet.
    static func record(_ db: Database, webhookID: Int64, channelID: String, _ batch: InboundBatch, files: [String: StoredFile], final: Bool,
                       analyze: (String) -> [String]) throws -> [String] {
        let now = Date()
        guard let channel = try InboxRows.channelRow(db, channelID) else { throw AppError.notFound("Channel") }
        var queued = false
        for message in batch.messages {
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM channel_messages WHERE channel_id = ? AND external_id = ?"),
                                 arguments: [channelID, message.externalId]) != nil { continue }
            let contact = try Self.contact(db, for: message, now: now)
            let (conversation, waits, isNew) = try Self.conversation(db, channel: channel, contact: contact, chat: message.chatId, at: message.at, now: now)
            queued = queued || waits
            let id = Identifier.make(now: now)
            try SQLiteConversationService.insert(db, id: id, conversation, kind: .text, author: (contact.id, contact.name), text: message.text,
                                                 replyTo: nil, productID: nil, negotiation: nil, now: now, analyze: analyze)
            if let file = files[message.externalId] {
                try db.execute(sql: """
                    INSERT INTO message_attachments (id, conversation_id, message_id, uploaded_by, blob, name, content_type, size, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [Identifier.make(now: now), conversation, id, contact.id, file.blob, file.name, file.contentType, file.size, now])
            }
            try db.cachedStatement(sql: """
                INSERT INTO channel_messages (message_id, channel_id, direction, external_id, status, updated_at) VALUES (?, ?, 'in', ?, 'received', ?)
                """).execute(arguments: [id, channelID, message.externalId, now])
            try db.cachedStatement(sql: "UPDATE inbox_conversations SET last_inbound_at = max(coalesce(last_inbound_at, ''), ?) WHERE conversation_id = ?")
                .execute(arguments: [message.at, conversation])
            try Self.autoReply(db, channel: channel, conversation: conversation, contact: contact, text: message.text, first: isNew, now: now,
                               analyze: analyze)
        }
        if queued { try InboxAssigner.run(db, channel: channelID, now: now) }
        var unknown: [String] = []
        for status in batch.statuses where try !Self.advance(db, channel: channelID, status, now: now) {
            unknown.append(status.externalId)
        }
        if unknown.isEmpty || final {
            try db.cachedStatement(sql: "UPDATE inbox_webhooks SET processed_at = ? WHERE id = ?").execute(arguments: [now, webhookID])
        }
        return unknown
    }

    /// The contact the message is from: by its channel id, else a new one.
    static func contact(_ db: Database, for message: InboundMessage, now: Date) throws -> Contact {
        let found: Row?
        if let wa = message.whatsappId {
            found = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM contacts WHERE whatsapp_id = ?"), arguments: [wa])
        } else if let tg = message.telegramId {
            found = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM contacts WHERE telegram_id = ?"), arguments: [tg])
        } else {
            found = nil
        }
        if let found { return InboxRows.contact(found) }
        let id = Identifier.make(now: now)
        let language = message.language.flatMap { ["en", "uk", "ru"].contains($0) ? $0 : nil }
        try db.execute(sql: """
            INSERT INTO contacts (id, name, phone, telegram_id, whatsapp_id, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id, String(message.senderName.prefix(200)), message.whatsappId.flatMap { $0.allSatisfy(\.isNumber) ? "+" + $0 : nil },
                             message.telegramId, message.whatsappId,
                             language, now, now])
        return try InboxRows.contact(db, id)!
    }

    /// The channel conversation with this chat, made or reopened; whether it now waits for an agent, and whether it is new.
    static func conversation(_ db: Database, channel: Row, contact: Contact, chat: String, at: Date, now: Date) throws -> (String, Bool, Bool) {
        let channelID: String = channel["id"]
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT conversation_id, status, assignee_id FROM inbox_conversations WHERE channel_id = ? AND chat_id = ?
            """), arguments: [channelID, chat]) {
            let id: String = row["conversation_id"]
            guard (row["status"] as String) != "open" else { return (id, false, false) }
            // The customer wrote again: open again; back in the queue unless someone has it.
            let waits = (row["assignee_id"] as String?) == nil
            try db.execute(sql: """
                UPDATE inbox_conversations SET status = 'open', resolved_at = NULL, waiting_since = CASE WHEN assignee_id IS NULL THEN ? END
                WHERE conversation_id = ?
                """, arguments: [now, id])
            try Outbox.append(db, topic: Topic.inboxChanged, payload: InboxChangeEvent(conversationId: id, status: "open", assigneeId: row["assignee_id"]))
            return (id, waits, false)
        }
        let id = Identifier.make(now: now)
        try db.execute(sql: """
            INSERT INTO conversations (id, kind, state, title, seller_business_id, subject_key, created_by, created_at)
            VALUES (?, 'channel', 'open', ?, ?, ?, ?, ?)
            """, arguments: [id, contact.name, channel["business_id"], "channel:\(channelID):\(chat)", contact.id, now])
        try db.execute(sql: """
            INSERT INTO inbox_conversations (conversation_id, channel_id, contact_id, chat_id, status, waiting_since, created_at)
            VALUES (?, ?, ?, ?, 'open', ?, ?)
            """, arguments: [id, channelID, contact.id, chat, now, now])
        return (id, true, true)
    }

    /// Moves an outbound message's status forward; false when the platform id is not known (yet).
    static func advance(_ db: Database, channel: String, _ status: InboundStatus, now: Date) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT message_id, status FROM channel_messages WHERE channel_id = ? AND external_id = ?
            """), arguments: [channel, status.externalId]) else { return false }
        let current = ChannelMessageStatus(rawValue: row["status"]) ?? .queued
        let next = current.advanced(to: status.status)
        guard next != current else { return true }
        try db.execute(sql: "UPDATE channel_messages SET status = ?, error = CASE WHEN ? = 'failed' THEN ? ELSE error END, updated_at = ? WHERE message_id = ?",
                       arguments: [next.rawValue, next.rawValue, status.error, now, row["message_id"]])
        return true
    }
}
