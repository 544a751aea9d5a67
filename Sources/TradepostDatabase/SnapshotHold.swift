import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// While a snapshot copies blobs, no blob file may disappear: a row in the database copy may still
/// name a file the server has since replaced. The snapshot holds an exclusive `flock` on
/// `snapshot.hold` in the data dir; the blob store asks `isHeld` before deleting a file and, when
/// held, leaves it for the orphan sweep. A crashed snapshot's lock dies with its process.
public final class SnapshotHold: Sendable {
    public static let fileName = "snapshot.hold"
    /// -1 once released: closing a descriptor twice would close whatever file reused its number.
    private let descriptor: Mutex<Int32>

    public init(dataDir: String) throws {
        let path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DataDirLock.LockError("cannot open \(path): \(String(cString: strerror(errno)))") }
        // Two snapshots at once would only take longer; the second waits for the first.
        guard flock(fd, LOCK_EX) == 0 else {
            close(fd)
            throw DataDirLock.LockError("cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        descriptor = Mutex(fd)
    }

    deinit { release() }

    /// Drops the lock; safe to call more than once.
    public func release() {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    /// True while some process holds the lock.
    public static func isHeld(dataDir: String) -> Bool {
        DataDirLock.isLocked((dataDir as NSString).appendingPathComponent(fileName))
    }
}
