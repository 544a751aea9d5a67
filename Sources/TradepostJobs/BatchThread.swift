import Foundation
import Synchronization

/// Dedicated threads that process queued items in batches: whatever queued up while the last batch
/// ran is taken at once. The jobs committer (one thread, one transaction per batch) and the WAL
/// syncer (two threads, one fsync per batch, so syncs overlap) are both this shape. Work on them
/// may block (SQLite, fsync) without holding up the Swift concurrency pool.
final class BatchThread<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var stopped = false
        /// `submit` wakes a thread once this many items are queued (see `takeMore`).
        var wakeAt = 1
        /// Threads still looping, and threads processing a batch now.
        var running = 0
        var processing = 0
    }

    private let maxBatch: Int
    private let state = Mutex(State())
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, threads: Int = 1, maxBatch: Int = .max, process: @escaping @Sendable ([Item]) -> Void) {
        self.maxBatch = maxBatch
        state.withLock { $0.running = threads }
        for index in 0..<threads {
            let thread = Thread { [self] in loop(process) }
            thread.name = threads == 1 ? name : "\(name)-\(index)"
            thread.qualityOfService = .userInitiated
            thread.start()
        }
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

    /// Nothing is waiting and no thread is processing a batch.
    var isDrained: Bool { state.withLock { $0.items.isEmpty && $0.processing == 0 } }

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

    /// Processes what is queued, then ends the threads. Later submissions are refused.
    func stop() {
        state.withLock { $0.stopped = true }
        condition.lock()
        condition.broadcast()
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
                    if !take.isEmpty { state.processing += 1 }
                    return (take, state.stopped && state.items.isEmpty)
                }
                if !batch.isEmpty || done { break }
                condition.wait()
            }
            condition.unlock()
            if !batch.isEmpty {
                process(batch)
                state.withLock { $0.processing -= 1 }
                continue
            }
            // Stopped and empty: the last thread out lets `stop` return.
            if state.withLock({ $0.running -= 1; return $0.running == 0 }) { finished.signal() }
            return
        }
    }
}
