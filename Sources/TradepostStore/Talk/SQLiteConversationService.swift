import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Conversations between businesses and between users. Each public method is one transaction that
/// reads the caller's memberships and links with the conversation (`TalkAccess`); every event gets
/// the conversation's next sequence number in the transaction that makes it, with its outbox event.
public final class SQLiteConversationService: ConversationService {
    let tenants: TenantDatabases
    let stats: StoreStats
    let settings: TalkSettings
    /// The catalog's analysis (ru/uk/en folding and stemming) for the message index.
    let analyze: @Sendable (String) -> [String]

    public init(tenants: TenantDatabases, stats: StoreStats, settings: TalkSettings = TalkSettings(),
                analyze: @escaping @Sendable (String) -> [String] = { $0.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init) }) {
        self.tenants = tenants
        self.stats = stats
        self.settings = settings
        self.analyze = analyze
    }

    private struct Opened: Codable {
        var conversation: Conversation
        var created: Bool
    }

    public func open(_ caller: Caller, _ input: ConversationInput, idempotency: IdempotencyKey?) async throws -> (conversation: Conversation, created: Bool) {
        let tenant = try caller.tenant()
        let now = Date()
        let opened = try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                try facts.authorize(.conversationsWrite)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let me = caller.principal.userID
                    var v = Validator()
                    let title = input.title.map { v.text("title", $0, min: 0, max: 200) }?.nilIfEmpty
                    var key: String
                    var columns: (buyer: String?, seller: String?, product: String?, order: String?, a: String?, b: String?) = (nil, nil, nil, nil, nil, nil)
                    if let user = input.userId {
                        if input.buyerBusinessId != nil || input.sellerBusinessId != nil { v.fail("user_id", "give either user_id or the two businesses") }
                        try v.check()
                        guard user != me else { throw AppError.invalidField("user_id", "must be another user than you") }
                        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ? AND disabled = 0", arguments: [user]) != nil else { throw AppError.notFound("User") }
                        let pair = [me, user].sorted()
                        key = "d:\(pair[0]):\(pair[1])"
                        (columns.a, columns.b) = (pair[0], pair[1])
                    } else {
                        if input.buyerBusinessId == nil { v.fail("buyer_business_id", "is required (or give user_id)") }
                        if input.sellerBusinessId == nil { v.fail("seller_business_id", "is required (or give user_id)") }
                        if let b = input.buyerBusinessId, b == input.sellerBusinessId { v.fail("seller_business_id", "must be another business than the buyer") }
                        try v.check()
                        let (buyer, seller) = (input.buyerBusinessId!, input.sellerBusinessId!)
                        try SQLiteBusinessService.requireBusiness(db, buyer)
                        try SQLiteBusinessService.requireBusiness(db, seller)
                        guard facts.actsFor(buyer) || facts.actsFor(seller) else {
                            throw AppError.forbidden("You act for neither business: join one of them, or ask to be linked as a salesperson")
                        }
                        (columns.buyer, columns.seller) = (buyer, seller)
                        key = "t:\(buyer):\(seller)"
                        if let id = input.productId {
                            guard let product = try Product.fetch(db, id: id), facts.productVisibility.canSee(product) else { throw AppError.notFound("Product") }
                            guard product.businessId == seller else { throw AppError.invalidField("product_id", "is not a product of the seller") }
                            columns.product = id
                            key += ":p:\(id)"
                        }
                        if let id = input.orderId {
                            guard let order = try OrderRows.fetch(db, id: id), order.buyerBusinessId == buyer, order.sellerBusinessId == seller else {
                                throw AppError.notFound("Order")
                            }
                            columns.order = id
                            key += ":o:\(id)"
                        }
                    }
                    if let id = try String.fetchOne(db, sql: "SELECT id FROM conversations WHERE subject_key = ?", arguments: [key]) {
                        return Opened(conversation: try ConversationRows.conversation(db, id, user: me), created: false)
                    }
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO conversations (id, kind, title, buyer_business_id, seller_business_id, product_id, order_id, user_a, user_b, subject_key,
                            created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, columns.a == nil ? "trade" : "direct", title, columns.buyer, columns.seller, columns.product, columns.order,
                                         columns.a, columns.b, key, me, now])
                    try AuditLog.tenant(db, caller.audit, "conversation.opened", target: id, detail: ["subject": key])
                    try Outbox.append(db, topic: "conversation.opened", payload: ConversationEventPayload(conversationId: id, seq: 0, messageId: nil, authorId: me))
                    return Opened(conversation: try ConversationRows.conversation(db, id, user: me), created: true)
                }
            }
        }
        return (opened.conversation, opened.created)
    }

    public func conversations(_ caller: Caller, state: Conversation.State?, page: PageRequest) async throws -> Page<Conversation> {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                try facts.authorize(.conversationsRead)
                let me = caller.principal.userID
                var (clause, args) = TalkAccess.mine(facts)
                if let state { clause += " AND c.state = ?"; args += [state.rawValue] }
                let offset = page.after.flatMap(Int.init) ?? 0
                let rows = try ConversationRows.conversations(db, user: me, where: clause, args,
                                                              tail: "ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.id LIMIT \(page.limit + 1) OFFSET \(offset)")
                var n = offset
                return Page(fetched: rows, limit: page.limit) { _ in n += 1; return String(n) }
            }
        }
    }

    public func conversation(_ caller: Caller, id: String) async throws -> Conversation {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try TalkAccess.conversation(db, caller, id)
                return try ConversationRows.conversation(db, id, user: caller.principal.userID)
            }
        }
    }

    public func setState(_ caller: Caller, id: String, _ state: Conversation.State) async throws -> Conversation {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let seen = try TalkAccess.conversation(db, caller, id, .conversationsWrite)
                guard seen.conversation.state != state else {
                    throw AppError.invalidState(seen.conversation.state.rawValue, state == .archived ? "archive the conversation" : "reopen the conversation")
                }
                try db.execute(sql: "UPDATE conversations SET state = ? WHERE id = ?", arguments: [state.rawValue, id])
                let seq = try ConversationRows.event(db, id, state == .archived ? .archived : .reopened, user: caller.principal.userID, now: now)
                try AuditLog.tenant(db, caller.audit, state == .archived ? "conversation.archived" : "conversation.reopened", target: id)
                try Outbox.append(db, topic: state == .archived ? "conversation.archived" : "conversation.reopened",
                                  payload: ConversationEventPayload(conversationId: id, seq: seq, messageId: nil, authorId: caller.principal.userID))
                return try ConversationRows.conversation(db, id, user: caller.principal.userID)
            }
        }
    }

    public func messages(_ caller: Caller, conversationID: String, before: Int64?, limit: Int) async throws -> MessagePage {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try TalkAccess.conversation(db, caller, conversationID)
                let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM conversations WHERE id = ?"), arguments: [conversationID]) ?? 0
                let rows = try ConversationRows.messages(db, where: "conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                                                         [conversationID, before ?? Int64.max, limit + 1])
                let page = Array(rows.prefix(limit).reversed())
                return MessagePage(items: page, lastSeq: last, nextBefore: rows.count > limit ? page.first?.seq : nil)
            }
        }
    }

    public func catchUp(_ caller: Caller, conversationID: String, after: Int64, limit: Int) async throws -> ConversationCatchUp {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try TalkAccess.conversation(db, caller, conversationID)
                let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_seq FROM conversations WHERE id = ?"), arguments: [conversationID]) ?? 0
                guard last > after else { return ConversationCatchUp(events: [], resync: false, lastSeq: last) }
                if last - after > Int64(limit) { return ConversationCatchUp(events: [], resync: true, lastSeq: last) }
                let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM conversation_events WHERE conversation_id = ? AND seq > ? ORDER BY seq"),
                                            arguments: [conversationID, after])
                return ConversationCatchUp(events: try ConversationRows.events(rows, db).map(\.event), resync: false, lastSeq: last)
            }
        }
    }

    public func participating(_ caller: Caller, in ids: [String]) async throws -> Set<String> {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                guard (try? facts.authorize(.conversationsRead)) != nil else { return [] }
                var out = Set<String>()
                for id in ids {
                    if let head = try ConversationRows.head(db, id), TalkAccess.side(facts, head) != nil { out.insert(id) }
                }
                return out
            }
        }
    }

    public func feed(_ tenant: TenantID, after: Int64, limit: Int) async throws -> TalkFeedBatch {
        try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let epoch = try TalkAccess.epoch(db)
                let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM conversation_events WHERE id > ? ORDER BY id LIMIT ?"), arguments: [after, limit])
                guard !rows.isEmpty else {
                    let top = after == .max ? try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM conversation_events") ?? 0 : after
                    return TalkFeedBatch(items: [], cursor: top, accessEpoch: epoch, participants: [:])
                }
                let items = try ConversationRows.events(rows, db)
                var participants: [String: Set<String>] = [:]
                for item in items where participants[item.event.conversationId] == nil {
                    if let head = try ConversationRows.head(db, item.event.conversationId) {
                        participants[head.id] = try TalkAccess.participants(db, head)
                    }
                }
                return TalkFeedBatch(items: items.map { TalkFeedBatch.Item(cursor: $0.cursor, event: $0.event) }, cursor: items.last!.cursor,
                                     accessEpoch: epoch, participants: participants)
            }
        }
    }

    public func participants(_ tenant: TenantID, conversationID: String) async throws -> Set<String> {
        try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard let head = try ConversationRows.head(db, conversationID) else { throw AppError.notFound("Conversation") }
                return try TalkAccess.participants(db, head)
            }
        }
    }
}
