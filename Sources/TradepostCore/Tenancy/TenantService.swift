import Foundation

/// Tenants and plans, kept in the control database.
public protocol TenantService: Sendable {
    /// Creates the tenant and its database file (`tenants.manage`: platform admins), audited as the
    /// caller, and, when `owner` is given, its first owner, checked before anything is made.
    /// Throws `.forbidden`, `.invalid` (bad slug, name, time zone or unknown plan; `owner.`-prefixed
    /// fields for a bad owner) or `.conflict` (slug taken).
    func createTenant(_ caller: Caller, _ input: NewTenant, owner: NewUser?) async throws -> CreatedTenant

    /// A tenant as the caller may see it: any, for a platform admin (`tenants.read`); their own, for
    /// a tenant's user (`tenant.read`), and no other (`.notFound`). Throws `.forbidden`, `.notFound`.
    func tenant(_ caller: Caller, id: TenantID) async throws -> Tenant

    /// The directory's entry, for the server's own lookups (routing a credential, jobs, a restore
    /// being checked); what a caller is shown comes from `tenant(_:id:)`. Throws `.notFound`.
    func tenant(id: TenantID) async throws -> Tenant

    /// Throws `.notFound`.
    func tenant(slug: String) async throws -> Tenant

    /// Tenants ordered by id (creation time); `status` filters when given (`tenants.read`).
    /// Throws `.forbidden`.
    func tenants(_ caller: Caller, _ page: PageRequest, status: TenantStatus?) async throws -> Page<Tenant>

    /// `tenants.manage`, audited as the caller. Throws `.forbidden`, `.notFound`, or `.invalid` for
    /// a bad name, plan or time zone.
    func updateTenant(_ caller: Caller, id: TenantID, _ update: TenantUpdate) async throws -> Tenant

    /// Suspends or resumes (`tenants.manage`, audited as the caller). Suspending revokes no data:
    /// the tenant's users get `.tenantSuspended`. Throws `.forbidden`, `.notFound`.
    func setStatus(_ caller: Caller, id: TenantID, _ status: TenantStatus) async throws -> Tenant

    /// The plans a tenant can be on (`tenants.read`). Throws `.forbidden`.
    func plans(_ caller: Caller) async throws -> [Plan]

    /// The storage quota of the tenant's plan in bytes, nil for none: the server's own lookup for uploads.
    /// Throws `.notFound`.
    func storageQuota(_ id: TenantID) async throws -> Int64?

    /// A tenant's users, for a platform admin (`tenants.read`). Throws `.forbidden`, `.notFound`.
    func users(_ caller: Caller, tenant: TenantID, _ page: PageRequest) async throws -> Page<User>

    /// Adds a user to a tenant as a platform admin (`tenants.manage`), audited in the tenant as them.
    /// Throws `.forbidden`, `.notFound`, and what `UserService.createUser` throws.
    func createUser(_ caller: Caller, tenant: TenantID, _ input: NewUser) async throws -> CreatedUser
}

extension TenantService {
    /// A tenant without an owner yet.
    public func createTenant(_ caller: Caller, _ input: NewTenant) async throws -> Tenant {
        try await createTenant(caller, input, owner: nil).tenant
    }
}

/// A new tenant and, when one was asked for, its first owner.
public struct CreatedTenant: Sendable {
    public var tenant: Tenant
    public var owner: CreatedUser?
    public init(tenant: Tenant, owner: CreatedUser?) {
        self.tenant = tenant
        self.owner = owner
    }
}

/// Who made a change and from where, for the audit trail.
public struct AuditContext: Sendable, Equatable {
    /// "platform:<id>", "user:<id>", "cli" or "system".
    public var actor: String
    public var actorLabel: String?
    public var ip: String?

    public init(actor: String, actorLabel: String? = nil, ip: String? = nil) {
        self.actor = actor
        self.actorLabel = actorLabel
        self.ip = ip
    }

    public static let cli = AuditContext(actor: "cli", actorLabel: "command line")
    public static let system = AuditContext(actor: "system")
}
