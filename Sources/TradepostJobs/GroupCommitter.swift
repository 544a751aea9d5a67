import Foundation
import GRDB
import Synchronization

/// The single writer of `jobs.sqlite`. Every write (enqueue, claim, completion) is queued here and a
/// dedicated thread commits whatever has queued up in one transaction, so N concurrent writers
/// share one commit (group commit). A failing piece of work does not take the others down.
/// Commits do not wait for the disk: the `WALSyncer` fsyncs the WAL on its own thread and callers
/// of `write` are resumed only once their commit is on disk.
final class GroupCommitter: Sendable {
    typealias Work = @Sendable (Database) throws -> Void

    private struct Item {
        let work: Work
        let done: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var items: [Item] = []
        var stopped = false
    }

    private let pool: DatabasePool
    private let syncer: WALSyncer
    private let maxBatch: Int
    private let state = Mutex(State())
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    init(pool: DatabasePool, path: String, maxBatch: Int = 2000) {
        self.pool = pool
        syncer = WALSyncer(databasePath: path)
        self.maxBatch = maxBatch
        let thread = Thread { [self] in loop() }
        thread.name = "jobs-committer"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Runs `work` in the next batch and returns its result once the batch is durably committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let box = Box<T>()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            submit({ db in box.value = try work(db) }) { error in
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            }
        }
        return box.value!
    }

    /// Queues `work` without waiting (completions: losing one to a crash only means a rerun).
    func writeLater(_ work: @escaping Work, onError: @escaping @Sendable (any Error) -> Void = { _ in }) {
        submit(work) { error in if let error { onError(error) } }
    }

    private func submit(_ work: @escaping Work, done: @escaping @Sendable ((any Error)?) -> Void) {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.items.append(Item(work: work, done: done))
            return true
        }
        guard accepted else { return done(CommitterStopped()) }
        condition.lock()
        condition.signal()
        condition.unlock()
    }

    /// Commits what is queued, then stops the thread. Later writes fail.
    func stop() {
        state.withLock { $0.stopped = true }
        condition.lock()
        condition.signal()
        condition.unlock()
        finished.wait()
        syncer.stop()
    }

    private let lingerSeconds = Double(ProcessInfo.processInfo.environment["TP_LINGER_US"] ?? "300")! / 1e6
    private func loop() {
        while true {
            condition.lock()
            var batch: [Item] = []
            var stop = false
            while true {
                (batch, stop) = take()
                if !batch.isEmpty || stop { break }
                condition.wait()
            }
            condition.unlock()
            if !batch.isEmpty { commit(batch) }
            if stop && batch.isEmpty {
                finished.signal()
                return
            }
        }
    }

    private func take(limit: Int? = nil) -> ([Item], Bool) {
        state.withLock { state in
            let take = Array(state.items.prefix(limit ?? maxBatch))
            state.items.removeFirst(take.count)
            return (take, state.stopped && state.items.isEmpty)
        }
    }

    /// Commits the batch in one transaction. Optimistically without savepoints; if a piece fails,
    /// the batch is rolled back and redone with a savepoint around each piece, so only that piece fails.
    private func commit(_ batch: [Item]) {
        do {
            try run(batch, isolated: false)
            acknowledge { for item in batch { item.done(nil) } }
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
        acknowledge { for (index, item) in batch.enumerated() { item.done(results[index]) } }
    }

    /// Acknowledges once the commit is on disk: syncing here when nothing else waits (no hop),
    /// or leaving it to the syncer so the next batch can be committed meanwhile.
    private func acknowledge(_ done: @escaping @Sendable () -> Void) {
        if state.withLock({ $0.items.isEmpty }) {
            syncer.sync()
            done()
        } else {
            syncer.afterSync(done)
        }
    }

    @discardableResult
    private func run(_ batch: [Item], isolated: Bool) throws -> [(any Error)?] {
        var errors = [(any Error)?](repeating: nil, count: batch.count)
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
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
                return .commit
            }
        }
        return errors
    }
}

private struct PieceFailed: Error {}

struct CommitterStopped: Error, CustomStringConvertible {
    var description: String { "the jobs database is shutting down" }
}

/// Carries a value out of a closure that runs on the committer thread and is read after it finished.
final class Box<T>: @unchecked Sendable {
    var value: T?
}
