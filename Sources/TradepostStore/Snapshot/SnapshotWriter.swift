import Crypto
import Foundation
import GRDB
import TradepostDatabase
#if canImport(Glibc)
import Glibc
#endif

/// Writes a consistent online snapshot of a data dir (or of one tenant) into one tar archive.
///
/// Each database is copied with SQLite's online backup API in a single step: the step reads one
/// consistent snapshot under a read lock, and in WAL mode readers never block writers, so the
/// server keeps committing while it runs (never a raw copy of a live file). Blobs are immutable
/// files named by random ids; the `SnapshotHold` keeps every file a copied row names on disk until
/// the blobs are archived. Every entry's SHA-256 goes into the manifest, the archive's last entry.
/// The archive is written to `<out>.partial`, fsynced and renamed: a crash never leaves a torn
/// snapshot under the final name.
public struct SnapshotWriter {
    public var dataDir: String
    public var tenant: String?
    public var version: String
    public var progress: (SnapshotProgress) -> Void = { _ in }

    public init(dataDir: String, tenant: String? = nil, version: String) {
        self.dataDir = dataDir
        self.tenant = tenant
        self.version = version
    }

    public func write(to out: String) throws -> SnapshotManifest {
        guard FileManager.default.fileExists(atPath: (dataDir as NSString).appendingPathComponent(ControlDatabase.fileName)) else {
            throw SnapshotError.refused("no data dir at \(dataDir)", hint: "pass --data DIR")
        }
        let record = try tenant.map(findTenant)
        let tenantIDs = record.map { [$0.id] } ?? allTenantIDs()
        var databases = tenantIDs.map { "tenants/\($0).sqlite" }
        if record == nil { databases = [ControlDatabase.fileName, "jobs.sqlite"] + databases }
        databases = databases.filter { FileManager.default.fileExists(atPath: local($0)) }

        let partial = out + ".partial"
        let archive = try ArchiveWriter(path: partial)
        var succeeded = false
        defer {
            archive.file.close()
            if !succeeded { unlink(partial) }
        }
        var done: Int64 = 0
        var total: Int64 = 0
        for path in databases { total += (RawFile.size(local(path)) ?? 0) + (RawFile.size(local(path) + "-wal") ?? 0) }
        for id in tenantIDs { for path in blobFiles(id) { total += RawFile.size(local(path)) ?? 0 } }
        let report: (Int64, String) -> Void = { bytes, path in
            done += bytes
            // Blobs written after the estimate can take `done` past it; the total grows with it.
            progress(SnapshotProgress(doneBytes: done, totalBytes: max(total, done), path: path))
        }

        let hold = try SnapshotHold(dataDir: dataDir)
        defer { hold.release() }
        var files: [SnapshotManifest.File] = []
        let scratch = partial + ".db"
        defer { removeDatabase(scratch) }
        for path in databases {
            let schema = try backup(local(path), into: scratch)
            var entry = try archive.append(file: scratch, as: path) { report($0, path) }
            entry.schemaVersion = schema
            files.append(entry)
            removeDatabase(scratch)
        }
        // After the databases: every blob a copied row names exists now and stays until `hold` goes.
        for id in tenantIDs {
            for path in blobFiles(id) {
                files.append(try archive.append(file: local(path), as: path) { report($0, path) })
            }
        }
        if record == nil, FileManager.default.fileExists(atPath: local(SecretBox.fileName)) {
            files.append(try archive.append(file: local(SecretBox.fileName), as: SecretBox.fileName) { _ in })
        }
        hold.release()

        let manifest = SnapshotManifest(format: SnapshotManifest.currentFormat, tradepostVersion: version, createdAt: Date(),
                                        kind: record == nil ? .full : .tenant, tenant: record, files: files)
        try archive.append(data: Array(try SnapshotManifest.encoder.encode(manifest)), as: SnapshotManifest.fileName)
        try archive.finish()
        guard rename(partial, out) == 0 else { throw SnapshotError.io("cannot rename \(partial) to \(out): \(String(cString: strerror(errno)))") }
        RawFile.syncDirectory((out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent)
        succeeded = true
        return manifest
    }

    private func local(_ path: String) -> String { (dataDir as NSString).appendingPathComponent(path) }

    /// One consistent copy of a live database; returns its schema version.
    private func backup(_ source: String, into target: String) throws -> Int? {
        removeDatabase(target)
        var config = Configuration()
        config.busyMode = .timeout(DatabaseOpener.busyTimeout)
        config.readonly = true
        // Pages come from a memory map instead of one pread each (SQLite caps the map at ~2 GB).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA mmap_size = \(Int64(1) << 40)") }
        let from = try DatabaseQueue(path: source, configuration: config)
        defer { try? from.close() }
        // The copy is scratch, read once into the archive (which is fsynced) and deleted: no journal
        // and no fsync, or the backup's commit alone would push the whole copy to disk.
        var scratch = Configuration()
        scratch.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF") }
        let to = try DatabaseQueue(path: target, configuration: scratch)
        defer { try? to.close() }
        try from.backup(to: to)
        return try to.read { db in
            try db.tableExists("schema_migrations") ? Int.fetchOne(db, sql: "SELECT MAX(version) FROM schema_migrations") : nil
        }
    }

    private func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
    }

    private func allTenantIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: local("tenants"))) ?? []
        return names.filter { $0.hasSuffix(".sqlite") }.map { String($0.dropLast(".sqlite".count)) }.sorted()
    }

    /// Archive paths of a tenant's committed blob files (never `tmp/`: unfinished uploads).
    private func blobFiles(_ tenant: String) -> [String] {
        let objects = "blobs/\(tenant)/objects"
        var out: [String] = []
        for folder in ((try? FileManager.default.contentsOfDirectory(atPath: local(objects))) ?? []).sorted() {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: local("\(objects)/\(folder)"))) ?? []).sorted() {
                out.append("\(objects)/\(folder)/\(name)")
            }
        }
        return out
    }

    private func findTenant(_ selector: String) throws -> SnapshotManifest.Tenant {
        var config = Configuration()
        config.busyMode = .timeout(DatabaseOpener.busyTimeout)
        config.readonly = true
        let control = try DatabaseQueue(path: local(ControlDatabase.fileName), configuration: config)
        defer { try? control.close() }
        let row = try control.read { db in
            try Row.fetchOne(db, sql: "SELECT id, slug, name, status, plan, time_zone FROM tenants WHERE id = ? OR slug = ?",
                             arguments: [selector, selector])
        }
        guard let row else { throw SnapshotError.refused("no tenant \(selector)", hint: "see `tradepost tenant list`") }
        return .init(id: row["id"], slug: row["slug"], name: row["name"], status: row["status"], plan: row["plan"], timeZone: row["time_zone"])
    }
}

/// Appends files to a tar archive, hashing each on the way.
final class ArchiveWriter {
    let file: RawFile
    static let chunk = 4 << 20
    private var writeBehind: WriteBehind

    init(path: String) throws {
        file = try RawFile.create(path)
        writeBehind = WriteBehind(fd: file.fd)
    }

    func append(file path: String, as name: String, progress: (Int64) -> Void) throws -> SnapshotManifest.File {
        let source = try RawFile.open(path)
        defer { source.close() }
        var st = stat()
        guard fstat(source.fd, &st) == 0 else { throw SnapshotError.io("cannot stat \(path)") }
        let size = Int64(st.st_size)
        try file.write(try Tar.encode(.init(path: name, size: size, modified: Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec)))))
        var hash = SHA256()
        var copied: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunk, alignment: 4096)
        defer { buffer.deallocate() }
        while copied < size {
            let want = Int(min(Int64(Self.chunk), size - copied))
            let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
            guard n == want else { throw SnapshotError.io("\(path) shrank while it was archived") }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hash.update(bufferPointer: chunk)
            try file.write(chunk)
            writeBehind.wrote(n)
            copied += Int64(n)
            progress(Int64(n))
        }
        try file.write([UInt8](repeating: 0, count: Tar.padding(size)))
        writeBehind.wrote(Tar.block + Tar.padding(size))
        return .init(path: name, size: size, sha256: SnapshotManifest.hex(hash.finalize()), schemaVersion: nil)
    }

    func append(data: [UInt8], as name: String) throws {
        try file.write(try Tar.encode(.init(path: name, size: Int64(data.count))))
        try file.write(data)
        try file.write([UInt8](repeating: 0, count: Tar.padding(Int64(data.count))))
        writeBehind.wrote(Tar.block + data.count + Tar.padding(Int64(data.count)))
    }

    func finish() throws {
        try file.write([UInt8](repeating: 0, count: Tar.block * 2))
        try file.sync()
    }
}

/// Streams a big archive to disk while it is written (Linux `sync_file_range`, the classic
/// write-behind pattern): each finished 32 MiB window starts writing out, and the one before it is
/// waited for and dropped from the page cache. The final fsync then has little left to do, and the
/// scratch copies of databases (deleted right after archiving) mostly never reach the disk, where
/// a burst of dirty pages would otherwise have the kernel flush them too.
struct WriteBehind {
    typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    /// Looked up at run time: Swift's Glibc module leaves out this GNU extension.
    static let syncFileRange: SyncFileRange? = dlsym(nil, "sync_file_range").map { unsafeBitCast($0, to: SyncFileRange.self) }
    static let window: Int64 = 32 << 20
    let fd: Int32
    private var offset: Int64 = 0
    private var started: Int64 = 0
    private var previous: Range<Int64>?

    init(fd: Int32) { self.fd = fd }

    mutating func wrote(_ bytes: Int) {
        offset += Int64(bytes)
        guard let sync = Self.syncFileRange, offset - started >= Self.window else { return }
        _ = sync(fd, started, offset - started, 2)  // SYNC_FILE_RANGE_WRITE: start, do not wait
        if let previous {  // WAIT_BEFORE | WRITE | WAIT_AFTER: the window before is on disk
            _ = sync(fd, previous.lowerBound, Int64(previous.count), 1 | 2 | 4)
            _ = posix_fadvise(fd, off_t(previous.lowerBound), off_t(previous.count), POSIX_FADV_DONTNEED)
        }
        previous = started..<offset
        started = offset
    }
}
