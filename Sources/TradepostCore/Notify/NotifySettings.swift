import Foundation

/// The server's settings for reaching people (config `notify.*`).
public struct NotifySettings: Sendable, Equatable {
    /// Webhooks (and other outgoing calls) may go to loopback, private and link-local addresses.
    public var allowPrivateDestinations = false
    /// How long one webhook attempt may take.
    public var webhookTimeout: TimeInterval = 10
    /// An endpoint with no successful delivery for this long is switched off (its admins are told).
    public var webhookDisableAfter: TimeInterval = 5 * 86400
    /// Trust this PEM CA file (as well as the system's) for SMTP over TLS; empty: the system's only.
    public var smtpCAFile = ""
    /// The Bot API's address (a local fake in tests).
    public var telegramAPIURL = "https://api.telegram.org"
    /// The WhatsApp Cloud API's address (Graph API with its version; a local fake in tests).
    public var whatsAppAPIURL = "https://graph.facebook.com/v21.0"
    /// Telegram's Ed25519 key (hex) that Mini App init data's `signature` is checked against.
    public var telegramPublicKey = "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d"
    /// How old a Mini App's init data may be.
    public var telegramInitDataMaxAge: TimeInterval = 86400
    public init() {}
}
