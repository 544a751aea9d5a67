import Foundation
import Synchronization

/// A dedicated thread that processes queued items in batches: whatever queued up while the last
/// batch ran is taken at once. The jobs committer (one transaction per batch) and the WAL syncer
/// (one fsync per batch) are both this shape. Work on it may block (SQLite, fsync) without
/// holding up the Swift concurrency pool.
final class BatchThread<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var stopped = false
        /// `submit` wakes the thread once this many items are queued (see `takeMore`).
        var wakeAt = 1
    }

    private let maxBatch: Int
    private let state = Mutex(State())
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, maxBatch: Int = .max, process: @escaping @Sendable ([Item]) -> Void) {
        self.maxBatch = maxBatch
        let thread = Thread { [self] in loop(process) }
        thread.name = name
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Queues `item`; false once the thread has been stopped.
    @discardableResult
    func submit(_ item: Item) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard !state.stopped else { return (false, false) }
            state.items.append(item)
            return (true, state.items.count >= state.wakeAt)
        }
        if wake {
            condition.lock()
            condition.signal()
            condition.unlock()
        }
        return accepted
    }

    /// Nothing is waiting to be processed.
    var isIdle: Bool { state.withLock { $0.items.isEmpty } }

    /// For `process` on this thread: sleeps until `count` items are queued, the thread is stopped or
    /// `deadline` passes, then takes what is queued (up to the batch limit). Lets a batch gather
    /// arrivals it expects without a wake-up per arrival.
    func takeMore(_ count: Int, until deadline: Date) -> [Item] {
        condition.lock()
        defer { condition.unlock() }
        while true {
            let ready = state.withLock { state in
                state.wakeAt = max(1, count)
                return state.items.count >= count || state.stopped
            }
            if ready || !condition.wait(until: deadline) { break }
        }
        return state.withLock { state in
            state.wakeAt = 1
            let take = Array(state.items.prefix(maxBatch))
            state.items.removeFirst(take.count)
            return take
        }
    }

    /// Processes what is queued, then ends the thread. Later submissions are refused.
    func stop() {
        state.withLock { $0.stopped = true }
        condition.lock()
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func loop(_ process: @Sendable ([Item]) -> Void) {
        while true {
            condition.lock()
            var batch: [Item] = []
            var done = false
            while true {
                (batch, done) = state.withLock { state in
                    let take = Array(state.items.prefix(maxBatch))
                    state.items.removeFirst(take.count)
                    return (take, state.stopped && state.items.isEmpty)
                }
                if !batch.isEmpty || done { break }
                condition.wait()
            }
            condition.unlock()
            if !batch.isEmpty { process(batch) }
            if done && batch.isEmpty {
                finished.signal()
                return
            }
        }
    }
}
