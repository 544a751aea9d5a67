import Foundation

/// What putting a tenant back from its archive did.
public struct TenantRestoreResult: Encodable, Sendable, Equatable {
    /// The tenant as the archive recorded it.
    public struct Restored: Encodable, Sendable, Equatable {
        public var id: String
        public var slug: String
        public var name: String
        public var status: String
        public var plan: String
        public var timeZone: String

        public init(id: String, slug: String, name: String, status: String, plan: String, timeZone: String) {
            (self.id, self.slug, self.name, self.status, self.plan, self.timeZone) = (id, slug, name, status, plan, timeZone)
        }
    }

    public var tenant: Restored
    public var replaced: Bool
    /// Where the replaced files are, inside the data dir.
    public var keptAside: String?
    public var schemaVersion: Int

    public init(tenant: Restored, replaced: Bool, keptAside: String?, schemaVersion: Int) {
        (self.tenant, self.replaced, self.keptAside, self.schemaVersion) = (tenant, replaced, keptAside, schemaVersion)
    }
}

/// Restoring one tenant in the running server from a single-tenant snapshot (`tradepost tenant
/// export`, `snapshot --tenant`). The service owns the data dir: where an archive is received and
/// how its files are swapped in.
public protocol TenantRestoreService: Sendable {
    /// A new path inside the data dir (on the disk the tenant's files are swapped on) to receive an
    /// archive in, for a caller who may restore this tenant (`tenants.manage`): asked before the
    /// first byte, so a refused upload is not received. Throws `.forbidden`, `.notFound`.
    func archivePath(_ caller: Caller, tenant: TenantID) async throws -> String

    /// Suspends the tenant, closes its database once in-flight work finishes, swaps its files for the
    /// archive's (keeping the old ones aside in the data dir) and resumes it; other tenants never notice.
    /// Decides `tenants.manage` again and audits as the caller. Throws `.forbidden`, `.notFound` (no
    /// such tenant), `.conflict` (the archive holds another tenant, or is refused), `.invalid` (a
    /// damaged or unreadable archive).
    func restoreLive(_ caller: Caller, tenant: TenantID, archive: String) async throws -> TenantRestoreResult
}
