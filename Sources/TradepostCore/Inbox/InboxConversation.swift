import Foundation

/// A channel conversation as the inbox shows it: the conversation (its messages and live events are
/// the same as every conversation's), the channel and contact, and the inbox's own state.
public struct InboxConversation: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case open, pending, resolved }

    public var id: String
    public var channelId: String
    public var channelKind: InboxChannel.Kind
    public var contact: Contact
    public var status: Status
    public var assigneeId: String?
    public var labels: [String]
    public var lastSeq: Int64
    public var lastMessageAt: Date?
    public var preview: String?
    public var unread: Int
    /// When the customer last wrote (WhatsApp's 24-hour window runs from it).
    public var lastInboundAt: Date?
    /// WhatsApp: whether free-form replies may go now; outside the window only templates may.
    public var windowOpen: Bool
    /// The queue position of an open, unassigned conversation: when it began waiting.
    public var waitingSince: Date?
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var createdAt: Date

    public init(id: String, channelId: String, channelKind: InboxChannel.Kind, contact: Contact, status: Status, assigneeId: String?, labels: [String],
                lastSeq: Int64, lastMessageAt: Date?, preview: String?, unread: Int, lastInboundAt: Date?, windowOpen: Bool, waitingSince: Date?,
                firstResponseAt: Date?, resolvedAt: Date?, createdAt: Date) {
        self.id = id
        self.channelId = channelId
        self.channelKind = channelKind
        self.contact = contact
        self.status = status
        self.assigneeId = assigneeId
        self.labels = labels
        self.lastSeq = lastSeq
        self.lastMessageAt = lastMessageAt
        self.preview = preview
        self.unread = unread
        self.lastInboundAt = lastInboundAt
        self.windowOpen = windowOpen
        self.waitingSince = waitingSince
        self.firstResponseAt = firstResponseAt
        self.resolvedAt = resolvedAt
        self.createdAt = createdAt
    }

    /// WhatsApp allows free-form messages for 24 hours after the customer's last one.
    public static let whatsAppWindow: TimeInterval = 24 * 3600

    public static func windowOpen(kind: InboxChannel.Kind, lastInboundAt: Date?, now: Date) -> Bool {
        guard kind == .whatsapp else { return true }
        guard let lastInboundAt else { return false }
        return now.timeIntervalSince(lastInboundAt) < whatsAppWindow
    }
}

public struct InboxFilter: Sendable, Equatable {
    public var channelId: String?
    public var status: InboxConversation.Status?
    /// A user id, or "none" for the unassigned.
    public var assignee: String?
    public var label: String?
    public init(channelId: String? = nil, status: InboxConversation.Status? = nil, assignee: String? = nil, label: String? = nil) {
        self.channelId = channelId
        self.status = status
        self.assignee = assignee
        self.label = label
    }
}

/// A change to a conversation's inbox state: status, assignee (empty string: unassign), labels.
public struct InboxConversationChange: Codable, Sendable, Equatable {
    public var status: InboxConversation.Status?
    public var assigneeId: String?
    public var labels: [String]?
    public init(status: InboxConversation.Status? = nil, assigneeId: String? = nil, labels: [String]? = nil) {
        self.status = status
        self.assigneeId = assigneeId
        self.labels = labels
    }
}

/// Where an outbound message is on its way to the customer. Platforms report statuses in any
/// order; a status only moves forward (`delivered` after `read` changes nothing), and `failed`
/// stands unless the platform reports the message delivered or read after all.
public enum ChannelMessageStatus: String, Codable, Sendable, CaseIterable {
    case received, queued, sent, delivered, read, failed

    var rank: Int {
        switch self {
        case .received: 0
        case .queued: 1
        case .sent: 2
        case .failed: 3
        case .delivered: 4
        case .read: 5
        }
    }

    /// The status after `reported` arrives.
    public func advanced(to reported: ChannelMessageStatus) -> ChannelMessageStatus {
        reported.rank > rank ? reported : self
    }
}

/// An outbound message's way through its channel, shown beside it in the inbox.
public struct ChannelDelivery: Codable, Sendable, Equatable {
    public var messageId: String
    public var status: ChannelMessageStatus
    public var externalId: String?
    public var error: String?
    public var updatedAt: Date
    public init(messageId: String, status: ChannelMessageStatus, externalId: String?, error: String?, updatedAt: Date) {
        self.messageId = messageId
        self.status = status
        self.externalId = externalId
        self.error = error
        self.updatedAt = updatedAt
    }
}
