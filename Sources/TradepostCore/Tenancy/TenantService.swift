import Foundation

/// Tenants and plans, kept in the control database.
public protocol TenantService: Sendable {
    /// Creates the tenant and its database file (`tenants.manage`: platform admins), audited as the caller.
    /// Throws `.forbidden`, `.invalid` (bad slug, name, time zone or unknown plan) or `.conflict` (slug taken).
    func createTenant(_ caller: Caller, _ input: NewTenant) async throws -> Tenant

    /// The directory's entry, for the server's own lookups (routing a credential, quotas, jobs); a
    /// route that shows a tenant decides who may see it first. Throws `.notFound`.
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

    func plans() async throws -> [Plan]
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
