import Foundation
import GRDB
import TradepostCore
#if canImport(Glibc)
import Glibc
#endif

/// Brings one tenant from a single-tenant snapshot (`snapshot --tenant`, `tenant export`) into a
/// data dir: as a new tenant (`tenant import`, safe while the server runs: its files are in place
/// before the control-database row that makes it exist), or replacing the same tenant
/// (`restore --tenant`, only with the server stopped; the replaced files are kept aside).
///
/// The archive is unpacked and checked into `<data>/.import-<id>`, the database migrated to this
/// binary's schema and checked to belong to that tenant, and only then are the files renamed into
/// place and the row written. Sessions, API tokens and S3 keys stay behind (they live in the other
/// box's control database); users sign in again with their passwords.
public struct TenantImporter {
    public var archive: String
    public var dataDir: String
    /// A new slug for the tenant (import only), when the original is taken here.
    public var slug: String?
    /// Replace the tenant with the same id instead of adding a new one.
    public var replace = false
    /// The tenant (slug or id) the caller means; a snapshot of another tenant is refused.
    public var expected: String?
    public var progress: (SnapshotProgress) -> Void = { _ in }

    public init(archive: String, dataDir: String) {
        self.archive = archive
        self.dataDir = dataDir
    }

    public struct Result: Encodable, Sendable {
        public var tenant: SnapshotManifest.Tenant
        public var replaced: Bool
        public var keptAside: String?
        public var schemaVersion: Int
    }

    public func run() throws -> Result {
        let staging = (dataDir as NSString).appendingPathComponent(".import-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var reader = SnapshotReader(path: archive)
        reader.progress = progress
        let manifest = try reader.extract(into: staging)
        guard manifest.kind == .tenant, var record = manifest.tenant, Identifier.isValid(record.id) else {
            throw SnapshotError.refused("this snapshot holds a whole data dir, not one tenant", hint: "restore it with `tradepost restore FILE --data DIR`")
        }
        if let expected, expected != record.slug && expected != record.id {
            throw SnapshotError.refused("the snapshot holds tenant \(record.slug) (\(record.id)), not \(expected)", hint: "check the file name")
        }
        if let slug { record.slug = slug }

        let control = try ControlDatabase(dataDir: dataDir)
        defer { control.close() }
        let existing = try control.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, slug FROM tenants WHERE id = ? OR slug = ?", arguments: [record.id, record.slug])
        }
        var lock: DataDirLock?
        if replace {
            guard let existing, existing["id"] as String == record.id else {
                throw SnapshotError.refused("tenant \(record.slug) (\(record.id)) does not exist here", hint: "add it with `tradepost tenant import FILE`")
            }
            do { lock = try DataDirLock(dataDir: dataDir) } catch {
                throw SnapshotError.refused("\(error)", hint: "stop the server to restore one tenant (systemctl stop tradepost), or import it as a new tenant")
            }
        } else if let existing {
            throw existing["id"] as String == record.id
                ? SnapshotError.refused("tenant \(record.id) already exists here", hint: "replace it with `tradepost restore FILE --tenant \(record.slug)` (server stopped)")
                : SnapshotError.refused("the slug \(record.slug) is taken here", hint: "pass --slug NEW")
        }
        defer { withExtendedLifetime(lock) {} }

        let tenantFile = "tenants/\(record.id).sqlite"
        let version = try prepareDatabase((staging as NSString).appendingPathComponent(tenantFile), id: record.id)
        var aside: String?
        if replace {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            aside = (dataDir as NSString).appendingPathComponent("tenant-\(record.slug)-before-restore-\(stamp)")
            try FileManager.default.createDirectory(atPath: aside! + "/tenants", withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: local(tenantFile) + suffix) {
                try move(local(tenantFile) + suffix, aside! + "/" + tenantFile + suffix)
            }
            if FileManager.default.fileExists(atPath: local("blobs/\(record.id)")) {
                try FileManager.default.createDirectory(atPath: aside! + "/blobs", withIntermediateDirectories: true)
                try move(local("blobs/\(record.id)"), aside! + "/blobs/\(record.id)")
            }
        } else if FileManager.default.fileExists(atPath: local(tenantFile)) || FileManager.default.fileExists(atPath: local("blobs/\(record.id)")) {
            throw SnapshotError.refused("files of tenant \(record.id) are already in \(dataDir) without a tenant row", hint: "move them away first")
        }
        try FileManager.default.createDirectory(atPath: local("tenants"), withIntermediateDirectories: true)
        try move((staging as NSString).appendingPathComponent(tenantFile), local(tenantFile))
        if FileManager.default.fileExists(atPath: staging + "/blobs/\(record.id)") {
            try FileManager.default.createDirectory(atPath: local("blobs"), withIntermediateDirectories: true)
            try move(staging + "/blobs/\(record.id)", local("blobs/\(record.id)"))
        }
        Glibc.sync()
        try control.pool.write { db in
            if replace {
                try AuditLog.platform(db, .cli, "tenant.restore", target: record.id, detail: ["slug": record.slug, "snapshot": manifest.createdAt.ISO8601Format()])
            } else {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM plans WHERE slug = ?", arguments: [record.plan]) == true else {
                    throw SnapshotError.refused("the plan \(record.plan) does not exist here", hint: "create it, or change the tenant's plan after importing")
                }
                try db.execute(sql: """
                    INSERT INTO tenants (id, slug, name, status, plan, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.id, record.slug, record.name, record.status, record.plan, record.timeZone, Date(), Date()])
                try AuditLog.platform(db, .cli, "tenant.import", target: record.id, detail: ["slug": record.slug, "name": record.name])
            }
        }
        return Result(tenant: record, replaced: replace, keptAside: aside, schemaVersion: version)
    }

    private func local(_ path: String) -> String { (dataDir as NSString).appendingPathComponent(path) }

    private func move(_ from: String, _ to: String) throws {
        guard rename(from, to) == 0 else { throw SnapshotError.io("cannot move \(from) to \(to): \(String(cString: strerror(errno)))") }
    }

    /// Migrates the unpacked database and checks it is stamped with the tenant's id.
    private func prepareDatabase(_ path: String, id: String) throws -> Int {
        let pool = try DatabaseOpener.openPool(path: path, label: "import", readers: 1)
        defer { pool.checkpointAndClose() }
        try TenantMigrations.migrator.migrate(pool)
        let stamped = try pool.read { try String.fetchOne($0, sql: "SELECT value FROM settings WHERE key = 'tenant_id'") }
        guard stamped == id else { throw SnapshotError.damaged("the database belongs to tenant \(stamped ?? "?"), not \(id)") }
        return try TenantMigrations.migrator.currentVersion(pool)
    }
}
