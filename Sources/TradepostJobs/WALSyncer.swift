import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Makes commits durable off the writer's thread: the writer commits with `synchronous=NORMAL`
/// (no fsync in the commit) and hands each batch's acknowledgements here; this thread runs
/// `fdatasync` on the WAL back to back and acknowledges everything committed before each sync
/// started. The writer never waits for the disk, and one fsync covers every commit since the last,
/// which is group commit across batches. Nothing is acknowledged before it is on disk.
final class WALSyncer: Sendable {
    private let walPath: String
    /// Descriptor of the WAL file, reopened if SQLite ever replaces the file.
    private let descriptor = Mutex<(fd: Int32, inode: UInt64)>((-1, 0))
    private let thread: BatchThread<@Sendable () -> Void>

    init(databasePath: String) {
        let walPath = databasePath + "-wal"
        self.walPath = walPath
        let box = Box<WALSyncer>()
        thread = BatchThread(name: "jobs-wal-sync") { acknowledgements in
            box.value?.sync()
            for acknowledge in acknowledgements { acknowledge() }
        }
        box.value = self
    }

    /// Runs `acknowledge` once everything committed so far is on disk.
    func afterSync(_ acknowledge: @escaping @Sendable () -> Void) {
        if !thread.submit(acknowledge) {
            sync()
            acknowledge()
        }
    }

    func stop() {
        thread.stop()
        descriptor.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    /// fdatasync on the current WAL file, now, on the calling thread (the writer does this itself
    /// when nothing else is queued: a lone writer then waits for one fsync and no thread hop).
    /// If the WAL cannot be opened (none yet), the data is in the database file, which SQLite synced.
    func sync() {
        var current = stat()
        guard stat(walPath, &current) == 0 else { return }
        descriptor.withLock { descriptor in
            if descriptor.fd < 0 || descriptor.inode != UInt64(current.st_ino) {
                if descriptor.fd >= 0 { close(descriptor.fd) }
                descriptor = (open(walPath, O_RDONLY | O_CLOEXEC), UInt64(current.st_ino))
            }
            if descriptor.fd >= 0 { _ = fdatasync(descriptor.fd) }
        }
    }
}
