import Foundation

/// A tenant's Telegram bot as its admins see it (the token is never shown again).
public struct TelegramBotSettings: Codable, Sendable, Equatable {
    public var botUsername: String
    public var botId: Int64
    public var webhookUrl: String
    public var connectedAt: Date
    public init(botUsername: String, botId: Int64, webhookUrl: String, connectedAt: Date) {
        self.botUsername = botUsername
        self.botId = botId
        self.webhookUrl = webhookUrl
        self.connectedAt = connectedAt
    }
}

/// Whether the caller's Telegram account is linked, and to which bot.
public struct TelegramLinkStatus: Codable, Sendable, Equatable {
    public var linked: Bool
    public var username: String?
    public var linkedAt: Date?
    /// nil when the tenant has no bot.
    public var botUsername: String?
    public init(linked: Bool, username: String?, linkedAt: Date?, botUsername: String?) {
        self.linked = linked
        self.username = username
        self.linkedAt = linkedAt
        self.botUsername = botUsername
    }
}

/// A one-time deep link that links the Telegram account opening it (`/start <code>`).
public struct TelegramLinkCode: Codable, Sendable, Equatable {
    public var url: String
    public var expiresAt: Date
    public init(url: String, expiresAt: Date) {
        self.url = url
        self.expiresAt = expiresAt
    }
}

/// The Telegram front door: a tenant's bot (its webhook, commands and buttons), users' links, and
/// signing in from the Mini App.
public protocol TelegramService: Sendable {
    /// Throws: forbidden.
    func bot(_ caller: Caller) async throws -> TelegramBotSettings?
    /// Checks the token with Telegram (getMe), registers the webhook with a fresh secret_token. Throws: forbidden, invalid (token), unavailable.
    func connectBot(_ caller: Caller, token: String) async throws -> TelegramBotSettings
    /// Throws: forbidden, notFound.
    func disconnectBot(_ caller: Caller) async throws
    func link(_ caller: Caller) async throws -> TelegramLinkStatus
    /// Throws: conflict (no bot).
    func newLinkCode(_ caller: Caller) async throws -> TelegramLinkCode
    /// Throws: notFound (not linked).
    func unlink(_ caller: Caller) async throws
    /// One update from Telegram: 403 unless `secret` is the webhook's; a repeated update_id is
    /// ignored. Answers a Bot API call to make in the webhook's response (a reply), or nil.
    func handleUpdate(tenant: String, secret: String?, update: [UInt8]) async throws -> [UInt8]?
    /// Mini App sign-in from `initData`. Throws: unauthenticated (bad, stale or tampered data),
    /// forbidden with code telegram_not_linked (a valid account nobody linked).
    func signIn(tenant: String, initData: String, client: ClientInfo) async throws -> LoginResult
}
