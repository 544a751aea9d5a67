import Foundation

/// A conversation: between two businesses (a buyer and a seller), optionally about a product or an
/// order, or directly between two users of a tenant. Its participants are worked out when asked —
/// the members of both businesses and the salespeople linked to them — so whoever loses access
/// stops seeing it at once. Conversations never expire; they are archived and reopened.
public struct Conversation: Codable, Sendable, Equatable {
    /// `channel`: a customer writing from Telegram or WhatsApp to a business's staff (the shared inbox).
    public enum Kind: String, Codable, Sendable, CaseIterable { case trade, direct, channel }
    public enum State: String, Codable, Sendable, CaseIterable { case open, archived }

    public var id: String
    public var kind: Kind
    public var state: State
    public var title: String?
    public var buyerBusinessId: String?
    public var buyerName: String?
    public var sellerBusinessId: String?
    public var sellerName: String?
    public var productId: String?
    public var orderId: String?
    /// The two users of a direct conversation.
    public var userIds: [String]?
    /// The sequence number of its latest event (messages, edits, deletions, reads, offers).
    public var lastSeq: Int64
    public var lastMessageAt: Date?
    /// The latest message's first words (nil when deleted or none).
    public var preview: String?
    /// Messages by others after the caller's read mark.
    public var unread: Int
    public var createdAt: Date

    public init(id: String, kind: Kind, state: State, title: String?, buyerBusinessId: String?, buyerName: String?, sellerBusinessId: String?,
                sellerName: String?, productId: String?, orderId: String?, userIds: [String]?, lastSeq: Int64, lastMessageAt: Date?,
                preview: String?, unread: Int, createdAt: Date) {
        self.id = id
        self.kind = kind
        self.state = state
        self.title = title
        self.buyerBusinessId = buyerBusinessId
        self.buyerName = buyerName
        self.sellerBusinessId = sellerBusinessId
        self.sellerName = sellerName
        self.productId = productId
        self.orderId = orderId
        self.userIds = userIds
        self.lastSeq = lastSeq
        self.lastMessageAt = lastMessageAt
        self.preview = preview
        self.unread = unread
        self.createdAt = createdAt
    }
}

/// Starting a conversation: with a business (buyer and seller named; the caller acts for one of
/// them), or with a user (`user_id`). One conversation per pair and subject: asking again answers
/// the existing one.
public struct ConversationInput: Codable, Sendable, Equatable {
    public var buyerBusinessId: String?
    public var sellerBusinessId: String?
    public var productId: String?
    public var orderId: String?
    public var userId: String?
    public var title: String?
    public init(buyerBusinessId: String? = nil, sellerBusinessId: String? = nil, productId: String? = nil, orderId: String? = nil,
                userId: String? = nil, title: String? = nil) {
        self.buyerBusinessId = buyerBusinessId
        self.sellerBusinessId = sellerBusinessId
        self.productId = productId
        self.orderId = orderId
        self.userId = userId
        self.title = title
    }
}

/// A file sent in a conversation, kept in the blob store and served only to participants. Images
/// carry their size so the page reserves their box before they load.
public struct Attachment: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var contentType: String
    public var size: Int64
    public var width: Int?
    public var height: Int?
    public init(id: String, name: String, contentType: String, size: Int64, width: Int?, height: Int?) {
        self.id = id
        self.name = name
        self.contentType = contentType
        self.size = size
        self.width = width
        self.height = height
    }
}

/// A message. A deleted one stays as a tombstone: no text, no attachments, `deleted_at` set.
public struct Message: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case text, offer }

    public var id: String
    public var conversationId: String
    /// The conversation's sequence number of the event that created it.
    public var seq: Int64
    public var kind: Kind
    public var authorId: String
    public var authorName: String
    public var text: String?
    public var replyTo: String?
    public var productId: String?
    public var attachments: [Attachment]
    /// For `offer` messages: the revision it carries.
    public var offer: OfferRevision?
    public var createdAt: Date
    public var editedAt: Date?
    public var deletedAt: Date?

    public init(id: String, conversationId: String, seq: Int64, kind: Kind, authorId: String, authorName: String, text: String?, replyTo: String?,
                productId: String?, attachments: [Attachment], offer: OfferRevision?, createdAt: Date, editedAt: Date?, deletedAt: Date?) {
        self.id = id
        self.conversationId = conversationId
        self.seq = seq
        self.kind = kind
        self.authorId = authorId
        self.authorName = authorName
        self.text = text
        self.replyTo = replyTo
        self.productId = productId
        self.attachments = attachments
        self.offer = offer
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.deletedAt = deletedAt
    }
}

/// A text message: up to 4000 characters, replies to a message of the same conversation, files
/// uploaded before (`attachment_ids`), a product to show as a card.
public struct MessageInput: Codable, Sendable, Equatable {
    public var text: String?
    public var replyTo: String?
    public var productId: String?
    public var attachmentIds: [String]?
    public init(text: String? = nil, replyTo: String? = nil, productId: String? = nil, attachmentIds: [String]? = nil) {
        self.text = text
        self.replyTo = replyTo
        self.productId = productId
        self.attachmentIds = attachmentIds
    }

    public static let maxText = 4000
}

/// One thing that happened in a conversation, numbered by the conversation's own sequence. A
/// reconnecting client asks for the events after the last number it saw.
public struct ConversationEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case messageCreated = "message.created"
        case messageEdited = "message.edited"
        case messageDeleted = "message.deleted"
        case read
        case offerRevised = "offer.revised"
        case offerAccepted = "offer.accepted"
        case offerDeclined = "offer.declined"
        case archived
        case reopened
    }

    public var conversationId: String
    public var seq: Int64
    public var kind: Kind
    /// The message as it is after the event (message and offer events).
    public var message: Message?
    /// Read events: who read, up to which sequence number.
    public var userId: String?
    public var readSeq: Int64?
    public var at: Date

    public init(conversationId: String, seq: Int64, kind: Kind, message: Message?, userId: String?, readSeq: Int64?, at: Date) {
        self.conversationId = conversationId
        self.seq = seq
        self.kind = kind
        self.message = message
        self.userId = userId
        self.readSeq = readSeq
        self.at = at
    }
}

/// What the caller has not read: per conversation and in total.
public struct InboxCounts: Codable, Sendable, Equatable {
    public var total: Int
    public var conversations: [String: Int]
    public init(total: Int, conversations: [String: Int]) {
        self.total = total
        self.conversations = conversations
    }
}

/// A page of a conversation's history, newest last; `before` pages further back.
public struct MessagePage: Codable, Sendable, Equatable {
    public var items: [Message]
    /// The conversation's latest sequence number when the page was read (subscribe from it).
    public var lastSeq: Int64
    /// Pass as `before` for older messages; nil at the start.
    public var nextBefore: Int64?
    public init(items: [Message], lastSeq: Int64, nextBefore: Int64?) {
        self.items = items
        self.lastSeq = lastSeq
        self.nextBefore = nextBefore
    }
}

/// A found message with the matched words marked.
public struct MessageHit: Codable, Sendable, Equatable {
    public var message: Message
    public var conversationTitle: String
    public init(message: Message, conversationTitle: String) {
        self.message = message
        self.conversationTitle = conversationTitle
    }
}

/// Events after `after` in one conversation, or `resync` when more than the limit happened.
public struct ConversationCatchUp: Sendable, Equatable {
    public var events: [ConversationEvent]
    public var resync: Bool
    public var lastSeq: Int64
    public init(events: [ConversationEvent], resync: Bool, lastSeq: Int64) {
        self.events = events
        self.resync = resync
        self.lastSeq = lastSeq
    }
}
