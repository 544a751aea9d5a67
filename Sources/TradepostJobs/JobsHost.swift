import TradepostCore
import TradepostDatabase

/// What the engine needs from the rest of the server, and nothing more: the data dir its own file
/// lives in, the tenants' databases (their outboxes) and the tenant list (per-tenant schedules, a
/// job started by hand for a tenant). The composition root builds it from the store.
public struct JobsHost: Sendable {
    public var dataDir: String
    public var tenantDatabases: TenantDatabases
    public var tenants: any TenantService

    public init(dataDir: String, tenantDatabases: TenantDatabases, tenants: any TenantService) {
        self.dataDir = dataDir
        self.tenantDatabases = tenantDatabases
        self.tenants = tenants
    }
}
