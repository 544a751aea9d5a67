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
    private struct State {
        var waiting: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let walPath: String
    private let state = Mutex(State())
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)
    /// Descriptor of the WAL file, reopened if SQLite ever replaces the file.
    private let descriptor = Mutex<(fd: Int32, inode: UInt64)>((-1, 0))

    init(databasePath: String) {
        walPath = databasePath + "-wal"
        let thread = Thread { [self] in loop() }
        thread.name = "jobs-wal-sync"
        thread.start()
    }

    /// Runs `acknowledge` once everything committed so far is on disk.
    func afterSync(_ acknowledge: @escaping @Sendable () -> Void) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.waiting.append(acknowledge)
            return true
        }
        guard accepted else { return acknowledge() }
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    func stop() {
        state.withLock { $0.stopped = true }
        condition.lock()
        condition.signal()
        condition.unlock()
        finished.wait()
        descriptor.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    private func loop() {
        while true {
            condition.lock()
            var batch: [@Sendable () -> Void] = []
            var stop = false
            while true {
                (batch, stop) = state.withLock { state in
                    defer { state.waiting.removeAll(keepingCapacity: true) }
                    return (state.waiting, state.stopped)
                }
                if !batch.isEmpty || stop { break }
                condition.wait()
            }
            condition.unlock()
            if !batch.isEmpty {
                sync()
                for acknowledge in batch { acknowledge() }
            }
            if stop && batch.isEmpty {
                finished.signal()
                return
            }
        }
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
