import Foundation

/// A tenant's outgoing mail relay as admins see it: the password is never shown, only whether one is kept.
public struct EmailChannelSettings: Codable, Sendable, Equatable {
    public enum Security: String, Codable, Sendable, CaseIterable { case starttls, tls, none }
    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var hasPassword: Bool
    public var fromEmail: String
    public var fromName: String?
    public var updatedAt: Date
    public init(host: String, port: Int, security: Security, username: String?, hasPassword: Bool, fromEmail: String, fromName: String?, updatedAt: Date) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.hasPassword = hasPassword
        self.fromEmail = fromEmail
        self.fromName = fromName
        self.updatedAt = updatedAt
    }
}

public struct EmailChannelInput: Codable, Sendable {
    public var host: String
    public var port: Int
    public var security: EmailChannelSettings.Security
    public var username: String?
    /// nil keeps the one kept; "" removes it.
    public var password: String?
    public var fromEmail: String
    public var fromName: String?
    public init(host: String, port: Int, security: EmailChannelSettings.Security, username: String?, password: String?, fromEmail: String, fromName: String?) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.fromEmail = fromEmail
        self.fromName = fromName
    }
}

/// The settings with the password opened, for the mail job only.
public struct EmailRelay: Sendable, Equatable {
    public var settings: EmailChannelSettings
    public var password: String?
    public init(settings: EmailChannelSettings, password: String?) {
        self.settings = settings
        self.password = password
    }
}

public struct ChannelTestResult: Codable, Sendable, Equatable {
    public var ok: Bool
    public var detail: String
    public init(ok: Bool, detail: String) {
        self.ok = ok
        self.detail = detail
    }
}

/// A tenant's channels (mail now; SMS and Telegram use the same table) for its admins.
public protocol ChannelService: Sendable {
    /// nil when mail is not set up. Throws: forbidden.
    func email(_ caller: Caller) async throws -> EmailChannelSettings?
    /// Throws: forbidden, invalid (each field named).
    func setEmail(_ caller: Caller, _ input: EmailChannelInput) async throws -> EmailChannelSettings
    /// Throws: forbidden, notFound.
    func removeEmail(_ caller: Caller) async throws
    /// Sends a test message now to `to` (default: the caller's own address) and says how it went. Throws: forbidden, conflict (not set up).
    func testEmail(_ caller: Caller, to: String?) async throws -> ChannelTestResult
}
