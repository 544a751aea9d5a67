import Foundation
import GRDB
import TradepostCore
import TradepostDatabase
import TradepostJobs
import TradepostStore

/// Nightly upkeep of one tenant's database, at 02:00 in the tenant's own time zone.
public struct TenantMaintenance: JobPayload {
    public static let jobType = "tenant.maintenance"
    public init() {}
}

/// Drops sessions and API tokens that expired more than a week ago (daily, 03:00 UTC).
public struct CredentialCleanup: JobPayload {
    public static let jobType = "auth.cleanup"
    public init() {}
}

public enum BuiltinJobs {
    /// Upkeep every server runs: each tenant database's nightly optimize and checkpoint, and the
    /// credential cleanup.
    public static func register(_ registry: JobRegistry, store: Store) throws {
        registry.queue("maintenance", concurrency: 1)
        registry.register(TenantMaintenance.self, queue: "maintenance", maxAttempts: 3, timeout: .seconds(600), manual: true) { _, context in
            guard let tenant = context.tenant else { throw PermanentJobError("tenant maintenance needs a tenant") }
            try await store.pruneIdempotencyKeys(tenant)
            try await store.tenantDatabases.withPool(tenant) { pool in
                try await pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA optimize")
                    try db.checkpoint(.truncate)
                }
            }
        }
        try registry.schedule("tenant-maintenance", cron: "0 2 * * *", zone: .eachTenant, job: TenantMaintenance.self) { _ in
            TenantMaintenance()
        }
        registry.register(CredentialCleanup.self, queue: "maintenance", maxAttempts: 3, manual: true) { _, _ in
            try await store.pruneExpiredCredentials()
        }
        try registry.schedule("credential-cleanup", cron: "0 3 * * *", job: CredentialCleanup.self) { _ in CredentialCleanup() }
    }
}
