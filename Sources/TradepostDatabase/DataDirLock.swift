import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a data dir, held by `tradepost serve` for its lifetime, so two servers
/// never run jobs against the same files. The kernel drops it when the process dies, even by kill -9.
/// Commands other than `serve` do not take it: they share the files with a running server safely.
public final class DataDirLock: Sendable {
    public static let fileName = "tradepost.lock"
    private let descriptor: Int32

    /// Throws a message naming the other server's pid when the lock is taken.
    public init(dataDir: String) throws {
        // Databases, blobs and secret.key inside: the owner and its group only.
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw LockError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let other = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmed() ?? "?"
            close(fd)
            throw LockError("another tradepost server (pid \(other)) is using \(dataDir)")
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// True while a server holds the lock (checked without taking it).
    public static func isHeld(dataDir: String) -> Bool {
        isLocked((dataDir as NSString).appendingPathComponent(fileName))
    }

    /// True while another open file holds an exclusive `flock` on `path` (a missing file: false).
    /// A new descriptor is its own lock owner, so this also sees a lock held by this process.
    static func isLocked(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    public struct LockError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
