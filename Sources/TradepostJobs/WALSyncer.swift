import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Makes commits durable off the writer's thread: the writer commits with `synchronous=NORMAL`
/// (no fsync in the commit) and hands each batch's acknowledgements here; a sync thread runs
/// `fdatasync` on the WAL and then acknowledges everything handed over before that sync started.
/// Nothing is acknowledged before it is on disk.
///
/// Several sync threads, so a commit never queues behind another commit's fsync: disks (and the
/// virtual ones a small box gets) take concurrent flushes, ~5,500 fdatasync/s from one thread and
/// ~9,000/s from two on the machine this was measured on. `fdatasync` writes and waits for every
/// page of the file dirty or in flight when it is called, then flushes the device cache, so
/// overlapping syncs are as safe as sequential ones. When every sync thread is busy, handovers
/// queue and the next free thread covers them all with one fsync (group commit).
final class WALSyncer: Sendable {
    private let walPath: String
    /// Descriptor of the WAL file, reopened if SQLite ever replaces the file. Replaced descriptors
    /// stay open until `stop`: another thread may be syncing through one.
    private let descriptor = Mutex<(fd: Int32, inode: UInt64, retired: [Int32])>((-1, 0, []))
    private let threads: BatchThread<@Sendable () -> Void>
    private let averageNanos = Atomic<UInt64>(500_000)

    init(databasePath: String, threads: Int = 2) {
        walPath = databasePath + "-wal"
        let box = Box<WALSyncer>()
        self.threads = BatchThread(name: "jobs-wal-sync", threads: threads) { acknowledgements in
            box.value?.sync()
            for acknowledge in acknowledgements { acknowledge() }
        }
        box.value = self
    }

    /// A moving average of how long one fsync takes here, in nanoseconds.
    var fsyncNanos: UInt64 { averageNanos.load(ordering: .relaxed) }

    /// Nothing handed over is waiting or being synced: a commit now is a lone writer's.
    var isIdle: Bool { threads.isDrained }

    /// Runs `acknowledge` once everything committed so far is on disk.
    func afterSync(_ acknowledge: @escaping @Sendable () -> Void) {
        if !threads.submit(acknowledge) {
            sync()
            acknowledge()
        }
    }

    /// Syncs what was handed over, then ends the threads. Later handovers sync on the caller.
    func stop() {
        threads.stop()
        descriptor.withLock { descriptor in
            for fd in descriptor.retired + [descriptor.fd] where fd >= 0 { close(fd) }
            descriptor = (-1, 0, [])
        }
    }

    /// fdatasync on the current WAL file, now, on the calling thread (the writer does this itself
    /// for a lone commit: one fsync and no thread hop).
    /// If the WAL cannot be opened (none yet), the data is in the database file, which SQLite synced.
    func sync() {
        var current = stat()
        guard stat(walPath, &current) == 0 else { return }
        let fd = descriptor.withLock { descriptor -> Int32 in
            if descriptor.fd < 0 || descriptor.inode != UInt64(current.st_ino) {
                if descriptor.fd >= 0 { descriptor.retired.append(descriptor.fd) }
                descriptor.fd = open(walPath, O_RDONLY | O_CLOEXEC)
                descriptor.inode = UInt64(current.st_ino)
            }
            return descriptor.fd
        }
        guard fd >= 0 else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        _ = fdatasync(fd)
        let took = min(DispatchTime.now().uptimeNanoseconds &- start, 50_000_000)
        averageNanos.store((fsyncNanos * 7 + took) / 8, ordering: .relaxed)
    }
}
