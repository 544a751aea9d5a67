import Foundation

/// A customer who writes from a channel, found or made from each inbound message; optionally tied
/// to a buyer business (and so to its people and orders). Two contacts that are one person merge.
public struct Contact: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var phone: String?
    public var telegramId: Int64?
    public var whatsappId: String?
    /// "en", "uk" or "ru": the language auto-replies and campaigns use.
    public var language: String?
    public var tags: [String]
    public var notes: String?
    public var businessId: String?
    /// Asked not to be sent campaigns.
    public var optedOut: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, phone: String?, telegramId: Int64?, whatsappId: String?, language: String?, tags: [String], notes: String?,
                businessId: String?, optedOut: Bool, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.phone = phone
        self.telegramId = telegramId
        self.whatsappId = whatsappId
        self.language = language
        self.tags = tags
        self.notes = notes
        self.businessId = businessId
        self.optedOut = optedOut
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A change to a contact; a field left out is kept, an empty string clears it.
public struct ContactInput: Codable, Sendable, Equatable {
    public var name: String?
    public var phone: String?
    public var language: String?
    public var tags: [String]?
    public var notes: String?
    public var businessId: String?
    public var optedOut: Bool?
    public init(name: String? = nil, phone: String? = nil, language: String? = nil, tags: [String]? = nil, notes: String? = nil,
                businessId: String? = nil, optedOut: Bool? = nil) {
        self.name = name
        self.phone = phone
        self.language = language
        self.tags = tags
        self.notes = notes
        self.businessId = businessId
        self.optedOut = optedOut
    }
}

/// A contact with everything about them in one place: their channel conversations and their
/// business's orders.
public struct ContactDetail: Codable, Sendable, Equatable {
    public var contact: Contact
    public var conversations: [InboxConversation]
    /// The latest orders of the contact's business as a buyer (none without a business).
    public var orderIds: [String]
    public init(contact: Contact, conversations: [InboxConversation], orderIds: [String]) {
        self.contact = contact
        self.conversations = conversations
        self.orderIds = orderIds
    }
}

public struct ContactFilter: Sendable, Equatable {
    public var query: String?
    public var tag: String?
    public init(query: String? = nil, tag: String? = nil) {
        self.query = query
        self.tag = tag
    }
}
