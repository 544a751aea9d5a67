import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Reading and writing conversations, messages and their events.
enum ConversationRows {
    /// What access decisions need of a conversation.
    struct Head {
        let id: String
        let kind: Conversation.Kind
        let state: Conversation.State
        let buyerBusinessId: String?
        let sellerBusinessId: String?
        let userA: String?
        let userB: String?
        let title: String?
    }

    static func head(_ db: Database, _ id: String) throws -> Head? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, kind, state, buyer_business_id, seller_business_id, user_a, user_b, title FROM conversations WHERE id = ?
            """), arguments: [id]).map {
            Head(id: $0[0], kind: Conversation.Kind(rawValue: $0[1]) ?? .trade, state: Conversation.State(rawValue: $0[2]) ?? .open,
                 buyerBusinessId: $0[3], sellerBusinessId: $0[4], userA: $0[5], userB: $0[6], title: $0[7])
        }
    }

    /// Conversations as `user` sees them (their unread count), filtered by `clause`.
    static func conversations(_ db: Database, user: String, where clause: String, _ arguments: StatementArguments, tail: String = "") throws -> [Conversation] {
        try Row.fetchAll(db, sql: """
            SELECT c.*, b.name AS buyer_name, s.name AS seller_name,
                (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.seq > coalesce(r.seq, 0) AND m.author_id != ? AND m.deleted_at IS NULL) AS unread
            FROM conversations c LEFT JOIN businesses b ON b.id = c.buyer_business_id LEFT JOIN businesses s ON s.id = c.seller_business_id
            LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = ?
            WHERE \(clause) \(tail)
            """, arguments: [user, user] + arguments).map { row in
            let a: String? = row["user_a"]
            let b: String? = row["user_b"]
            return Conversation(id: row["id"], kind: Conversation.Kind(rawValue: row["kind"]) ?? .trade, state: Conversation.State(rawValue: row["state"]) ?? .open,
                                title: row["title"], buyerBusinessId: row["buyer_business_id"], buyerName: row["buyer_name"],
                                sellerBusinessId: row["seller_business_id"], sellerName: row["seller_name"], productId: row["product_id"],
                                orderId: row["order_id"], userIds: a.flatMap { a in b.map { [a, $0] } }, lastSeq: row["last_seq"],
                                lastMessageAt: row["last_message_at"], preview: row["preview"], unread: row["unread"], createdAt: row["created_at"])
        }
    }

    static func conversation(_ db: Database, _ id: String, user: String) throws -> Conversation {
        guard let c = try conversations(db, user: user, where: "c.id = ?", [id]).first else { throw AppError.notFound("Conversation") }
        return c
    }

    /// Appends an event under the conversation's next sequence number; answers the number.
    @discardableResult
    static func event(_ db: Database, _ conversation: String, _ kind: ConversationEvent.Kind, message: String? = nil, user: String? = nil,
                      readSeq: Int64? = nil, now: Date) throws -> Int64 {
        guard let seq = try Int64.fetchOne(db.cachedStatement(sql: "UPDATE conversations SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq"),
                                           arguments: [conversation]) else { throw AppError.notFound("Conversation") }
        try db.cachedStatement(sql: """
            INSERT INTO conversation_events (conversation_id, seq, kind, message_id, user_id, read_seq, at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [conversation, seq, kind.rawValue, message, user, readSeq, now])
        return seq
    }

    static let messageColumns = "id, conversation_id, seq, kind, author_id, author_name, text, reply_to, product_id, negotiation_id, revision, created_at, edited_at, deleted_at"

    /// Messages with their files and offers, in the order `clause` gives.
    static func messages(_ db: Database, where clause: String, _ arguments: StatementArguments) throws -> [Message] {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT \(messageColumns) FROM messages WHERE \(clause)"), arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0[0] as String }
        var files: [String: [Attachment]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
            for row in try Row.fetchAll(db, sql: """
                SELECT message_id, id, name, content_type, size, width, height FROM message_attachments WHERE message_id IN (\(marks(part.count))) ORDER BY created_at, id
                """, arguments: StatementArguments(part)) {
                files[row[0], default: []].append(Attachment(id: row[1], name: row[2], contentType: row[3], size: row[4], width: row[5], height: row[6]))
            }
        }
        return try rows.map { row in
            let kind = Message.Kind(rawValue: row[3]) ?? .text
            var offer: OfferRevision?
            if kind == .offer, let negotiation: String = row[9], let revision: Int = row[10] {
                offer = try NegotiationRows.revision(db, negotiation, revision)
            }
            let deleted: Date? = row[13]
            return Message(id: row[0], conversationId: row[1], seq: row[2], kind: kind, authorId: row[4], authorName: row[5], text: row[6], replyTo: row[7],
                           productId: row[8], attachments: deleted == nil ? files[row[0]] ?? [] : [], offer: offer, createdAt: row[11], editedAt: row[12],
                           deletedAt: deleted)
        }
    }

    static func message(_ db: Database, _ id: String) throws -> Message? {
        try messages(db, where: "id = ?", [id]).first
    }

    /// Events with the messages as they are now.
    static func events(_ rows: [Row], _ db: Database) throws -> [(cursor: Int64, event: ConversationEvent)] {
        let ids = Array(Set(rows.compactMap { $0["message_id"] as String? }))
        var byID: [String: Message] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
            for m in try messages(db, where: "id IN (\(marks(part.count)))", StatementArguments(part)) { byID[m.id] = m }
        }
        return rows.map { row in
            let message: String? = row["message_id"]
            return (row["id"], ConversationEvent(conversationId: row["conversation_id"], seq: row["seq"],
                                                 kind: ConversationEvent.Kind(rawValue: row["kind"]) ?? .messageCreated,
                                                 message: message.flatMap { byID[$0] }, userId: row["user_id"], readSeq: row["read_seq"], at: row["at"]))
        }
    }

    /// Files uploaded for a message but never sent, after a day: their bytes go to the blob store's garbage.
    static func sweepUnsent(_ db: Database, now: Date) throws {
        let cutoff = now.addingTimeInterval(-86_400)
        try db.execute(sql: "INSERT OR IGNORE INTO s3_garbage (blob) SELECT blob FROM message_attachments WHERE message_id IS NULL AND created_at < ?",
                       arguments: [cutoff])
        try db.execute(sql: "DELETE FROM message_attachments WHERE message_id IS NULL AND created_at < ?", arguments: [cutoff])
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

    /// The first words of a message for the inbox.
    static func preview(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }
}

/// The outbox payload of a conversation's events (what notifications will hear).
struct ConversationEventPayload: Encodable {
    var conversationId: String
    var seq: Int64
    var messageId: String?
    var authorId: String?
}
