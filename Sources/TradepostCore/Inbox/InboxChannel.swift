import Foundation

/// A channel customers write from: the tenant's Telegram bot (its private chats with people who are
/// not users) or a WhatsApp Cloud API number. Its conversations go to the staff of `businessId`.
public struct InboxChannel: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case telegram, whatsapp }

    public var id: String
    public var kind: Kind
    public var name: String
    public var businessId: String
    /// WhatsApp: the Cloud API's phone number id and the number as people see it.
    public var phoneNumberId: String?
    public var displayPhone: String?
    public var enabled: Bool
    /// Where the platform posts (WhatsApp: the callback URL to enter in Meta's app settings).
    public var webhookUrl: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, kind: Kind, name: String, businessId: String, phoneNumberId: String?, displayPhone: String?, enabled: Bool,
                webhookUrl: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.kind = kind
        self.name = name
        self.businessId = businessId
        self.phoneNumberId = phoneNumberId
        self.displayPhone = displayPhone
        self.enabled = enabled
        self.webhookUrl = webhookUrl
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Connecting or changing a channel. WhatsApp needs the number's id, an access token, the app
/// secret (to check each webhook's signature) and a verify token (for Meta's handshake); a secret
/// left out on a change is kept.
public struct InboxChannelInput: Codable, Sendable, Equatable {
    public var kind: InboxChannel.Kind?
    public var name: String?
    public var businessId: String?
    public var phoneNumberId: String?
    public var displayPhone: String?
    public var accessToken: String?
    public var appSecret: String?
    public var verifyToken: String?
    public var enabled: Bool?

    public init(kind: InboxChannel.Kind? = nil, name: String? = nil, businessId: String? = nil, phoneNumberId: String? = nil, displayPhone: String? = nil,
                accessToken: String? = nil, appSecret: String? = nil, verifyToken: String? = nil, enabled: Bool? = nil) {
        self.kind = kind
        self.name = name
        self.businessId = businessId
        self.phoneNumberId = phoneNumberId
        self.displayPhone = displayPhone
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.enabled = enabled
    }
}

/// A WhatsApp channel's secrets, sealed at rest as one JSON document.
public struct WhatsAppSecrets: Codable, Sendable, Equatable {
    public var accessToken: String
    public var appSecret: String
    public var verifyToken: String
    public init(accessToken: String, appSecret: String, verifyToken: String) {
        self.accessToken = accessToken
        self.appSecret = appSecret
        self.verifyToken = verifyToken
    }
}

/// What the connection test found.
public struct ChannelCheck: Codable, Sendable, Equatable {
    public var ok: Bool
    public var detail: String
    public init(ok: Bool, detail: String) {
        self.ok = ok
        self.detail = detail
    }
}
