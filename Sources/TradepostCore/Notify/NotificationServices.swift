import Foundation

/// The notification centre and each user's settings. Every method acts for the caller alone.
public protocol NotificationService: Sendable {
    /// Newest first; `before` pages to older ones. Throws: unauthorized.
    func list(_ caller: Caller, before: Int64?, unreadOnly: Bool, limit: Int) async throws -> NotificationPage
    /// The caller's notifications after `after` (oldest first), for the live socket's catch-up.
    func since(_ caller: Caller, after: Int64, limit: Int) async throws -> [UserNotification]
    /// The newest notification id in the tenant (where a live subscription starts).
    func latestID(_ caller: Caller) async throws -> Int64
    /// Every user's notifications in the tenant after `after`, oldest first: the live socket's one read per commit (server only).
    func feed(_ tenant: TenantID, after: Int64, limit: Int) async throws -> [NotificationFeedItem]
    /// Throws: notFound (not the caller's).
    func markRead(_ caller: Caller, id: Int64) async throws -> UserNotification
    /// Marks every unread one up to `upTo` (all when nil); answers how many changed.
    func markAllRead(_ caller: Caller, upTo: Int64?) async throws -> Int
    func settings(_ caller: Caller) async throws -> NotificationSettings
    /// Throws: invalid (unknown kind or channel, a bad zone, time or phone — each named).
    func updateSettings(_ caller: Caller, _ input: NotificationSettingsInput) async throws -> NotificationSettings
    /// Turns one kind's email off for the user a signed unsubscribe link names (RFC 8058). Throws: notFound.
    func unsubscribe(tenant: TenantID, userID: String, kind: String) async throws
    /// The same, from the link's signed token. Throws: notFound (a bad or forged token).
    func unsubscribe(token: String) async throws
    /// The deliveries on channels other than the app, newest first (admins). Throws: forbidden.
    func deliveries(_ caller: Caller, channel: NotificationChannel?, status: NotificationDelivery.Status?, limit: Int) async throws -> [NotificationDelivery]
}

public struct NotificationFeedItem: Sendable {
    public var userId: String
    public var notification: UserNotification
    public init(userId: String, notification: UserNotification) {
        self.userId = userId
        self.notification = notification
    }
}

/// Outbound webhooks: a tenant admin's endpoints, their messages and replays.
public protocol WebhookService: Sendable {
    /// Throws: forbidden.
    func endpoints(_ caller: Caller) async throws -> [WebhookEndpoint]
    /// Throws: forbidden, notFound.
    func endpoint(_ caller: Caller, id: String) async throws -> WebhookEndpoint
    /// Answers the endpoint with its `secret`, once. Throws: forbidden, invalid (url, event_types, description).
    func create(_ caller: Caller, _ input: WebhookEndpointInput, idempotency: IdempotencyKey?) async throws -> WebhookEndpoint
    /// Throws: notFound, invalid.
    func update(_ caller: Caller, id: String, _ input: WebhookEndpointInput) async throws -> WebhookEndpoint
    /// Throws: notFound.
    func delete(_ caller: Caller, id: String) async throws
    /// A new secret; the old one keeps signing alongside for `grace` seconds. Answers the new `secret`, once.
    func rotateSecret(_ caller: Caller, id: String, grace: TimeInterval) async throws -> WebhookEndpoint
    /// Newest first. Throws: notFound.
    func messages(_ caller: Caller, endpointID: String, status: WebhookMessage.Status?, limit: Int) async throws -> [WebhookMessage]
    /// Sends the message again now (same `webhook-id`). Throws: notFound.
    func replay(_ caller: Caller, messageID: String) async throws -> WebhookMessage
    /// Sends again every message of the endpoint created in [from, to); answers how many. Throws: notFound, invalid.
    func replay(_ caller: Caller, endpointID: String, from: Date, to: Date) async throws -> Int
    /// Queues a `webhook.test` message to the endpoint. Throws: notFound, conflict (disabled).
    func sendTest(_ caller: Caller, endpointID: String) async throws -> WebhookMessage
}
