import Foundation

/// Tenants and plans, kept in the control database.
public protocol TenantService: Sendable {
    /// Creates the tenant and its database file.
    /// Throws `.invalid` (bad slug, name, time zone or unknown plan) or `.conflict` (slug taken).
    func createTenant(_ input: NewTenant, audit: AuditContext) async throws -> Tenant

    /// Throws `.notFound`.
    func tenant(id: TenantID) async throws -> Tenant

    /// Throws `.notFound`.
    func tenant(slug: String) async throws -> Tenant

    /// Tenants ordered by id (creation time); `status` filters when given.
    func tenants(_ page: PageRequest, status: TenantStatus?) async throws -> Page<Tenant>

    /// Throws `.notFound`, or `.invalid` for a bad name, plan or time zone.
    func updateTenant(id: TenantID, _ update: TenantUpdate, audit: AuditContext) async throws -> Tenant

    /// Suspends or resumes. Suspending revokes no data: the tenant's users get `.tenantSuspended`.
    /// Throws `.notFound`.
    func setStatus(id: TenantID, _ status: TenantStatus, audit: AuditContext) async throws -> Tenant

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
