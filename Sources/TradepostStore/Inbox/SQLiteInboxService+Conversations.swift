import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// The inbox's conversations as agents work them: lists with filters, status, assignee and labels
/// (each change one transaction with its audit entry and outbox event), replies that a job sends
/// through the channel, and their delivery status.
extension SQLiteInboxService {
    /// The conversation's inbox row when the caller may work its channel (the channel's business's
    /// staff and linked salespeople); otherwise it does not exist for them.
    static func seen(_ db: Database, _ caller: Caller, _ id: String, _ action: Action) throws -> (facts: CallerFacts, row: Row) {
        let facts = try CallerFacts.read(db, caller)
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT i.*, ch.business_id, ch.kind AS channel_kind FROM inbox_conversations i JOIN inbox_channels ch ON ch.id = i.channel_id
            WHERE i.conversation_id = ?
            """), arguments: [id]), facts.actsFor(row["business_id"]) else { throw AppError.notFound("Conversation") }
        try facts.authorize(action)
        return (facts, row)
    }

    public func conversations(_ caller: Caller, _ filter: InboxFilter, _ page: PageRequest) async throws -> Page<InboxConversation> {
        let tenant = try caller.authorize(.conversationsRead)
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let businesses = TalkAccess.businesses(try CallerFacts.read(db, caller))
                guard !businesses.isEmpty else { return Page(items: [], nextCursor: nil) }
                var clause = "ch.business_id IN (\(InboxRows.marks(businesses.count)))"
                var args = StatementArguments(businesses)
                if let channel = filter.channelId { clause += " AND i.channel_id = ?"; args += [channel] }
                if let status = filter.status { clause += " AND i.status = ?"; args += [status.rawValue] }
                switch filter.assignee {
                case nil: break
                case "none": clause += " AND i.assignee_id IS NULL"
                case "me": clause += " AND i.assignee_id = ?"; args += [me]
                case let user?: clause += " AND i.assignee_id = ?"; args += [user]
                }
                if let label = filter.label { clause += " AND EXISTS (SELECT 1 FROM json_each(i.labels) WHERE value = ?)"; args += [label] }
                if let after = page.after {
                    let parts = after.split(separator: "|", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let ms = Int64(parts[0]) else { throw AppError.invalidField("cursor", "is not a cursor from this list") }
                    clause += " AND (coalesce(c.last_message_at, i.created_at), i.conversation_id) < (?, ?)"
                    args += [Date(timeIntervalSince1970: Double(ms) / 1000), parts[1]]
                }
                let items = try InboxRows.conversations(db, user: me, where: clause, args,
                                                        tail: "ORDER BY coalesce(c.last_message_at, i.created_at) DESC, i.conversation_id DESC LIMIT \(page.limit + 1)")
                return Page(fetched: items, limit: page.limit) { c in
                    "\(Int64(((c.lastMessageAt ?? c.createdAt).timeIntervalSince1970 * 1000).rounded()))|\(c.id)"
                }
            }
        }
    }

    public func conversation(_ caller: Caller, id: String) async throws -> InboxConversation {
        let tenant = try caller.authorize(.conversationsRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try Self.seen(db, caller, id, .conversationsRead)
                return try InboxRows.conversations(db, user: caller.principal.userID, where: "i.conversation_id = ?", [id])[0]
            }
        }
    }

    public func change(_ caller: Caller, id: String, _ change: InboxConversationChange) async throws -> InboxConversation {
        let tenant = try caller.authorize(.conversationsWrite)
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (_, row) = try Self.seen(db, caller, id, .conversationsWrite)
                let channel: String = row["channel_id"]
                var v = Validator()
                var assignee: String?? = nil
                if let wanted = change.assigneeId {
                    if wanted.isEmpty {
                        assignee = .some(nil)
                    } else if try Self.mayWork(db, user: wanted, business: row["business_id"]) {
                        assignee = .some(wanted)
                    } else {
                        v.fail("assignee_id", "is not a colleague who works this channel")
                    }
                }
                if let labels = change.labels {
                    if labels.count > 20 { v.fail("labels", "at most 20") }
                    if Set(labels).count != labels.count { v.fail("labels", "names a label twice") }
                    for (i, label) in labels.enumerated() where label.isEmpty || label.count > 40 || label.contains(",") {
                        v.fail("labels[\(i)]", "must be 1–40 characters without commas")
                    }
                }
                try v.check("The conversation cannot be changed")
                let status: String = change.status?.rawValue ?? row["status"]
                let before: String? = row["assignee_id"]
                let after: String? = assignee ?? before
                // Waiting (in the queue) is for open conversations nobody has; a conversation joining
                // the queue keeps its place if it had one.
                let waiting: Date? = status == "open" && after == nil ? ((row["waiting_since"] as Date?) ?? now) : nil
                try db.execute(sql: """
                    UPDATE inbox_conversations SET status = ?, assignee_id = ?, labels = coalesce(?, labels), waiting_since = ?,
                        resolved_at = CASE WHEN ? = 'resolved' THEN coalesce(resolved_at, ?) ELSE NULL END WHERE conversation_id = ?
                    """, arguments: [status, after, change.labels.map(InboxRows.json), waiting, status, now, id])
                try AuditLog.tenant(db, caller.audit, "inbox.conversation.change", target: id,
                                    detail: ["status": status, "assignee": after ?? "", "labels": change.labels?.joined(separator: ",") ?? ""])
                try Outbox.append(db, topic: Topic.inboxChanged, payload: InboxChangeEvent(conversationId: id, status: status, assigneeId: after))
                // Handed to a colleague (not taken by oneself): they are told.
                if let after, after != before, after != caller.principal.userID { try InboxAssigner.told(db, conversation: id, assignee: after) }
                // Someone has room again, or a conversation joined the queue.
                try InboxAssigner.run(db, channel: channel, now: now)
                return try InboxRows.conversations(db, user: caller.principal.userID, where: "i.conversation_id = ?", [id])[0]
            }
        }
    }

    /// Whether a user may work a business's channels (a member, or a salesperson linked to it).
    static func mayWork(_ db: Database, user: String, business: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT 1 FROM users u WHERE u.id = ? AND u.disabled = 0 AND (
                EXISTS (SELECT 1 FROM business_members m WHERE m.user_id = u.id AND m.business_id = ?)
                OR EXISTS (SELECT 1 FROM salesperson_links l WHERE l.user_id = u.id AND l.business_id = ? AND l.state = 'active'))
            """, arguments: [user, business, business]) != nil
    }

    public func reply(_ caller: Caller, conversationID: String, text: String, idempotency: IdempotencyKey?) async throws -> Message {
        let tenant = try caller.authorize(.conversationsWrite)
        let (now, analyze) = (Date(), self.analyze)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (_, row) = try Self.seen(db, caller, conversationID, .conversationsWrite)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    var v = Validator()
                    let body = v.text("text", text, min: 1, max: 4096, multiline: true)
                    try v.check("The reply cannot be sent")
                    let kind = InboxChannel.Kind(rawValue: row["channel_kind"]) ?? .whatsapp
                    guard InboxConversation.windowOpen(kind: kind, lastInboundAt: row["last_inbound_at"], now: now) else {
                        throw AppError(.invalidState, "WhatsApp allows free-form replies for 24 hours after the customer's last message; send an approved template",
                                       members: [.init("state", "window_closed")])
                    }
                    let id = Identifier.make(now: now)
                    try SQLiteConversationService.insert(db, id: id, conversationID, kind: .text, caller: caller, text: body, replyTo: nil, productID: nil,
                                                         negotiation: nil, now: now, analyze: analyze)
                    try db.execute(sql: """
                        INSERT INTO channel_messages (message_id, channel_id, direction, status, updated_at) VALUES (?, ?, 'out', 'queued', ?)
                        """, arguments: [id, row["channel_id"], now])
                    try db.execute(sql: "UPDATE inbox_conversations SET first_response_at = coalesce(first_response_at, ?) WHERE conversation_id = ?",
                                   arguments: [now, conversationID])
                    try Outbox.append(db, topic: Topic.inboxReply, payload: InboxReplyEvent(messageId: id))
                    return try ConversationRows.message(db, id)!
                }
            }
        }
    }

    public func deliveries(_ caller: Caller, conversationID: String) async throws -> [ChannelDelivery] {
        let tenant = try caller.authorize(.conversationsRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try Self.seen(db, caller, conversationID, .conversationsRead)
                return try Row.fetchAll(db, sql: """
                    SELECT d.* FROM channel_messages d JOIN messages m ON m.id = d.message_id
                    WHERE m.conversation_id = ? AND d.direction = 'out' ORDER BY m.seq
                    """, arguments: [conversationID]).map {
                    ChannelDelivery(messageId: $0["message_id"], status: ChannelMessageStatus(rawValue: $0["status"]) ?? .queued,
                                    externalId: $0["external_id"], error: $0["error"], updatedAt: $0["updated_at"])
                }
            }
        }
    }

    public func outbound(_ tenant: TenantID, messageID: String) async throws -> OutboundMessage? {
        let base = baseURL
        return try await tenants.read(tenant) { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT d.status, m.text, m.seq, m.conversation_id, i.chat_id, i.channel_id FROM channel_messages d JOIN messages m ON m.id = d.message_id
                JOIN inbox_conversations i ON i.conversation_id = m.conversation_id WHERE d.message_id = ? AND d.direction = 'out'
                """, arguments: [messageID]), let channel = try InboxRows.channelRow(db, row["channel_id"]) else { return nil }
            let earlier = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM messages m JOIN channel_messages d ON d.message_id = m.id
                WHERE m.conversation_id = ? AND m.seq < ? AND d.direction = 'out' AND d.status = 'queued' LIMIT 1
                """, arguments: [row["conversation_id"], row["seq"]]) != nil
            return OutboundMessage(channel: InboxRows.channel(channel, baseURL: base, tenantSlug: ""), chatId: row["chat_id"], text: row["text"] ?? "",
                                   status: ChannelMessageStatus(rawValue: row["status"]) ?? .queued, waitsForEarlier: earlier)
        }
    }

    public func sent(_ tenant: TenantID, messageID: String, externalID: String?, error: String?) async throws {
        try await tenants.write(tenant) { db in
            guard let current = try String.fetchOne(db, sql: "SELECT status FROM channel_messages WHERE message_id = ?", arguments: [messageID])
                .flatMap(ChannelMessageStatus.init(rawValue:)) else { return }
            // A status webhook may have come first: the status still only moves forward.
            let next = current.advanced(to: error == nil ? .sent : .failed)
            try db.execute(sql: "UPDATE channel_messages SET external_id = coalesce(?, external_id), status = ?, error = ?, updated_at = ? WHERE message_id = ?",
                           arguments: [externalID, next.rawValue, error, Date(), messageID])
        }
    }
}
