import Foundation

/// A tenant's id: also the name of its database file, `tenants/<id>.sqlite`.
public struct TenantID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public enum TenantStatus: String, Codable, Sendable, CaseIterable {
    case active
    /// Users get 403 `tenant_suspended`; nothing is deleted.
    case suspended
}

/// One company using the appliance, with its own database file.
public struct Tenant: Codable, Sendable, Equatable {
    public var id: TenantID
    public var slug: String
    public var name: String
    public var status: TenantStatus
    /// The slug of the tenant's plan.
    public var plan: String
    /// IANA time zone for schedules and reports, e.g. "Europe/Kyiv".
    public var timeZone: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: TenantID, slug: String, name: String, status: TenantStatus, plan: String, timeZone: String,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.status = status
        self.plan = plan
        self.timeZone = timeZone
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a tenant is allowed to use. Limits of nil mean unlimited.
public struct Plan: Codable, Sendable, Equatable {
    public var slug: String
    public var name: String
    public var maxUsers: Int?
    public var storageQuotaBytes: Int64?

    public init(slug: String, name: String, maxUsers: Int?, storageQuotaBytes: Int64?) {
        self.slug = slug
        self.name = name
        self.maxUsers = maxUsers
        self.storageQuotaBytes = storageQuotaBytes
    }
}

public struct NewTenant: Sendable {
    public var slug: String
    public var name: String
    public var plan: String
    public var timeZone: String

    public init(slug: String, name: String, plan: String = "standard", timeZone: String = "UTC") {
        self.slug = slug
        self.name = name
        self.plan = plan
        self.timeZone = timeZone
    }

    /// Normalizes and validates; throws `.invalid` listing every bad field.
    public func validated() throws -> NewTenant {
        var v = Validator()
        let slug = self.slug.trimmingCharacters(in: .whitespaces).lowercased()
        v.slug("slug", slug)
        let name = v.text("name", self.name, max: 120)
        if TimeZone(identifier: timeZone) == nil { v.fail("time_zone", "is not a known IANA time zone") }
        try v.check()
        return NewTenant(slug: slug, name: name, plan: plan, timeZone: timeZone)
    }
}

public struct TenantUpdate: Sendable {
    public var name: String?
    public var plan: String?
    public var timeZone: String?

    public init(name: String? = nil, plan: String? = nil, timeZone: String? = nil) {
        self.name = name
        self.plan = plan
        self.timeZone = timeZone
    }
}
