import Foundation

/// What an API token may do, on top of what its user's role allows.
public enum Scope: String, Codable, Sendable, CaseIterable, Comparable {
    /// Safe reads.
    case read
    /// Ordinary changes (own profile, catalog work, …).
    case write
    /// Administration: users, businesses, tenants.
    case admin

    var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }
    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rank < rhs.rank }
}

/// How a request proved who it is.
public enum Credential: Sendable, Equatable {
    case session(id: String)
    case apiToken(id: String)

    public var sessionID: String? {
        if case .session(let id) = self { return id }
        return nil
    }
}

/// The authenticated caller of a request: a platform admin or a user of one tenant.
public struct Principal: Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case platformAdmin = "platform_admin"
        case tenantUser = "tenant_user"
    }

    public var kind: Kind
    public var userID: String
    public var email: String
    public var name: String
    /// Set for tenant users only.
    public var tenantID: TenantID?
    public var tenantSlug: String?
    public var tenantName: String?
    public var role: TenantRole?
    public var userKind: UserKind?
    public var locale: String?
    /// A session carries every scope; an API token carries the scopes it was created with.
    public var scopes: Set<Scope>
    public var credential: Credential

    public init(
        kind: Kind, userID: String, email: String, name: String, tenantID: TenantID?, tenantSlug: String?,
        tenantName: String? = nil, role: TenantRole?, userKind: UserKind?, locale: String?, scopes: Set<Scope>,
        credential: Credential
    ) {
        self.kind = kind
        self.userID = userID
        self.email = email
        self.name = name
        self.tenantID = tenantID
        self.tenantSlug = tenantSlug
        self.tenantName = tenantName
        self.role = role
        self.userKind = userKind
        self.locale = locale
        self.scopes = scopes
        self.credential = credential
    }

    public var isPlatformAdmin: Bool { kind == .platformAdmin }

    /// The tenant of a tenant user; throws `.forbidden` for a platform admin.
    public func requireTenant() throws -> TenantID {
        guard let tenantID else { throw AppError.forbidden("This needs a tenant user's credential") }
        return tenantID
    }

    /// Which jobs the caller may see: all for a platform admin, their own tenant's otherwise.
    public var jobScope: JobScope {
        tenantID.map(JobScope.tenant) ?? .all
    }

    /// For the audit trail.
    public func audit(ip: String?) -> AuditContext {
        AuditContext(actor: (isPlatformAdmin ? "platform:" : "user:") + userID, actorLabel: email, ip: ip)
    }
}
