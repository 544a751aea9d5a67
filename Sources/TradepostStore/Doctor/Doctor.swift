import Foundation
import GRDB
import TradepostCore
import TradepostDatabase
#if canImport(Glibc)
import Glibc
#endif

/// Checks a data dir the way an operator would before trusting it: ownership and permissions,
/// free disk, every database's integrity and WAL size, and the clock against what was recorded.
/// Read-only: it never changes a file (safe while the server runs).
public struct Doctor {
    public var dataDir: String
    public var minFreeDiskMB: Int
    /// `quick_check` instead of `integrity_check` (skips index cross-checks on big databases).
    public var quick = false
    public var now = Date()
    /// A WAL this big means checkpoints cannot keep up (a reader that never ends, or no server).
    public var walWarnBytes: Int64 = 256 << 20

    public init(dataDir: String, minFreeDiskMB: Int) {
        self.dataDir = dataDir
        self.minFreeDiskMB = minFreeDiskMB
    }

    public func run() -> [DoctorFinding] {
        var out = permissions()
        out.append(disk())
        out += databases()
        out.append(clock())
        return out
    }

    func local(_ path: String) -> String { (dataDir as NSString).appendingPathComponent(path) }

    func permissions() -> [DoctorFinding] {
        var st = stat()
        guard stat(dataDir, &st) == 0 else {
            return [.init("data dir", .error, "\(dataDir) does not exist", fix: "run `tradepost serve` once, or pass --data DIR")]
        }
        var out: [DoctorFinding] = []
        let owner = st.st_uid
        if st.st_mode & 0o007 != 0 {
            // Writable by others: anyone can replace a database. Readable: anyone can copy one.
            out.append(.init("data dir", st.st_mode & 0o002 != 0 ? .error : .warning,
                             "\(dataDir) is open to other users (mode \(String(st.st_mode & 0o777, radix: 8)))",
                             fix: "chmod 0750 \(dataDir)"))
        }
        if getuid() != owner && getuid() != 0 {
            out.append(.init("data dir", .warning, "\(dataDir) belongs to uid \(owner), not to you (uid \(getuid()))",
                             fix: "run tradepost as the data dir's owner, e.g. sudo -u tradepost tradepost doctor"))
        }
        var foreign: [String] = []
        let walker = FileManager.default.enumerator(atPath: dataDir)
        while let name = walker?.nextObject() as? String {
            var f = stat()
            if lstat(local(name), &f) == 0, f.st_uid != owner { foreign.append(name) }
        }
        if !foreign.isEmpty {
            let owners = foreign.prefix(3).joined(separator: ", ")
            out.append(.init("ownership", .error, "\(foreign.count) file(s) not owned by the data dir's owner (uid \(owner)): \(owners)…",
                             fix: "chown -R \(owner):\(st.st_gid) \(dataDir)   (then run admin commands as that user)"))
        }
        var key = stat()
        if stat(local(SecretBox.fileName), &key) == 0, key.st_mode & 0o077 != 0 {
            out.append(.init("secret key", .error, "\(SecretBox.fileName) is readable by others (mode \(String(key.st_mode & 0o777, radix: 8)))",
                             fix: "chmod 0600 \(local(SecretBox.fileName))"))
        }
        if out.isEmpty { out.append(.init("data dir", .ok, "\(dataDir): owner uid \(owner), mode \(String(st.st_mode & 0o777, radix: 8)), every file the owner's")) }
        return out
    }

    func disk() -> DoctorFinding {
        var fs = statvfs()
        guard statvfs(dataDir, &fs) == 0 else { return .init("disk", .error, "cannot read the free space of \(dataDir)") }
        let free = Int64(fs.f_bavail) * Int64(fs.f_frsize), total = Int64(fs.f_blocks) * Int64(fs.f_frsize)
        let text = "\(free >> 20) MiB free of \(total >> 20) MiB"
        if free < Int64(minFreeDiskMB) << 20 {
            return .init("disk", .error, "\(text), below health.min_free_disk_mb (\(minFreeDiskMB)); /readyz reports unavailable",
                         fix: "free space or grow the disk; old snapshots and *.before-restore-* dirs are candidates")
        }
        if total > 0, free * 10 < total {
            return .init("disk", .warning, "\(text) (under 10%)", fix: "free space before it runs out")
        }
        return .init("disk", .ok, text)
    }

    func databaseFiles() -> [String] {
        let tenants = ((try? FileManager.default.contentsOfDirectory(atPath: local("tenants"))) ?? [])
            .filter { $0.hasSuffix(".sqlite") }.sorted().map { "tenants/\($0)" }
        return ([ControlDatabase.fileName, "jobs.sqlite"] + tenants).filter { FileManager.default.fileExists(atPath: local($0)) }
    }

    func databases() -> [DoctorFinding] {
        var out: [DoctorFinding] = []
        var healthy = 0
        for path in databaseFiles() {
            var config = Configuration()
            config.readonly = true
            config.busyMode = .timeout(DatabaseOpener.busyTimeout)
            do {
                let db = try DatabaseQueue(path: local(path), configuration: config)
                defer { try? db.close() }
                let rows = try db.read { try String.fetchAll($0, sql: quick ? "PRAGMA quick_check" : "PRAGMA integrity_check") }
                if rows != ["ok"] {
                    out.append(.init("database", .error, "\(path): \(rows.prefix(3).joined(separator: "; "))",
                                     fix: "stop the server and restore the newest good snapshot (tradepost snapshot verify, then tradepost restore)"))
                    continue
                }
                // A file the server would refuse to open answers every request to it with 503.
                if let migrator = Self.migrator(for: path), let problem = try db.read({ try migrator.problem($0) }) {
                    out.append(.init("schema", .error, "\(path): \(problem)",
                                     fix: "if tradepost was downgraded, install the version that wrote it again; otherwise stop the server "
                                        + "and restore the newest good snapshot (tradepost snapshot verify, then tradepost restore)"))
                    continue
                }
                if path.hasPrefix("tenants/"), let finding = try db.read({ try Self.stock($0, path: path) }) { out.append(finding) }
            } catch {
                out.append(.init("database", .error, "\(path) cannot be opened: \(error)", fix: "check its owner and mode; restore from a snapshot if it is damaged"))
                continue
            }
            if let wal = RawFile.size(local(path) + "-wal"), wal > walWarnBytes {
                out.append(.init("wal", .warning, "\(path)-wal is \(wal >> 20) MiB: checkpoints are not keeping up",
                                 fix: "restart the server (it checkpoints on close); look for a long-running reader such as a stuck snapshot"))
            }
            healthy += 1
        }
        if healthy > 0 {
            out.append(.init("database", .ok, "\(healthy) database(s) pass \(quick ? "quick_check" : "integrity_check") and match this binary's migrations"))
        }
        return out
    }

    /// A tenant whose stock counters differ from what its ledger adds up to.
    static func stock(_ db: Database, path: String) throws -> DoctorFinding? {
        guard try db.tableExists("stock_levels") else { return nil }
        let found = try StockReconciler.check(db)
        guard !found.drifts.isEmpty else { return nil }
        let tenant = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let first = found.drifts[0]
        return .init("stock", .warning, "\(path): \(found.drifts.count) stock counter(s) differ from the ledger (e.g. product \(first.productId) "
                        + "in warehouse \(first.warehouseId): \(first.counter) \(first.recorded), ledger says \(first.ledger))",
                     fix: "tradepost stock reconcile --tenant \(tenant) --repair")
    }

    /// The migrations a database file is held to (the jobs database checks its own in `JobsDatabase`).
    static func migrator(for path: String) -> Migrator? {
        if path == ControlDatabase.fileName { return ControlMigrations.migrator }
        return path.hasPrefix("tenants/") ? TenantMigrations.migrator : nil
    }

    /// No network here: the clock is checked against the newest time the data recorded. A clock
    /// behind it expires sessions, presigned URLs and schedules wrongly.
    func clock() -> DoctorFinding {
        var config = Configuration()
        config.readonly = true
        guard let control = try? DatabaseQueue(path: local(ControlDatabase.fileName), configuration: config) else {
            return .init("clock", .warning, "no control database to compare the clock with")
        }
        defer { try? control.close() }
        let newest = try? control.read { db in
            try Date.fetchOne(db, sql: "SELECT MAX(t) FROM (SELECT MAX(created_at) AS t FROM sessions UNION ALL SELECT MAX(applied_at) FROM schema_migrations)")
        }
        guard let recorded = newest ?? nil else {
            return .init("clock", .ok, "system clock \(ISO8601DateFormatter().string(from: now)) (nothing recorded to compare with)")
        }
        if recorded.timeIntervalSince(now) > 300 {
            return .init("clock", .error, "the system clock (\(ISO8601DateFormatter().string(from: now))) is behind data recorded at \(ISO8601DateFormatter().string(from: recorded))",
                         fix: "set the clock right and keep it synchronised (systemd-timesyncd or chrony)")
        }
        return .init("clock", .ok, "system clock \(ISO8601DateFormatter().string(from: now)), not behind the newest recorded time")
    }
}
