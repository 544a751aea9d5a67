import Foundation
import GRDB
import Synchronization

/// The single writer of `jobs.sqlite`. Every write (enqueue, claim, completion) is queued here and a
/// dedicated thread commits whatever has queued up in one transaction, so N concurrent writers
/// share one commit (group commit). A failing piece of work does not take the others down.
/// Commits do not wait for the disk: the `WALSyncer` fsyncs the WAL behind them, several syncs in
/// flight at once, and callers of `write` are resumed only once their commit is on disk.
///
/// Writers that wait for their commit come back in waves: the N callers one sync released write
/// again within microseconds of each other, but this thread wakes at the first of them. Committing
/// that one alone would split every wave over two transactions and two fsyncs, so a batch with
/// fewer waiting writers than the last one waits for the rest (PostgreSQL's `commit_siblings`
/// idea), at most a third of an fsync, and without a wake-up per arrival.
final class GroupCommitter: Sendable {
    typealias Work = @Sendable (Database) throws -> Void

    struct Item: Sendable {
        let work: Work
        /// A caller waits for this write (`write`, not `writeLater`).
        let waits: Bool
        let done: @Sendable ((any Error)?) -> Void
    }

    /// How many waiting writers the last batch held, and when it was committed.
    private struct Wave {
        var writers = 0
        var committedAt: UInt64 = 0
    }

    private let pool: DatabasePool
    private let syncer: WALSyncer
    private let thread: BatchThread<Item>
    private let wave = Mutex(Wave())

    init(pool: DatabasePool, path: String, maxBatch: Int = 2000) {
        self.pool = pool
        let syncer = WALSyncer(databasePath: path)
        self.syncer = syncer
        // `commit` needs the thread's queue state, so the thread is made with a forward reference.
        let box = Box<GroupCommitter>()
        thread = BatchThread(name: "jobs-committer", maxBatch: maxBatch) { batch in box.value?.commit(batch) }
        box.value = self
    }

    /// Runs `work` in the next batch and returns its result once the batch is durably committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let box = Box<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            submit({ db in box.value = try work(db) }, waits: true) { error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }
        }
        return box.value!
    }

    /// Queues `work` without waiting (completions: losing one to a crash only means a rerun).
    func writeLater(_ work: @escaping Work, onError: @escaping @Sendable (any Error) -> Void = { _ in }) {
        submit(work, waits: false) { error in if let error { onError(error) } }
    }

    private func submit(_ work: @escaping Work, waits: Bool, done: @escaping @Sendable ((any Error)?) -> Void) {
        if !thread.submit(Item(work: work, waits: waits, done: done)) { done(CommitterStopped()) }
    }

    /// Commits what is queued, waits for it to be on disk, then stops. Later writes fail.
    func stop() {
        thread.stop()
        syncer.stop()
    }

    /// Commits the batch in one transaction. Optimistically without savepoints; if a piece fails,
    /// the batch is rolled back and redone with a savepoint around each piece, so only that piece fails.
    private func commit(_ first: [Item]) {
        let batch = gatherWave(first)
        do {
            try run(batch, isolated: false)
            acknowledge(batch.count) { for item in batch { item.done(nil) } }
            return
        } catch is PieceFailed {
            // fall through to the isolated run
        } catch {
            for item in batch { item.done(error) }  // nothing was committed: no need to wait for the disk
            return
        }
        var errors = [(any Error)?](repeating: nil, count: batch.count)
        do {
            errors = try run(batch, isolated: true)
        } catch {
            errors = batch.map { _ in error }
        }
        let results = errors
        acknowledge(batch.count) { for (index, item) in batch.enumerated() { item.done(results[index]) } }
    }

    /// Adds the rest of the last wave of waiting writers to `batch` when it is coming back (see the
    /// type's comment), waiting at most a third of an fsync for it.
    private func gatherWave(_ batch: [Item]) -> [Item] {
        let now = DispatchTime.now().uptimeNanoseconds
        let fsync = min(syncer.fsyncNanos, 3_000_000)
        let expected = wave.withLock { $0.writers > 1 && now &- $0.committedAt < 3 * fsync + 1_000_000 ? $0.writers : 0 }
        var batch = batch
        var waiting = batch.count { $0.waits }
        if waiting < expected {
            let deadline = Date(timeIntervalSinceNow: Double(fsync) / 3e9)
            while waiting < expected {
                let more = thread.takeMore(expected - waiting, until: deadline)
                if more.isEmpty { break }
                batch += more
                waiting += more.count { $0.waits }
            }
        }
        wave.withLock { $0 = Wave(writers: waiting, committedAt: DispatchTime.now().uptimeNanoseconds) }
        return batch
    }

    /// Acknowledges once the commit is on disk. A lone writer (a batch of one, nothing queued, no
    /// sync in flight) syncs here and saves a thread hop; otherwise a sync thread takes it, so the
    /// next batch is committed while this one is being synced.
    private func acknowledge(_ size: Int, _ done: @escaping @Sendable () -> Void) {
        if size == 1 && thread.isIdle && syncer.isIdle {
            syncer.sync()
            done()
        } else {
            syncer.afterSync(done)
        }
    }

    /// One transaction around the batch. BEGIN and COMMIT are prepared once and reused: compiling
    /// them for every batch cost as much as several inserts.
    @discardableResult
    private func run(_ batch: [Item], isolated: Bool) throws -> [(any Error)?] {
        var errors = [(any Error)?](repeating: nil, count: batch.count)
        try pool.writeWithoutTransaction { db in
            try db.cachedStatement(sql: "BEGIN IMMEDIATE").execute()
            do {
                for (index, item) in batch.enumerated() {
                    if !isolated {
                        do { try item.work(db) } catch { throw PieceFailed() }
                        continue
                    }
                    do {
                        try db.inSavepoint {
                            try item.work(db)
                            return .commit
                        }
                    } catch {
                        errors[index] = error
                    }
                }
                try db.cachedStatement(sql: "COMMIT").execute()
            } catch {
                if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
        return errors
    }
}

private struct PieceFailed: Error {}

struct CommitterStopped: Error, CustomStringConvertible {
    var description: String { "the jobs database is shutting down" }
}

/// Carries a value out of a closure that runs on another thread and is read after it finished.
final class Box<T>: @unchecked Sendable {
    var value: T?
}
