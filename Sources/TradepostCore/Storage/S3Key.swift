import Foundation

/// An S3 access key of one tenant. The secret is shown once, at creation.
public struct S3AccessKey: Sendable, Codable, Equatable {
    public var accessKey: String
    public var name: String
    public var createdBy: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(accessKey: String, name: String, createdBy: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.accessKey = accessKey
        self.name = name
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// What the S3 listener learns from an access key: whose it is and the secret to check signatures with.
public struct S3KeyGrant: Sendable {
    public var tenant: TenantID
    public var secret: String
    public var tenantActive: Bool
    /// The tenant plan's storage quota in bytes; nil means none.
    public var quotaBytes: Int64?

    public init(tenant: TenantID, secret: String, tenantActive: Bool, quotaBytes: Int64?) {
        self.tenant = tenant
        self.secret = secret
        self.tenantActive = tenantActive
        self.quotaBytes = quotaBytes
    }
}

public protocol S3KeyService: Sendable {
    /// Makes a key for the caller's tenant (`storage.manage`), audited as the caller; returns it
    /// with its secret (never retrievable again).
    /// Throws `.forbidden`, `.invalid` for an empty or over-long name, `.notFound` for an unknown tenant.
    func create(_ caller: Caller, name: String) async throws -> (key: S3AccessKey, secret: String)
    /// The caller's tenant's keys, newest first, revoked ones included. Throws `.forbidden`.
    func list(_ caller: Caller) async throws -> [S3AccessKey]
    /// Throws `.forbidden`, `.notFound` when the tenant has no such key (another tenant's key included).
    func revoke(_ caller: Caller, accessKey: String) async throws
    /// The live key's grant, or nil for an unknown or revoked key.
    func grant(accessKey: String) async throws -> S3KeyGrant?
    /// Marks a key used (its "last used" time), at most once a minute per key.
    func touch(accessKey: String) async
}
