import Foundation
import TradepostCore
import TradepostDatabase
#if canImport(Glibc)
import Glibc
#endif

/// Object bytes on disk: `blobs/<tenant>/objects/<aa>/<blob-id>`, immutable once written.
///
/// Keys never become paths: a key lives only in the tenant database, which points at a random
/// blob id, so no key (`../x`, NUL, 1,000 bytes of `/`) can reach outside the tenant's folder, and
/// `a` and `a/b` can both be objects. A write goes to `tmp/`, is fsynced, renamed into place and
/// its folder fsynced before the database row that names it commits: a crash leaves the old
/// object or the new one, never a torn one. Copies are hard links (files never change in place).
public final class BlobFiles: Sendable {
    public let root: String

    /// Folders are made on first write, so opening costs nothing.
    public init(dataDir: String) {
        root = (dataDir as NSString).appendingPathComponent("blobs")
    }

    public func tenantDirectory(_ tenant: String) -> String { (root as NSString).appendingPathComponent(tenant) }

    /// The file of one blob; nil for an id that is not one of ours (never a path outside the folder).
    public func path(tenant: String, blob: String) -> String? {
        guard Self.isBlobID(blob), Self.isSafeComponent(tenant) else { return nil }
        return "\(tenantDirectory(tenant))/objects/\(blob.prefix(2))/\(blob)"
    }

    static func isBlobID(_ id: String) -> Bool {
        id.utf8.count == 32 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func isSafeComponent(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count < 100 && s.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    static func newBlobID() -> String {
        var g = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &g) })
    }

    /// Starts a new blob in the tenant's `tmp/`.
    func writer(tenant: String, digests: BodyDigests) throws -> BlobWriter {
        guard Self.isSafeComponent(tenant) else { throw BlobIOError("\(tenant) is not a tenant id") }
        let tmp = "\(tenantDirectory(tenant))/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let id = Self.newBlobID()
        let tmpPath = "\(tmp)/\(id)"
        let fd = open(tmpPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw BlobIOError("cannot create \(tmpPath): \(String(cString: strerror(errno)))") }
        return BlobWriter(files: self, tenant: tenant, id: id, fd: fd, tmpPath: tmpPath, digests: digests)
    }

    /// Moves a finished temporary file into place, durably. Returns the blob id.
    func install(tenant: String, id: String, tmpPath: String) throws {
        guard let final = path(tenant: tenant, blob: id) else { throw BlobIOError("\(id) is not a blob id") }
        let folder = (final as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            Self.syncDirectory((folder as NSString).deletingLastPathComponent)
        }
        guard rename(tmpPath, final) == 0 else { throw BlobIOError("cannot rename into \(final): \(String(cString: strerror(errno)))") }
        Self.syncDirectory(folder)
    }

    /// A second name for an existing blob (CopyObject, UploadPartCopy of a whole object).
    public func link(tenant: String, blob: String) throws -> String {
        guard let source = path(tenant: tenant, blob: blob) else { throw BlobError.missingBytes(blob) }
        let id = Self.newBlobID()
        guard let target = path(tenant: tenant, blob: id) else { throw BlobIOError("\(tenant) is not a tenant id") }
        let folder = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard Glibc.link(source, target) == 0 else {
            if errno == ENOENT { throw BlobError.missingBytes(blob) }
            throw BlobIOError("cannot link \(source): \(String(cString: strerror(errno)))")
        }
        Self.syncDirectory(folder)
        return id
    }

    /// Deletes a blob's file, unless a snapshot is copying blobs: then the file stays and the
    /// orphan sweep removes it later (a row in the snapshot's database copy may name it).
    public func remove(tenant: String, blob: String) {
        remove(tenant: tenant, blobs: [blob])
    }

    /// Several at once: the snapshot hold is asked once, not once per file.
    public func remove(tenant: String, blobs: [String]) {
        guard !blobs.isEmpty, !SnapshotHold.isHeld(dataDir: (root as NSString).deletingLastPathComponent) else { return }
        for blob in blobs { if let p = path(tenant: tenant, blob: blob) { unlink(p) } }
    }

    /// Deletes leftovers of writes that never finished (a crash mid-upload). Call at start.
    @discardableResult
    public func cleanTemporaryFiles() -> Int {
        var removed = 0
        let tenants = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for tenant in tenants {
            let tmp = "\(tenantDirectory(tenant))/tmp"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] {
                if unlink("\(tmp)/\(name)") == 0 { removed += 1 }
            }
        }
        return removed
    }

    /// Every blob id on disk for a tenant whose file is older than `before` (for the orphan sweep).
    public func blobIDs(tenant: String, olderThan before: Date) -> [String] {
        let objects = "\(tenantDirectory(tenant))/objects"
        var ids: [String] = []
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: objects)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(objects)/\(folder)")) ?? [] where Self.isBlobID(name) {
                var st = stat()
                if stat("\(objects)/\(folder)/\(name)", &st) == 0, Double(st.st_mtim.tv_sec) < before.timeIntervalSince1970 {
                    ids.append(name)
                }
            }
        }
        return ids
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

public struct BlobIOError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One blob being written: bytes go straight to a temporary file while the digests run.
/// Used by one task at a time (unchecked Sendable so the final fsync can run on another thread).
final class BlobWriter: BlobSink, @unchecked Sendable {
    let files: BlobFiles
    let tenant: String
    let id: String
    private var fd: Int32
    private let tmpPath: String
    private var running: BodyDigests

    init(files: BlobFiles, tenant: String, id: String, fd: Int32, tmpPath: String, digests: BodyDigests) {
        self.files = files
        self.tenant = tenant
        self.id = id
        self.fd = fd
        self.tmpPath = tmpPath
        self.running = digests
    }

    deinit { discard() }

    var size: Int64 { running.size }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        running.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw BlobIOError("write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    func digests() -> BlobDigests { running.finish() }

    /// fsync, rename into place, fsync the folder. After this the blob survives a crash.
    func commit() throws {
        guard fsync(fd) == 0 else { throw BlobIOError("fsync failed: \(String(cString: strerror(errno)))") }
        close(fd)
        fd = -1
        try files.install(tenant: tenant, id: id, tmpPath: tmpPath)
    }

    /// Drops an unfinished write (bad signature, client gone).
    func discard() {
        if fd >= 0 {
            close(fd)
            fd = -1
            unlink(tmpPath)
        }
    }
}

/// An open blob file: a delete or an overwrite during a transfer cannot cut it short.
final class BlobFileReader: BlobSource {
    private let fd: Int32

    init(path: String, blob: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BlobError.missingBytes(blob) }
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress!, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw BlobIOError("read failed: \(String(cString: strerror(errno)))") }
        }
    }
}
