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
    public init() {}
}
