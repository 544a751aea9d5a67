import Foundation
import TradepostCore

/// Fans conversation events out to live sockets. Per tenant it follows the conversation feed with
/// one cursor: on every commit that wrote outbox events it reads what came after (one read for all
/// subscribers) with who takes part in each conversation now, and queues each event, encoded once,
/// on the connections of those users. Each subscription keeps the last sequence number it was sent
/// per conversation, so catch-up from the database and live delivery never duplicate or reorder:
/// while a conversation catches up, its live events wait behind it.
actor ConversationHub {
    private struct Subscriber {
        let caller: Caller
        let user: String
        let tenant: TenantID
        let connection: LiveConnection
        var cursors: [String: Int64] = [:]
        /// Conversations catching up from the database, with live events held until they finish.
        var held: [String: [(seq: Int64, text: String)]] = [:]
        var inbox = false
    }

    private struct TenantFeed {
        var cursor: Int64 = 0
        var epoch: Int64 = -1
        var reading = false
        var again = false
        /// Participants of conversations seen lately (typing signals); cleared when access changes.
        var participants: [String: Set<String>] = [:]
    }

    private let conversations: any ConversationService
    private let resumeLimit: Int
    private var subscribers: [UUID: Subscriber] = [:]
    private var byUser: [String: Set<UUID>] = [:]
    private var feeds: [TenantID: TenantFeed] = [:]
    /// Subscriptions per tenant: a tenant's feed is dropped with its last one.
    private var perTenant: [TenantID: Int] = [:]
    private var lastTyping: [String: ContinuousClock.Instant] = [:]

    init(conversations: any ConversationService, resumeLimit: Int) {
        self.conversations = conversations
        self.resumeLimit = resumeLimit
    }

    var count: Int { subscribers.count }

    /// Registers (or re-registers) the connection's subscription, then catches up each conversation
    /// in `after` from the database. Conversations not named are delivered from now on.
    func subscribe(_ id: UUID, _ caller: Caller, connection: LiveConnection, after: [String: Int64]) async throws {
        let tenant = try caller.tenant()
        if feeds[tenant] == nil {
            let top = try await conversations.feed(tenant, after: .max, limit: 0)
            if feeds[tenant] == nil { feeds[tenant] = TenantFeed(cursor: top.cursor, epoch: top.accessEpoch) }
        }
        let user = caller.principal.userID
        if subscribers[id] == nil { perTenant[tenant, default: 0] += 1 }
        var sub = subscribers[id] ?? Subscriber(caller: caller, user: user, tenant: tenant, connection: connection)
        for (conversation, seq) in after {
            sub.cursors[conversation] = seq
            sub.held[conversation] = []
        }
        subscribers[id] = sub
        byUser[user, default: []].insert(id)
        connection.resume()
        connection.control(#"{"type":"subscribed","topic":"conversations"}"#)
        let known = (try? await conversations.participating(caller, in: Array(after.keys))) ?? []
        for (conversation, seq) in after.sorted(by: { $0.key < $1.key }) {
            guard known.contains(conversation) else {
                subscribers[id]?.held[conversation] = nil
                subscribers[id]?.cursors[conversation] = nil
                connection.control(Self.json(["type": "error", "conversation_id": conversation, "detail": "No such conversation"]))
                continue
            }
            await catchUp(id, conversation, after: seq)
        }
        connection.control(#"{"type":"caught_up"}"#)
    }

    /// Sends a conversation's events after `after` from the database, then what was held meanwhile.
    private func catchUp(_ id: UUID, _ conversation: String, after: Int64) async {
        guard let sub = subscribers[id] else { return }
        var cursor = after
        if let result = try? await conversations.catchUp(sub.caller, conversationID: conversation, after: after, limit: resumeLimit) {
            if result.resync {
                sub.connection.control(Self.json(["type": "resync", "conversation_id": conversation, "seq": result.lastSeq]))
                cursor = result.lastSeq
            } else {
                for event in result.events where event.seq > cursor {
                    sub.connection.send(Self.encode(event))
                    cursor = event.seq
                }
            }
        }
        guard subscribers[id] != nil else { return }
        for item in subscribers[id]?.held[conversation] ?? [] where item.seq > cursor {
            sub.connection.send(item.text)
            cursor = item.seq
        }
        subscribers[id]?.held[conversation] = nil
        subscribers[id]?.cursors[conversation] = cursor
    }

    func subscribeInbox(_ id: UUID, _ caller: Caller, connection: LiveConnection) async throws {
        let tenant = try caller.tenant()
        if subscribers[id] == nil {
            perTenant[tenant, default: 0] += 1
            subscribers[id] = Subscriber(caller: caller, user: caller.principal.userID, tenant: tenant, connection: connection)
            byUser[caller.principal.userID, default: []].insert(id)
            if feeds[tenant] == nil {
                let top = try await conversations.feed(tenant, after: .max, limit: 0)
                if feeds[tenant] == nil { feeds[tenant] = TenantFeed(cursor: top.cursor, epoch: top.accessEpoch) }
            }
        }
        subscribers[id]?.inbox = true
        connection.control(#"{"type":"subscribed","topic":"inbox"}"#)
        await sendInbox(id)
    }

    private func sendInbox(_ id: UUID) async {
        guard let sub = subscribers[id], let counts = try? await conversations.inbox(sub.caller) else { return }
        sub.connection.send(Self.json(["type": "inbox", "total": counts.total, "conversations": counts.conversations]))
    }

    func unsubscribe(_ id: UUID) {
        guard let sub = subscribers.removeValue(forKey: id) else { return }
        byUser[sub.user]?.remove(id)
        if byUser[sub.user]?.isEmpty == true { byUser[sub.user] = nil }
        perTenant[sub.tenant, default: 1] -= 1
        if perTenant[sub.tenant] == 0 {
            perTenant[sub.tenant] = nil
            feeds[sub.tenant] = nil
        }
    }

    /// From the outbox listener (any thread): something committed in the tenant.
    nonisolated func changed(_ tenant: TenantID) {
        Task { await self.pull(tenant) }
    }

    private func pull(_ tenant: TenantID) async {
        guard var feed = feeds[tenant] else { return }
        guard !feed.reading else { feeds[tenant]?.again = true; return }
        feed.reading = true
        feeds[tenant] = feed
        repeat {
            feeds[tenant]?.again = false
            while let cursor = feeds[tenant]?.cursor {
                guard let batch = try? await conversations.feed(tenant, after: cursor, limit: 500) else { break }
                guard feeds[tenant] != nil else { return }
                if batch.accessEpoch != feeds[tenant]?.epoch {
                    feeds[tenant]?.epoch = batch.accessEpoch
                    feeds[tenant]?.participants = [:]
                }
                for (conversation, users) in batch.participants { feeds[tenant]?.participants[conversation] = users }
                deliver(batch)
                feeds[tenant]?.cursor = batch.cursor
                if batch.items.count < 500 { break }
            }
        } while feeds[tenant]?.again == true
        feeds[tenant]?.reading = false
    }

    private func deliver(_ batch: TalkFeedBatch) {
        var inboxes = Set<UUID>()
        for item in batch.items {
            let event = item.event
            let text = Self.encode(event)
            for user in batch.participants[event.conversationId] ?? [] {
                for id in byUser[user] ?? [] {
                    guard var sub = subscribers[id] else { continue }
                    if sub.inbox, event.kind == .messageCreated || event.kind == .read || event.kind == .messageDeleted { inboxes.insert(id) }
                    if sub.held[event.conversationId] != nil {
                        sub.held[event.conversationId]!.append((event.seq, text))
                        subscribers[id] = sub
                        continue
                    }
                    if let cursor = sub.cursors[event.conversationId], event.seq <= cursor { continue }
                    sub.connection.send(text)
                    sub.cursors[event.conversationId] = event.seq
                    subscribers[id] = sub
                }
            }
        }
        for id in inboxes { Task { await self.sendInbox(id) } }
    }

    /// Someone is typing: the other participants' connections hear it (at most every two seconds).
    func typing(_ caller: Caller, conversationID: String) async {
        guard let tenant = try? caller.tenant() else { return }
        let key = "\(tenant.rawValue)/\(caller.principal.userID)/\(conversationID)"
        let now = ContinuousClock.now
        if let last = lastTyping[key], now - last < .seconds(2) { return }
        lastTyping[key] = now
        if lastTyping.count > 10_000 { lastTyping = lastTyping.filter { now - $0.value < .seconds(2) } }
        var users = feeds[tenant]?.participants[conversationID]
        if users == nil {
            users = try? await conversations.participants(tenant, conversationID: conversationID)
            if let users { feeds[tenant]?.participants[conversationID] = users }
        }
        guard let users, users.contains(caller.principal.userID) else { return }
        let text = Self.json(["type": "typing", "conversation_id": conversationID, "user_id": caller.principal.userID, "name": caller.principal.name])
        for user in users where user != caller.principal.userID {
            for id in byUser[user] ?? [] where subscribers[id]?.tenant == tenant { subscribers[id]?.connection.send(text) }
        }
    }

    static func encode(_ event: ConversationEvent) -> String {
        guard let data = try? JSONCoding.encoder.encode(LiveConversationMessage(event)) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// `{"type": "conversation.event", "conversation_id": …, "seq": 12, "kind": "message.created", "message": {…}, "at": …}`
struct LiveConversationMessage: Encodable {
    var type = "conversation.event"
    var conversationId: String
    var seq: Int64
    var kind: ConversationEvent.Kind
    var message: Message?
    var userId: String?
    var readSeq: Int64?
    var at: Date

    init(_ e: ConversationEvent) {
        (conversationId, seq, kind, message, userId, readSeq, at) = (e.conversationId, e.seq, e.kind, e.message, e.userId, e.readSeq, e.at)
    }
}
