import Foundation
import GRDB
import TradepostDatabase
#if canImport(Glibc)
import Glibc
#endif

/// Restores a full snapshot into a data dir that no server is using.
///
/// Everything lands in `<dir>.restoring` first: unpacked, checked against the manifest,
/// `integrity_check`ed, migrated to this binary's schema and synced to disk. Only then does it
/// take the data dir's name, so a failed restore leaves the old dir (or none) exactly as it was.
/// `force` moves a non-empty data dir aside to `<dir>.before-restore-<time>` instead of refusing.
public struct SnapshotRestorer {
    public var archive: String
    public var dataDir: String
    public var force = false
    public var progress: (SnapshotProgress) -> Void = { _ in }
    /// Runs on the unpacked dir before it goes live, for databases this module does not own (jobs).
    public var migrateOthers: (String) throws -> Void = { _ in }

    public init(archive: String, dataDir: String) {
        self.archive = archive
        self.dataDir = dataDir
    }

    public struct Result: Encodable, Sendable {
        public var manifest: SnapshotManifest
        public var dataDir: String
        public var movedAside: String?
        /// Database path → (schema in the snapshot, schema now) for those a migration changed.
        public var migrated: [String: [Int]]
    }

    public func restore() throws -> Result {
        let target = (dataDir as NSString).standardizingPath
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
        let occupied = existing.contains { $0 != DataDirLock.fileName }
        if occupied && !force {
            throw SnapshotError.refused("\(target) is not empty", hint: "restore into a new directory, or pass --force to move this one aside first")
        }
        // A running server holds this lock; restoring under it would pull its files away.
        let lock: DataDirLock? = FileManager.default.fileExists(atPath: target) ? try {
            do { return try DataDirLock(dataDir: target) } catch {
                throw SnapshotError.refused("\(error)", hint: "stop the server first (systemctl stop tradepost)")
            }
        }() : nil
        defer { withExtendedLifetime(lock) {} }

        let staging = target + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        var live = false
        defer { if !live { try? FileManager.default.removeItem(atPath: staging) } }

        var reader = SnapshotReader(path: archive)
        reader.progress = progress
        let manifest = try reader.extract(into: staging)
        guard manifest.kind == .full else {
            throw SnapshotError.refused("this snapshot holds one tenant (\(manifest.tenant?.slug ?? "?")), not a whole data dir",
                                        hint: "bring it into a running box with `tradepost tenant import FILE`")
        }
        let migrated = try migrate(staging, manifest)
        try migrateOthers(staging)
        syncAll()

        var aside: String?
        if occupied {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            aside = "\(target).before-restore-\(stamp)"
            guard rename(target, aside!) == 0 else { throw SnapshotError.io("cannot move \(target) aside: \(String(cString: strerror(errno)))") }
        } else if FileManager.default.fileExists(atPath: target) {
            try FileManager.default.removeItem(atPath: target)
        }
        guard rename(staging, target) == 0 else { throw SnapshotError.io("cannot move the restored dir into \(target): \(String(cString: strerror(errno)))") }
        live = true
        RawFile.syncDirectory((target as NSString).deletingLastPathComponent)
        return Result(manifest: manifest, dataDir: target, movedAside: aside, migrated: migrated)
    }

    /// Brings the control and tenant databases to this binary's schema (a snapshot from an older
    /// version); a snapshot from a newer version is refused by the migrator's own check.
    private func migrate(_ dir: String, _ manifest: SnapshotManifest) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for file in manifest.files where file.isDatabase && file.path != "jobs.sqlite" {
            let path = (dir as NSString).appendingPathComponent(file.path)
            let pool = try DatabaseOpener.openPool(path: path, label: file.path, readers: 1)
            defer { pool.checkpointAndClose() }
            let migrator = file.path == ControlDatabase.fileName ? ControlMigrations.migrator : TenantMigrations.migrator
            let applied = try migrator.migrate(pool)
            if !applied.isEmpty { out[file.path] = [file.schemaVersion ?? 0, try migrator.currentVersion(pool)] }
        }
        return out
    }

    /// One `sync` (Linux waits for it to finish) makes every unpacked file durable before the
    /// rename publishes them, instead of an fsync per blob.
    private func syncAll() {
        Glibc.sync()
    }
}
