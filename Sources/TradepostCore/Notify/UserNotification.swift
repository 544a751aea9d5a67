import Foundation

/// Where a notification may reach its user.
public enum NotificationChannel: String, Codable, Sendable, CaseIterable {
    case inApp = "in_app"
    case email
    case telegram
    case sms
}

/// One thing a user was told, as the notification centre lists it. `id` increases within the
/// tenant, so it is also the live socket's sequence number for the user.
public struct UserNotification: Codable, Sendable, Equatable {
    public var id: Int64
    /// The registered kind, e.g. "order.placed".
    public var kind: String
    public var title: String
    public var body: String
    /// The web app's route of the object ("/orders/…"), if it has one.
    public var link: String?
    public var urgent: Bool
    public var createdAt: Date
    public var readAt: Date?

    public init(id: Int64, kind: String, title: String, body: String, link: String?, urgent: Bool, createdAt: Date, readAt: Date?) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.urgent = urgent
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

public struct NotificationPage: Codable, Sendable, Equatable {
    public var items: [UserNotification]
    public var unread: Int
    /// Pass as `before` for the next (older) page; nil on the last.
    public var nextBefore: Int64?
    public init(items: [UserNotification], unread: Int, nextBefore: Int64?) {
        self.items = items
        self.unread = unread
        self.nextBefore = nextBefore
    }
}

/// How often mail is gathered into one digest instead of one message per event.
public enum DigestMode: String, Codable, Sendable, CaseIterable {
    case off, hourly, daily
}

/// A user's choices: which kinds reach them on which channel, quiet hours, digest.
public struct NotificationSettings: Codable, Sendable, Equatable {
    public struct Choice: Codable, Sendable, Equatable {
        public var kind: String
        public var channel: NotificationChannel
        public var enabled: Bool
        public init(kind: String, channel: NotificationChannel, enabled: Bool) {
            self.kind = kind
            self.channel = channel
            self.enabled = enabled
        }
    }

    /// Every registered kind × channel with its effective value (the role's default unless changed).
    public var choices: [Choice]
    /// IANA zone the quiet hours are read in; defaults to the tenant's.
    public var timeZone: String
    /// "22:00"-style local times; both nil when there are none.
    public var quietStart: String?
    public var quietEnd: String?
    public var digest: DigestMode
    /// For SMS; E.164 ("+380…").
    public var phone: String?
    /// Whose defaults the unchanged choices follow.
    public var defaultsRole: NotificationRole

    public init(choices: [Choice], timeZone: String, quietStart: String?, quietEnd: String?, digest: DigestMode, phone: String?,
                defaultsRole: NotificationRole = .member) {
        self.choices = choices
        self.defaultsRole = defaultsRole
        self.timeZone = timeZone
        self.quietStart = quietStart
        self.quietEnd = quietEnd
        self.digest = digest
        self.phone = phone
    }
}

/// A change to one's settings; absent members stay as they are.
public struct NotificationSettingsInput: Codable, Sendable {
    public var choices: [NotificationSettings.Choice]?
    public var timeZone: String?
    /// An empty string clears quiet hours.
    public var quietStart: String?
    public var quietEnd: String?
    public var digest: DigestMode?
    /// An empty string clears it.
    public var phone: String?
    public init(choices: [NotificationSettings.Choice]? = nil, timeZone: String? = nil, quietStart: String? = nil, quietEnd: String? = nil,
                digest: DigestMode? = nil, phone: String? = nil) {
        self.choices = choices
        self.timeZone = timeZone
        self.quietStart = quietStart
        self.quietEnd = quietEnd
        self.digest = digest
        self.phone = phone
    }
}

/// A message to send on a channel other than the app, as the delivery job reads it.
public struct NotificationDelivery: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for its job (or for quiet hours to end).
        case pending
        /// Kept for the user's next digest.
        case digest
        case sent
        /// Given up: a permanent refusal or retries used up.
        case failed
        /// Not sent: the channel is not set up, or the user has no address on it.
        case skipped
    }
    public var id: Int64
    public var notificationId: Int64
    public var userId: String
    public var channel: NotificationChannel
    public var status: Status
    public var attempts: Int
    public var notBefore: Date?
    public var lastError: String?
    public var sentAt: Date?
    public var createdAt: Date
    public init(id: Int64, notificationId: Int64, userId: String, channel: NotificationChannel, status: Status, attempts: Int,
                notBefore: Date?, lastError: String?, sentAt: Date?, createdAt: Date) {
        self.id = id
        self.notificationId = notificationId
        self.userId = userId
        self.channel = channel
        self.status = status
        self.attempts = attempts
        self.notBefore = notBefore
        self.lastError = lastError
        self.sentAt = sentAt
        self.createdAt = createdAt
    }
}
