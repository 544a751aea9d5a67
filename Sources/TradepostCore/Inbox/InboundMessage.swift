import Foundation

/// A customer's message as any channel delivers it, read from the platform's webhook body.
public struct InboundMessage: Sendable, Equatable {
    /// A file the platform keeps until asked for it (WhatsApp media id, Telegram file_id).
    public struct Media: Sendable, Equatable {
        public var platformId: String
        public var contentType: String
        public var fileName: String
        public init(platformId: String, contentType: String, fileName: String) {
            self.platformId = platformId
            self.contentType = contentType
            self.fileName = fileName
        }
    }

    /// The platform's message id: a repeat of one already taken is ignored.
    public var externalId: String
    /// Where replies go (WhatsApp: the sender's number; Telegram: the chat id).
    public var chatId: String
    public var senderName: String
    public var whatsappId: String?
    public var telegramId: Int64?
    public var language: String?
    public var text: String?
    public var media: Media?
    public var at: Date

    public init(externalId: String, chatId: String, senderName: String, whatsappId: String? = nil, telegramId: Int64? = nil, language: String? = nil,
                text: String?, media: Media? = nil, at: Date) {
        self.externalId = externalId
        self.chatId = chatId
        self.senderName = senderName
        self.whatsappId = whatsappId
        self.telegramId = telegramId
        self.language = language
        self.text = text
        self.media = media
        self.at = at
    }
}

/// A platform's report on a message we sent.
public struct InboundStatus: Sendable, Equatable {
    public var externalId: String
    public var status: ChannelMessageStatus
    public var error: String?
    public init(externalId: String, status: ChannelMessageStatus, error: String?) {
        self.externalId = externalId
        self.status = status
        self.error = error
    }
}

/// What one webhook body carried.
public struct InboundBatch: Sendable, Equatable {
    public var messages: [InboundMessage] = []
    public var statuses: [InboundStatus] = []
    public init(messages: [InboundMessage] = [], statuses: [InboundStatus] = []) {
        self.messages = messages
        self.statuses = statuses
    }
}

/// Inbox topics: a webhook body waits for its job (`InboxWebhookEvent`); a reply waits to be sent
/// (`InboxReplyEvent`); a conversation's status or assignee changed (`InboxChangeEvent`).
public extension Topic {
    static let inboxWebhook = "inbox.webhook"
    static let inboxReply = "inbox.reply"
    static let inboxChanged = "inbox.changed"
    /// A conversation was handed to an agent (`InboxAssignedEvent`): they are told.
    static let inboxAssigned = "inbox.assigned"
}

public struct InboxAssignedEvent: Codable, Sendable, Equatable {
    public var conversationId: String
    public var assigneeId: String
    public var contactName: String
    public init(conversationId: String, assigneeId: String, contactName: String) {
        self.conversationId = conversationId
        self.assigneeId = assigneeId
        self.contactName = contactName
    }
}

public struct InboxWebhookEvent: Codable, Sendable, Equatable {
    public var webhookId: Int64
    public init(webhookId: Int64) { self.webhookId = webhookId }
}

public struct InboxReplyEvent: Codable, Sendable, Equatable {
    public var messageId: String
    public init(messageId: String) { self.messageId = messageId }
}

public struct InboxChangeEvent: Codable, Sendable, Equatable {
    public var conversationId: String
    public var status: String
    public var assigneeId: String?
    public init(conversationId: String, status: String, assigneeId: String?) {
        self.conversationId = conversationId
        self.status = status
        self.assigneeId = assigneeId
    }
}
