import Foundation

/// Conversations and their messages. Every method reads the caller's standing in the transaction
/// that uses it: a conversation the caller does not take part in is `.notFound`.
public protocol ConversationService: Sendable {
    /// Opens (or answers the existing) conversation with a business or a user; `created` tells which.
    /// Throws `.invalid`, `.notFound`, `.forbidden`.
    func open(_ caller: Caller, _ input: ConversationInput, idempotency: IdempotencyKey?) async throws -> (conversation: Conversation, created: Bool)
    /// The caller's conversations, latest activity first. Throws `.forbidden`.
    func conversations(_ caller: Caller, state: Conversation.State?, page: PageRequest) async throws -> Page<Conversation>
    /// Throws `.notFound`.
    func conversation(_ caller: Caller, id: String) async throws -> Conversation
    /// Archives or reopens. Throws `.notFound`, `.invalidState`.
    func setState(_ caller: Caller, id: String, _ state: Conversation.State) async throws -> Conversation
    /// History, newest last, `limit` messages before sequence number `before`. Throws `.notFound`.
    func messages(_ caller: Caller, conversationID: String, before: Int64?, limit: Int) async throws -> MessagePage
    /// Throws `.notFound`, `.invalid`, `.forbidden`, `.invalidState` (archived).
    func post(_ caller: Caller, conversationID: String, _ input: MessageInput, idempotency: IdempotencyKey?) async throws -> Message
    /// The author edits the text within the edit window. Throws `.notFound`, `.forbidden`, `.invalid`, `.invalidState`.
    func edit(_ caller: Caller, messageID: String, text: String) async throws -> Message
    /// The author deletes; a tombstone remains. Throws `.notFound`, `.forbidden`.
    func delete(_ caller: Caller, messageID: String) async throws -> Message
    /// Marks read up to `seq` (nil: everything). Answers the caller's unread counts. Throws `.notFound`.
    func markRead(_ caller: Caller, conversationID: String, seq: Int64?) async throws -> InboxCounts
    /// The caller's unread counts.
    func inbox(_ caller: Caller) async throws -> InboxCounts
    /// Messages of the caller's conversations matching `query` (the catalog's ru/uk/en analysis). Throws `.invalid`.
    func search(_ caller: Caller, query: String, conversationID: String?, limit: Int) async throws -> [MessageHit]
    /// Events after `after`, or `resync` when more than `limit` happened. Throws `.notFound`.
    func catchUp(_ caller: Caller, conversationID: String, after: Int64, limit: Int) async throws -> ConversationCatchUp
    /// Which of `ids` the caller takes part in now.
    func participating(_ caller: Caller, in ids: [String]) async throws -> Set<String>
    /// Before an upload streams: the tenant, when the caller may send to the conversation. Throws `.notFound`, `.invalidState`.
    func attachmentTenant(_ caller: Caller, conversationID: String) async throws -> TenantID
    /// Records uploaded bytes as an attachment waiting for its message. Throws `.notFound`.
    func recordAttachment(_ caller: Caller, conversationID: String, _ attachment: Attachment, blob: String) async throws -> Attachment
    /// The attachment and its blob, for a participant. Throws `.notFound`.
    func attachment(_ caller: Caller, id: String) async throws -> (attachment: Attachment, blob: String)
    /// What the live socket fans out: the tenant's conversation events after `after` (its own
    /// cursor, not a conversation's sequence), each with who takes part in its conversation now.
    /// `after: .max` answers only the current position.
    func feed(_ tenant: TenantID, after: Int64, limit: Int) async throws -> TalkFeedBatch
    /// Who takes part in a conversation now (for the live socket's typing signals). Throws `.notFound`.
    func participants(_ tenant: TenantID, conversationID: String) async throws -> Set<String>
}

/// A batch of the tenant-wide conversation feed.
public struct TalkFeedBatch: Sendable {
    public struct Item: Sendable {
        public var cursor: Int64
        public var event: ConversationEvent
        public init(cursor: Int64, event: ConversationEvent) {
            self.cursor = cursor
            self.event = event
        }
    }
    public var items: [Item]
    /// The tenant's feed position after the batch.
    public var cursor: Int64
    /// Bumped whenever someone may have lost access (a link revoked, a member removed).
    public var accessEpoch: Int64
    /// User ids taking part in each conversation of the batch.
    public var participants: [String: Set<String>]
    public init(items: [Item], cursor: Int64, accessEpoch: Int64, participants: [String: Set<String>]) {
        self.items = items
        self.cursor = cursor
        self.accessEpoch = accessEpoch
        self.participants = participants
    }
}

/// Negotiations: offers, requests for quote, counters, acceptance into an order.
public protocol NegotiationService: Sendable {
    /// Opens a negotiation in a trade conversation with a first revision. Throws `.notFound`, `.invalid`, `.forbidden`, `.invalidState`.
    func start(_ caller: Caller, conversationID: String, _ input: OfferInput, idempotency: IdempotencyKey?) async throws -> Negotiation
    /// "Ask for a quote" from the caller's cart with a seller: the conversation (opened if needed) and a request for quote.
    /// Throws `.notFound`, `.invalid`, `.forbidden`.
    func requestQuote(_ caller: Caller, buyerBusinessID: String, sellerBusinessID: String, note: String?, idempotency: IdempotencyKey?) async throws -> Negotiation
    /// Throws `.notFound`.
    func negotiation(_ caller: Caller, id: String) async throws -> Negotiation
    /// A conversation's negotiations, oldest first. Throws `.notFound`.
    func negotiations(_ caller: Caller, conversationID: String) async throws -> [Negotiation]
    /// A new revision answering `revision`. Throws `.notFound`, `.invalid`, `.forbidden`, `.invalidState` (with the current revision).
    func counter(_ caller: Caller, id: String, revision: Int, _ input: OfferInput, idempotency: IdempotencyKey?) async throws -> Negotiation
    /// Accepts `revision` and places the order from its lines and prices, once. Throws `.notFound`, `.forbidden`, `.invalidState`, `.invalid`, `.insufficientStock`.
    func accept(_ caller: Caller, id: String, revision: Int, idempotency: IdempotencyKey?) async throws -> Negotiation
    /// Throws `.notFound`, `.forbidden`, `.invalidState`.
    func decline(_ caller: Caller, id: String, revision: Int, reason: String?, idempotency: IdempotencyKey?) async throws -> Negotiation
}

/// Salespeople's links to businesses and their identity verification.
public protocol SalespersonService: Sendable {
    /// A salesperson asks to link with a business. Throws `.forbidden` (not a salesperson), `.notFound`, `.conflict` (already asked or linked).
    func request(_ caller: Caller, _ input: SalespersonLinkInput, idempotency: IdempotencyKey?) async throws -> SalespersonLink
    /// Salespeople see their own links, managers their businesses', tenant admins every link.
    func links(_ caller: Caller, businessID: String?, state: SalespersonLink.State?) async throws -> [SalespersonLink]
    /// Approve, refuse or revoke. Throws `.notFound`, `.forbidden`, `.invalidState`.
    func act(_ caller: Caller, linkID: String, _ act: SalespersonLink.Act, reason: String?) async throws -> SalespersonLink
    /// Salespeople (and their identity state) for tenant admins; a salesperson sees their own. Throws `.forbidden`.
    func identities(_ caller: Caller) async throws -> [SalespersonIdentity]
    /// Before an upload: the tenant, when the caller is a salesperson. Throws `.forbidden`.
    func identityUploadTenant(_ caller: Caller) async throws -> TenantID
    /// Records the caller's identity document (replacing any earlier one, which loses its verification).
    func recordIdentityDocument(_ caller: Caller, name: String, contentType: String, size: Int64, blob: String) async throws -> SalespersonIdentity
    /// The document, for its salesperson and tenant admins. Throws `.notFound`.
    func identityDocument(_ caller: Caller, userID: String) async throws -> (identity: SalespersonIdentity, blob: String)
    /// A tenant admin verifies the document. Throws `.forbidden`, `.notFound`, `.invalidState` (no document).
    func verifyIdentity(_ caller: Caller, userID: String) async throws -> SalespersonIdentity
}

extension Topic {
    public static let messageCreated = "message.created"
    public static let messageEdited = "message.edited"
    public static let messageDeleted = "message.deleted"
    public static func salespersonLink(_ state: SalespersonLink.State) -> String { "salesperson_link.\(state.rawValue)" }
    public static let salespersonVerified = "salesperson.verified"
}
