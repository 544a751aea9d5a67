import Foundation

/// How a text travels as SMS: GSM 03.38's 7-bit alphabet when every character is in it (160
/// characters in one message, 153 per part when split; the extension table's characters count
/// twice), else UCS-2 (70, or 67 per part) — which Cyrillic always needs.
public enum SMSText {
    public enum Encoding: String, Codable, Sendable { case gsm7, ucs2 }

    static let basic: Set<Character> = Set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    static let extended: Set<Character> = Set("^{}\\[~]|€\u{000C}")

    /// The encoding a text needs and how many messages it takes.
    public static func measure(_ text: String) -> (encoding: Encoding, units: Int, segments: Int) {
        var septets = 0
        for c in text {
            if basic.contains(c) { septets += 1 } else if extended.contains(c) { septets += 2 } else {
                let units = text.utf16.count
                return (.ucs2, units, units <= 70 ? 1 : Int((Double(units) / 67).rounded(.up)))
            }
        }
        return (.gsm7, septets, septets <= 160 ? 1 : Int((Double(septets) / 153).rounded(.up)))
    }

    /// The text cut (with "…") so it takes at most `segments` messages.
    public static func fit(_ text: String, segments: Int) -> String {
        guard measure(text).segments > segments else { return text }
        var cut = text
        while !cut.isEmpty && measure(cut + "…").segments > segments { cut.removeLast() }
        return cut + "…"
    }
}

/// A tenant's SMS gateway as its admins see it (secrets never shown again).
public struct SMSChannelSettings: Codable, Sendable, Equatable {
    public enum Provider: String, Codable, Sendable, CaseIterable {
        /// Any HTTP gateway: URL, method, a body template with {to}, {text}, {from}, {encoding}, {segments}, an auth header.
        case generic
        /// Twilio's Messages API (form POST with basic auth), the shape many gateways copy.
        case twilio
    }
    public var provider: Provider
    /// generic: the gateway's URL; twilio: the API's base (https://api.twilio.com unless testing).
    public var url: String
    public var method: String
    /// generic: application/json or application/x-www-form-urlencoded.
    public var contentType: String
    public var bodyTemplate: String
    /// generic: the header that carries the secret (e.g. Authorization); twilio: the account SID.
    public var authHeader: String
    public var hasSecret: Bool
    public var from: String
    /// Longer texts are cut to this many messages.
    public var maxSegments: Int
    public var updatedAt: Date
    public init(provider: Provider, url: String, method: String, contentType: String, bodyTemplate: String, authHeader: String, hasSecret: Bool,
                from: String, maxSegments: Int, updatedAt: Date) {
        self.provider = provider
        self.url = url
        self.method = method
        self.contentType = contentType
        self.bodyTemplate = bodyTemplate
        self.authHeader = authHeader
        self.hasSecret = hasSecret
        self.from = from
        self.maxSegments = maxSegments
        self.updatedAt = updatedAt
    }
}

public struct SMSChannelInput: Codable, Sendable {
    public var provider: SMSChannelSettings.Provider
    public var url: String
    public var method: String?
    public var contentType: String?
    public var bodyTemplate: String?
    public var authHeader: String?
    /// nil keeps the one kept; "" removes it. generic: the auth header's value; twilio: the auth token.
    public var secret: String?
    public var from: String
    public var maxSegments: Int?
    public init(provider: SMSChannelSettings.Provider, url: String, method: String?, contentType: String?, bodyTemplate: String?, authHeader: String?,
                secret: String?, from: String, maxSegments: Int?) {
        self.provider = provider
        self.url = url
        self.method = method
        self.contentType = contentType
        self.bodyTemplate = bodyTemplate
        self.authHeader = authHeader
        self.secret = secret
        self.from = from
        self.maxSegments = maxSegments
    }
}

/// The SMS gateway's settings with the secret opened, for the delivery job only.
public struct SMSGateway: Sendable, Equatable {
    public var settings: SMSChannelSettings
    public var secret: String?
    public init(settings: SMSChannelSettings, secret: String?) {
        self.settings = settings
        self.secret = secret
    }
}

/// The SMS side of the channels.
public protocol SMSChannelService: Sendable {
    func sms(_ caller: Caller) async throws -> SMSChannelSettings?
    /// Throws: forbidden, invalid (each field named: url, method, content_type, body_template, from, max_segments).
    func setSMS(_ caller: Caller, _ input: SMSChannelInput) async throws -> SMSChannelSettings
    /// Throws: forbidden, notFound.
    func removeSMS(_ caller: Caller) async throws
    /// Sends a test text now and says how it went. Throws: forbidden, invalid (to), conflict (not set up).
    func testSMS(_ caller: Caller, to: String) async throws -> ChannelTestResult
}
