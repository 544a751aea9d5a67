import Foundation

/// Something that happened in a tenant, written to that tenant's outbox in the same transaction
/// as the change itself, and delivered at least once to every handler subscribed to its topic.
public struct OutboxEvent: Codable, Sendable, Equatable {
    /// Increasing within the tenant's database.
    public var id: Int64
    public var tenant: TenantID
    /// e.g. "business.created"
    public var topic: String
    /// JSON text.
    public var payload: String
    public var createdAt: Date

    public init(id: Int64, tenant: TenantID, topic: String, payload: String, createdAt: Date) {
        self.id = id
        self.tenant = tenant
        self.topic = topic
        self.payload = payload
        self.createdAt = createdAt
    }

    /// Decodes the payload (snake_case JSON).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(payload.utf8))
    }
}

/// The topics tenant services publish.
public enum Topic {
    public static let userCreated = "user.created"
    public static let userUpdated = "user.updated"
    public static let userPasswordSet = "user.password_set"
    public static let businessCreated = "business.created"
    public static let businessUpdated = "business.updated"
    public static let businessMemberSet = "business.member_set"
    public static let businessMemberRemoved = "business.member_removed"
    /// A product was created, changed or deleted: `ProductEvent`.
    public static let productChanged = "product.changed"
    /// A category was created, renamed, moved or merged: `CategoryEvent`.
    public static let categoryChanged = "category.changed"
    /// A product under review was published or refused: `ProductReviewEvent`.
    public static let productApproved = "product.approved"
    public static let productRejected = "product.rejected"
    /// A tenant's job was given up after its last attempt: `JobFailedEvent` (its admins hear of it).
    public static let jobFailed = "job.failed"
    /// A notification was stored: the live socket and the delivery jobs follow (`NotificationEvent`).
    public static let notificationCreated = "notification.created"
    /// A message to a webhook endpoint is due: `WebhookDue`.
    public static let webhookDue = "webhook.due"
    /// The server switched an endpoint off (410, or failing for days); its tenant's admins hear of it.
    public static let webhookDisabled = "webhook.disabled"
    /// A notification's delivery on a channel other than the app is due: `DeliveryDue`.
    public static let notificationDue = "notification.due"
}

public struct ProductReviewEvent: Codable, Sendable, Equatable {
    public var productId: String
    public var businessId: String
    public var sku: String
    public var name: String
    public var reason: String?
    public init(productId: String, businessId: String, sku: String, name: String, reason: String?) {
        self.productId = productId
        self.businessId = businessId
        self.sku = sku
        self.name = name
        self.reason = reason
    }
}

public struct JobFailedEvent: Codable, Sendable, Equatable {
    public var jobId: Int64
    public var type: String
    public var error: String
    public init(jobId: Int64, type: String, error: String) {
        self.jobId = jobId
        self.type = type
        self.error = error
    }
}

/// Payload of `product.changed`.
public struct ProductEvent: Codable, Sendable, Equatable {
    public var productId: String
    public var deleted: Bool
    public init(productId: String, deleted: Bool) {
        self.productId = productId
        self.deleted = deleted
    }
}

/// Payload of `category.changed`.
public struct CategoryEvent: Codable, Sendable, Equatable {
    public var categoryId: String
    public init(categoryId: String) { self.categoryId = categoryId }
}

/// Payload of `user.*` events.
public struct UserEvent: Codable, Sendable, Equatable {
    public var userId: String
    public var email: String
    public var role: TenantRole
    public var kind: UserKind
    public var disabled: Bool

    public init(_ user: User) {
        userId = user.id
        email = user.email
        role = user.role
        kind = user.kind
        disabled = user.disabled
    }
}

/// Payload of `business.created` and `business.updated`.
public struct BusinessEvent: Codable, Sendable, Equatable {
    public var businessId: String
    public var name: String
    public var type: BusinessType
    public var city: String

    public init(_ business: Business) {
        businessId = business.id
        name = business.name
        type = business.type
        city = business.city
    }
}

/// Payload of `business.member_set` and `business.member_removed`.
public struct MemberEvent: Codable, Sendable, Equatable {
    public var businessId: String
    public var userId: String
    public var role: BusinessRole?

    public init(businessId: String, userId: String, role: BusinessRole?) {
        self.businessId = businessId
        self.userId = userId
        self.role = role
    }
}

extension Topic {
    /// A price-list import was requested: `CatalogImportEvent` (the jobs engine runs it).
    public static let catalogImportRequested = "catalog.import_requested"
    /// An import changed products of one business: `CatalogImportedEvent` (the search index follows).
    public static let catalogImported = "catalog.imported"
    /// A tenant's search index must be rebuilt from its products (written by a migration that
    /// changed the index's format); no payload.
    public static let searchIndexStale = "search.index_stale"
}

public struct CatalogImportEvent: Codable, Sendable, Equatable {
    public var importId: String
    public init(importId: String) { self.importId = importId }
}

/// Products of `businessId` updated at or after `since` changed in one import.
public struct CatalogImportedEvent: Codable, Sendable, Equatable {
    public var businessId: String
    public var since: Date
    public init(businessId: String, since: Date) {
        self.businessId = businessId
        self.since = since
    }
}
