import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Messages: sending (text, a reply, files, a product card), editing within the window, deleting
/// to a tombstone, read marks, unread counts, search.
extension SQLiteConversationService {
    public func post(_ caller: Caller, conversationID: String, _ input: MessageInput, idempotency: IdempotencyKey?) async throws -> Message {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let seen = try TalkAccess.conversation(db, caller, conversationID, .conversationsWrite)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    guard seen.conversation.state == .open else { throw AppError.invalidState(seen.conversation.state.rawValue, "send to the conversation") }
                    // A customer's conversation is answered through its channel (the inbox's reply), or the customer would never see it.
                    guard seen.conversation.kind != .channel else { throw AppError.invalidState("channel", "post here; reply from the inbox") }
                    var v = Validator()
                    let text = input.text.map { v.text("text", $0, min: 0, max: MessageInput.maxText, multiline: true) }?.nilIfEmpty
                    let files = input.attachmentIds ?? []
                    if files.count > 10 { v.fail("attachment_ids", "at most 10 files per message") }
                    if Set(files).count != files.count { v.fail("attachment_ids", "names a file twice") }
                    if text == nil && files.isEmpty && input.productId == nil { v.fail("text", "is required (or send files or a product)") }
                    if let reply = input.replyTo,
                       try Bool.fetchOne(db, sql: "SELECT 1 FROM messages WHERE id = ? AND conversation_id = ?", arguments: [reply, conversationID]) == nil {
                        v.fail("reply_to", "is not a message of this conversation")
                    }
                    if let id = input.productId {
                        if let product = try Product.fetch(db, id: id), seen.facts.productVisibility.canSee(product) {} else { v.fail("product_id", "is not a product you can see") }
                    }
                    for (i, file) in files.enumerated() {
                        let ok = try Bool.fetchOne(db, sql: """
                            SELECT 1 FROM message_attachments WHERE id = ? AND conversation_id = ? AND uploaded_by = ? AND message_id IS NULL
                            """, arguments: [file, conversationID, caller.principal.userID]) != nil
                        if !ok { v.fail("attachment_ids[\(i)]", "is not a file you uploaded to this conversation (or it is already sent)") }
                    }
                    try v.check("The message cannot be sent")
                    let id = Identifier.make(now: now)
                    try Self.insert(db, id: id, conversationID, kind: .text, caller: caller, text: text, replyTo: input.replyTo, productID: input.productId,
                                    negotiation: nil, now: now, analyze: self.analyze)
                    for file in files {
                        try db.execute(sql: "UPDATE message_attachments SET message_id = ? WHERE id = ?", arguments: [id, file])
                    }
                    return try ConversationRows.message(db, id)!
                }
            }
        }
    }

    /// Writes a message, its `message.created` event, the sender's read mark, the index entry and the
    /// outbox event. Offers use it too.
    @discardableResult
    static func insert(_ db: Database, id: String, _ conversation: String, kind: Message.Kind, caller: Caller, text: String?, replyTo: String?,
                       productID: String?, negotiation: (id: String, revision: Int)?, now: Date, analyze: (String) -> [String]) throws -> Int64 {
        try insert(db, id: id, conversation, kind: kind, author: (caller.principal.userID, caller.principal.name), text: text, replyTo: replyTo,
                   productID: productID, negotiation: negotiation, now: now, analyze: analyze)
    }

    /// The same for any author: a user, or a channel's contact writing in (their id is the contact's).
    @discardableResult
    static func insert(_ db: Database, id: String, _ conversation: String, kind: Message.Kind, author: (id: String, name: String), text: String?,
                       replyTo: String?, productID: String?, negotiation: (id: String, revision: Int)?, now: Date,
                       analyze: (String) -> [String]) throws -> Int64 {
        let seq = try ConversationRows.event(db, conversation, .messageCreated, message: id, now: now)
        try db.cachedStatement(sql: """
            INSERT INTO messages (id, conversation_id, seq, kind, author_id, author_name, text, reply_to, product_id, negotiation_id, revision, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [id, conversation, seq, kind.rawValue, author.id, author.name, text, replyTo, productID,
                                     negotiation?.id, negotiation?.revision, now])
        if let text { try index(db, id, conversation, text, analyze) }
        try db.cachedStatement(sql: "UPDATE conversations SET last_message_at = ?, preview = ? WHERE id = ?")
            .execute(arguments: [now, ConversationRows.preview(text) ?? (kind == .offer ? "…" : nil), conversation])
        try markRead(db, conversation, user: author.id, seq: seq)
        try Outbox.append(db, topic: Topic.messageCreated, payload: ConversationEventPayload(conversationId: conversation, seq: seq, messageId: id,
                                                                                            authorId: author.id))
        return seq
    }

    /// The message's terms under its rowid, with its conversation's term (`zc` + id) so a search in
    /// a few conversations intersects lists in the index instead of filtering every match.
    static func index(_ db: Database, _ id: String, _ conversation: String, _ text: String?, _ analyze: (String) -> [String]) throws {
        guard let rowid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM messages WHERE id = ?"), arguments: [id]) else { return }
        try db.cachedStatement(sql: "DELETE FROM message_fts WHERE rowid = ?").execute(arguments: [rowid])
        guard let text else { return }
        let terms = analyze(text)
        guard !terms.isEmpty else { return }
        try db.cachedStatement(sql: "INSERT INTO message_fts (rowid, terms) VALUES (?, ?)").execute(arguments: [rowid, termsText(terms, conversation)])
    }

    public static func termsText(_ terms: [String], _ conversation: String) -> String {
        (terms + ["zc" + conversation]).joined(separator: " ")
    }

    /// Searching more conversations than this filters matches by a join instead of naming each.
    static let namedConversations = 64

    static func markRead(_ db: Database, _ conversation: String, user: String, seq: Int64) throws {
        try db.cachedStatement(sql: """
            INSERT INTO conversation_reads (conversation_id, user_id, seq) VALUES (?, ?, ?)
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)
            """).execute(arguments: [conversation, user, seq])
    }

    /// The author's own message, for a change.
    private func own(_ db: Database, _ caller: Caller, _ messageID: String) throws -> (Message, TalkAccess.Seen) {
        guard let message = try ConversationRows.message(db, messageID) else { throw AppError.notFound("Message") }
        let seen: TalkAccess.Seen
        do { seen = try TalkAccess.conversation(db, caller, message.conversationId, .conversationsWrite) } catch let e as AppError where e.code == .notFound {
            throw AppError.notFound("Message")
        }
        guard message.authorId == caller.principal.userID else { throw AppError.forbidden("Only its author changes a message") }
        guard message.deletedAt == nil else { throw AppError.invalidState("deleted", "change the message") }
        return (message, seen)
    }

    public func edit(_ caller: Caller, messageID: String, text: String) async throws -> Message {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (message, _) = try self.own(db, caller, messageID)
                guard message.kind == .text else { throw AppError.invalidState("offer", "edit an offer (send a new revision)") }
                guard now.timeIntervalSince(message.createdAt) <= self.settings.editWindow else {
                    throw AppError(.invalidState, "A message can be edited within \(Int(self.settings.editWindow / 60)) minutes of sending",
                                   members: [.init("state", "edit_window_closed")])
                }
                var v = Validator()
                let text = v.text("text", text, min: message.attachments.isEmpty && message.productId == nil ? 1 : 0, max: MessageInput.maxText, multiline: true)
                try v.check()
                try db.execute(sql: "UPDATE messages SET text = ?, edited_at = ? WHERE id = ?", arguments: [text.nilIfEmpty, now, messageID])
                try Self.index(db, messageID, message.conversationId, text.nilIfEmpty, self.analyze)
                let seq = try ConversationRows.event(db, message.conversationId, .messageEdited, message: messageID, now: now)
                try Self.refreshPreview(db, message.conversationId)
                try Outbox.append(db, topic: Topic.messageEdited, payload: ConversationEventPayload(conversationId: message.conversationId, seq: seq,
                                                                                                   messageId: messageID, authorId: caller.principal.userID))
                return try ConversationRows.message(db, messageID)!
            }
        }
    }

    public func delete(_ caller: Caller, messageID: String) async throws -> Message {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (message, _) = try self.own(db, caller, messageID)
                guard message.kind == .text else { throw AppError.invalidState("offer", "delete an offer (decline or counter it)") }
                try db.execute(sql: "UPDATE messages SET text = NULL, deleted_at = ? WHERE id = ?", arguments: [now, messageID])
                try db.execute(sql: "INSERT OR IGNORE INTO s3_garbage (blob) SELECT blob FROM message_attachments WHERE message_id = ?", arguments: [messageID])
                try db.execute(sql: "DELETE FROM message_attachments WHERE message_id = ?", arguments: [messageID])
                try Self.index(db, messageID, message.conversationId, nil, self.analyze)
                let seq = try ConversationRows.event(db, message.conversationId, .messageDeleted, message: messageID, now: now)
                try Self.refreshPreview(db, message.conversationId)
                try AuditLog.tenant(db, caller.audit, "message.deleted", target: messageID, detail: ["conversation": message.conversationId])
                try Outbox.append(db, topic: Topic.messageDeleted, payload: ConversationEventPayload(conversationId: message.conversationId, seq: seq,
                                                                                                    messageId: messageID, authorId: caller.principal.userID))
                return try ConversationRows.message(db, messageID)!
            }
        }
    }

    static func refreshPreview(_ db: Database, _ conversation: String) throws {
        let text = try String.fetchOne(db, sql: "SELECT text FROM messages WHERE conversation_id = ? AND deleted_at IS NULL ORDER BY seq DESC LIMIT 1",
                                       arguments: [conversation])
        try db.execute(sql: "UPDATE conversations SET preview = ? WHERE id = ?", arguments: [ConversationRows.preview(text), conversation])
    }

    public func markRead(_ caller: Caller, conversationID: String, seq: Int64?) async throws -> InboxCounts {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try TalkAccess.conversation(db, caller, conversationID)
                let me = caller.principal.userID
                let last = try Int64.fetchOne(db, sql: "SELECT last_seq FROM conversations WHERE id = ?", arguments: [conversationID]) ?? 0
                let upTo = min(seq ?? last, last)
                let before = try Int64.fetchOne(db, sql: "SELECT seq FROM conversation_reads WHERE conversation_id = ? AND user_id = ?",
                                                arguments: [conversationID, me]) ?? 0
                if upTo > before {
                    try Self.markRead(db, conversationID, user: me, seq: upTo)
                    let at = try ConversationRows.event(db, conversationID, .read, user: me, readSeq: upTo, now: now)
                    try Outbox.append(db, topic: "conversation.read", payload: ConversationEventPayload(conversationId: conversationID, seq: at, messageId: nil, authorId: me))
                }
                return try Self.inbox(db, caller)
            }
        }
    }

    public func inbox(_ caller: Caller) async throws -> InboxCounts {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in try Self.inbox(db, caller) }
        }
    }

    static func inbox(_ db: Database, _ caller: Caller) throws -> InboxCounts {
        let facts = try CallerFacts.read(db, caller)
        try facts.authorize(.conversationsRead)
        let me = caller.principal.userID
        let (clause, args) = TalkAccess.mine(facts)
        var counts: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.id, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.seq > coalesce(r.seq, 0) AND m.author_id != ? AND m.deleted_at IS NULL)
            FROM conversations c LEFT JOIN conversation_reads r ON r.conversation_id = c.id AND r.user_id = ?
            WHERE \(clause) AND c.last_seq > coalesce(r.seq, 0)
            """, arguments: [me, me] + args) {
            let n: Int = row[1]
            if n > 0 { counts[row[0]] = n }
        }
        return InboxCounts(total: counts.values.reduce(0, +), conversations: counts)
    }

    public func search(_ caller: Caller, query: String, conversationID: String?, limit: Int) async throws -> [MessageHit] {
        let tenant = try caller.tenant()
        let terms = analyze(query)
        guard !terms.isEmpty, query.count <= 200 else { throw AppError.invalidField("q", "must hold a word (at most 200 characters)") }
        // Every word must match. The last may also be the start of a word (search as you type), but
        // a prefix makes FTS5 merge every matching term's whole list (tens of ms at a million
        // messages): the exact words are asked first, the prefix only when they find too few.
        let quoted = terms.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }
        let exact = quoted.joined(separator: " AND ")
        let prefixed = (quoted.dropLast() + [quoted.last! + "*"]).joined(separator: " AND ")
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                try facts.authorize(.conversationsRead)
                var clause = "message_fts MATCH ? AND m.deleted_at IS NULL"
                var args: StatementArguments = []
                var within: [String] = []
                if let conversationID {
                    guard let head = try ConversationRows.head(db, conversationID), TalkAccess.side(facts, head) != nil else { throw AppError.notFound("Conversation") }
                    clause += " AND m.conversation_id = ?"
                    args += [conversationID]
                    within = [conversationID]
                } else {
                    let (mine, mineArgs) = TalkAccess.mine(facts)
                    args += mineArgs
                    clause += " AND \(mine)"
                    // A caller in few conversations: name them in the query (the index intersects).
                    let few = try String.fetchAll(db, sql: "SELECT c.id FROM conversations c WHERE \(mine) LIMIT \(Self.namedConversations + 1)",
                                                  arguments: mineArgs)
                    if few.count <= Self.namedConversations { within = few.isEmpty ? ["none"] : few }
                }
                func run(_ match: String) throws -> [Row] {
                    let scoped = within.isEmpty ? match : "(\(match)) AND (" + within.map { "zc\($0)" }.joined(separator: " OR ") + ")"
                    return try Row.fetchAll(db, sql: """
                        SELECT m.id, coalesce(c.title, b.name || ' · ' || s.name, '') FROM message_fts f JOIN messages m ON m.rowid = f.rowid
                        JOIN conversations c ON c.id = m.conversation_id LEFT JOIN businesses b ON b.id = c.buyer_business_id
                        LEFT JOIN businesses s ON s.id = c.seller_business_id
                        WHERE \(clause) ORDER BY f.rowid DESC LIMIT ?
                        """, arguments: [scoped] + args + [limit])
                }
                var rows = try run(exact)
                // The prefix query finds a superset of the exact one: when exact is short, it replaces it.
                if rows.count < limit { rows = try run(prefixed) }
                let ids = rows.map { $0[0] as String }
                guard !ids.isEmpty else { return [] }
                let messages = Dictionary(uniqueKeysWithValues: try ConversationRows.messages(db, where: "id IN (\(ConversationRows.marks(ids.count)))",
                                                                                              StatementArguments(ids)).map { ($0.id, $0) })
                return rows.compactMap { row in messages[row[0]].map { MessageHit(message: $0, conversationTitle: row[1]) } }
            }
        }
    }

    public func attachmentTenant(_ caller: Caller, conversationID: String) async throws -> TenantID {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let seen = try TalkAccess.conversation(db, caller, conversationID, .conversationsWrite)
                guard seen.conversation.state == .open else { throw AppError.invalidState(seen.conversation.state.rawValue, "send to the conversation") }
                return tenant
            }
        }
    }

    public func recordAttachment(_ caller: Caller, conversationID: String, _ attachment: Attachment, blob: String) async throws -> Attachment {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try TalkAccess.conversation(db, caller, conversationID, .conversationsWrite)
                try db.execute(sql: """
                    INSERT INTO message_attachments (id, conversation_id, uploaded_by, blob, name, content_type, size, width, height, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [attachment.id, conversationID, caller.principal.userID, blob, attachment.name, attachment.contentType, attachment.size,
                                     attachment.width, attachment.height, now])
                return attachment
            }
        }
    }

    public func attachment(_ caller: Caller, id: String) async throws -> (attachment: Attachment, blob: String) {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM message_attachments WHERE id = ?", arguments: [id]) else { throw AppError.notFound("Attachment") }
                do { _ = try TalkAccess.conversation(db, caller, row["conversation_id"]) } catch let e as AppError where e.code == .notFound {
                    throw AppError.notFound("Attachment")
                }
                // A file not sent yet is its uploader's alone.
                let message: String? = row["message_id"]
                guard message != nil || row["uploaded_by"] == caller.principal.userID else { throw AppError.notFound("Attachment") }
                return (Attachment(id: row["id"], name: row["name"], contentType: row["content_type"], size: row["size"], width: row["width"],
                                   height: row["height"]), row["blob"])
            }
        }
    }
}
