import Foundation
import GRDB
import Synchronization
import TradepostCore
import TradepostDatabase
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
    /// Who the platform audit trail names (the CLI, or the admin calling the API).
    public var audit: AuditContext = .cli
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

    /// What `prepare` checked and staged, ready to be moved into place.
    struct Staged: Sendable {
        var staging: String
        var manifest: SnapshotManifest
        var record: SnapshotManifest.Tenant
        var version: Int
        var tenantFile: String { "tenants/\(record.id).sqlite" }
    }

    /// Offline: a new tenant (any time), or replacing one with the server stopped (takes its lock).
    public func run() throws -> Result {
        let control = try ControlDatabase(dataDir: dataDir)
        defer { control.close() }
        let staged = try prepare(control)
        defer { try? FileManager.default.removeItem(atPath: staged.staging) }
        var lock: DataDirLock?
        if replace {
            do { lock = try DataDirLock(dataDir: dataDir) } catch {
                throw SnapshotError.refused("\(error)", hint: "stop the server, or restore through the running server: POST /api/v1/admin/tenants/{id}/restore")
            }
        }
        defer { withExtendedLifetime(lock) {} }
        let aside = try Self.install(staged, dataDir: dataDir, replace: replace)
        try record(staged, control, previousStatus: nil)
        return Result(tenant: staged.record, replaced: replace, keptAside: aside, schemaVersion: staged.version)
    }

    /// In a running server: the tenant is suspended (its users get 403), its database closed once
    /// in-flight work finishes, the files swapped, and the tenant resumed as it was.
    public func runLive(tenants: TenantDatabases, control: ControlDatabase) async throws -> Result {
        precondition(replace, "a live import of a new tenant needs no swap: use run()")
        let staged = try prepare(control)
        defer { try? FileManager.default.removeItem(atPath: staged.staging) }
        let id = staged.record.id
        let previous = try await control.pool.write { db -> String in
            let status = try String.fetchOne(db, sql: "SELECT status FROM tenants WHERE id = ?", arguments: [id]) ?? "active"
            try db.execute(sql: "UPDATE tenants SET status = 'suspended', updated_at = ? WHERE id = ?", arguments: [Date(), id])
            return status
        }
        do {
            let box = Mutex<String?>(nil), dataDir = dataDir
            try await tenants.exclusive(TenantID(id)) {
                let aside = try Self.install(staged, dataDir: dataDir, replace: true)
                box.withLock { $0 = aside }
            }
            try record(staged, control, previousStatus: previous)
            return Result(tenant: staged.record, replaced: true, keptAside: box.withLock { $0 }, schemaVersion: staged.version)
        } catch {
            try? await control.pool.write { db in
                try db.execute(sql: "UPDATE tenants SET status = ?, updated_at = ? WHERE id = ?", arguments: [previous, Date(), id])
            }
            throw error
        }
    }

    /// Unpacks and checks the archive, and migrates its database, without touching the data dir.
    func prepare(_ control: ControlDatabase) throws -> Staged {
        let staging = (dataDir as NSString).appendingPathComponent(".import-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        do {
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
            let existing = try control.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT id, slug FROM tenants WHERE id = ? OR slug = ?", arguments: [record.id, record.slug])
            }
            if replace {
                guard let existing, existing["id"] as String == record.id else {
                    throw SnapshotError.refused("tenant \(record.slug) (\(record.id)) does not exist here", hint: "add it with `tradepost tenant import FILE`")
                }
            } else if let existing {
                throw existing["id"] as String == record.id
                    ? SnapshotError.refused("tenant \(record.id) already exists here", hint: "replace it with `tradepost restore FILE --tenant \(record.slug)`")
                    : SnapshotError.refused("the slug \(record.slug) is taken here", hint: "pass --slug NEW")
            }
            let version = try prepareDatabase((staging as NSString).appendingPathComponent("tenants/\(record.id).sqlite"), id: record.id)
            return Staged(staging: staging, manifest: manifest, record: record, version: version)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Moves the staged files into place (the replaced ones aside); returns where those went.
    static func install(_ staged: Staged, dataDir: String, replace: Bool) throws -> String? {
        let id = staged.record.id, tenantFile = staged.tenantFile
        let local = { (path: String) in (dataDir as NSString).appendingPathComponent(path) }
        var aside: String?
        if replace {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            var candidate = local("tenant-\(staged.record.slug)-before-restore-\(stamp)")
            var n = 1
            while FileManager.default.fileExists(atPath: candidate) {  // two restores in one second
                n += 1
                candidate = local("tenant-\(staged.record.slug)-before-restore-\(stamp)-\(n)")
            }
            aside = candidate
            try FileManager.default.createDirectory(atPath: aside! + "/tenants", withIntermediateDirectories: true)
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: local(tenantFile) + suffix) {
                try move(local(tenantFile) + suffix, aside! + "/" + tenantFile + suffix)
            }
            if FileManager.default.fileExists(atPath: local("blobs/\(id)")) {
                try FileManager.default.createDirectory(atPath: aside! + "/blobs", withIntermediateDirectories: true)
                try move(local("blobs/\(id)"), aside! + "/blobs/\(id)")
            }
        } else if FileManager.default.fileExists(atPath: local(tenantFile)) || FileManager.default.fileExists(atPath: local("blobs/\(id)")) {
            throw SnapshotError.refused("files of tenant \(id) are already in \(dataDir) without a tenant row", hint: "move them away first")
        }
        try FileManager.default.createDirectory(atPath: local("tenants"), withIntermediateDirectories: true)
        try move((staged.staging as NSString).appendingPathComponent(tenantFile), local(tenantFile))
        if FileManager.default.fileExists(atPath: staged.staging + "/blobs/\(id)") {
            try FileManager.default.createDirectory(atPath: local("blobs"), withIntermediateDirectories: true)
            try move(staged.staging + "/blobs/\(id)", local("blobs/\(id)"))
        }
        Glibc.sync()
        return aside
    }

    /// The control-database side: a new tenant's row, or the replaced tenant's status back; audited.
    func record(_ staged: Staged, _ control: ControlDatabase, previousStatus: String?) throws {
        let record = staged.record
        try control.pool.write { db in
            if replace {
                if let previousStatus {
                    try db.execute(sql: "UPDATE tenants SET status = ?, updated_at = ? WHERE id = ?", arguments: [previousStatus, Date(), record.id])
                }
                try AuditLog.platform(db, audit, "tenant.restore", target: record.id,
                                      detail: ["slug": record.slug, "snapshot": staged.manifest.createdAt.ISO8601Format()])
            } else {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM plans WHERE slug = ?", arguments: [record.plan]) == true else {
                    throw SnapshotError.refused("the plan \(record.plan) does not exist here", hint: "create it, or change the tenant's plan after importing")
                }
                try db.execute(sql: """
                    INSERT INTO tenants (id, slug, name, status, plan, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.id, record.slug, record.name, record.status, record.plan, record.timeZone, Date(), Date()])
                try AuditLog.platform(db, audit, "tenant.import", target: record.id, detail: ["slug": record.slug, "name": record.name])
            }
        }
    }


    private static func move(_ from: String, _ to: String) throws {
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
