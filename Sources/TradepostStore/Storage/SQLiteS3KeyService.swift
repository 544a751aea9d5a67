import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// S3 access keys in `control.sqlite` (the listener finds a key's tenant before it knows the
/// tenant); creations and revocations are also written to the tenant's audit log.
public final class SQLiteS3KeyService: S3KeyService {
    let control: ControlDatabase
    let tenants: TenantDatabases
    let box: SecretBox
    let stats: StoreStats

    public init(control: ControlDatabase, tenants: TenantDatabases, box: SecretBox, stats: StoreStats) {
        self.control = control
        self.tenants = tenants
        self.box = box
        self.stats = stats
    }

    public func create(_ caller: Caller, name: String) async throws -> (key: S3AccessKey, secret: String) {
        let (tenant, audit) = (try caller.authorize(.storageManage), caller.audit)
        let name = name.trimmed()
        var v = Validator()
        if name.isEmpty || name.count > 100 || name.containsControlCharacter { v.fail("name", "must be 1 to 100 characters") }
        try v.check("The key is invalid")
        let accessKey = "TP" + Self.random(alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), count: 18)
        let secret = Self.random(alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"), count: 40)
        let sealed = try box.seal(secret, context: accessKey)
        let key = S3AccessKey(accessKey: accessKey, name: name, createdBy: audit.actorLabel ?? audit.actor, createdAt: Date(), lastUsedAt: nil, revokedAt: nil)
        try await mapErrors(stats) {
            try await control.pool.write { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE id = ?", arguments: [tenant.rawValue]) != nil else {
                    throw AppError.notFound("Tenant")
                }
                try db.execute(sql: """
                    INSERT INTO s3_keys (access_key, tenant_id, name, secret_sealed, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [accessKey, tenant.rawValue, name, sealed, key.createdBy, key.createdAt])
            }
            try await tenants.write(tenant) { db in
                try AuditLog.tenant(db, audit, "s3_key.create", target: accessKey, detail: ["name": name])
            }
        }
        return (key, secret)
    }

    public func list(_ caller: Caller) async throws -> [S3AccessKey] {
        let tenant = try caller.authorize(.storageManage)
        return try await mapErrors(stats) {
            try await control.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM s3_keys WHERE tenant_id = ? ORDER BY created_at DESC, access_key", arguments: [tenant.rawValue]).map {
                    S3AccessKey(accessKey: $0["access_key"], name: $0["name"], createdBy: $0["created_by"], createdAt: $0["created_at"],
                                lastUsedAt: $0["last_used_at"], revokedAt: $0["revoked_at"])
                }
            }
        }
    }

    public func revoke(_ caller: Caller, accessKey: String) async throws {
        let (tenant, audit) = (try caller.authorize(.storageManage), caller.audit)
        try await mapErrors(stats) {
            try await control.pool.write { db in
                try db.execute(sql: "UPDATE s3_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE access_key = ? AND tenant_id = ?",
                               arguments: [Date(), accessKey, tenant.rawValue])
                guard db.changesCount > 0 else { throw AppError.notFound("S3 key") }
            }
            try await tenants.write(tenant) { db in try AuditLog.tenant(db, audit, "s3_key.revoke", target: accessKey) }
        }
    }

    public func grant(accessKey: String) async throws -> S3KeyGrant? {
        guard accessKey.utf8.count <= 128 else { return nil }
        // Read on the calling thread: one indexed row, cheaper than a hop to GRDB's queue and back.
        let row = try control.pool.readOneStatementNow { db in
            try Row.fetchOne(db.cachedStatement(sql: """
                SELECT k.tenant_id, k.secret_sealed, t.status, p.storage_quota_bytes
                FROM s3_keys k JOIN tenants t ON t.id = k.tenant_id JOIN plans p ON p.slug = t.plan
                WHERE k.access_key = ? AND k.revoked_at IS NULL
                """), arguments: [accessKey])
        }
        guard let row else { return nil }
        let secret = try box.open(row["secret_sealed"], context: accessKey)
        return S3KeyGrant(tenant: TenantID(row["tenant_id"] as String), secret: secret,
                          tenantActive: (row["status"] as String) == "active", quotaBytes: row["storage_quota_bytes"])
    }

    /// Marks a key used, at most once a minute per key (a write per request would be wasteful).
    public func touch(accessKey: String) async {
        let now = Date()
        _ = try? await control.pool.write { db in
            try db.execute(sql: "UPDATE s3_keys SET last_used_at = ? WHERE access_key = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                           arguments: [now, accessKey, now.addingTimeInterval(-60)])
        }
    }

    static func random(alphabet: [Character], count: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }
}
