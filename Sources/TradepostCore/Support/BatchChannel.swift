import Foundation

/// A bounded queue from one producing thread to one consuming thread, for pipelines that keep
/// two cores busy (a CSV reader feeding an import's transaction, a product reader feeding a search
/// rebuild): the producer waits while `capacity` items are queued, so it is never far ahead and
/// memory stays flat; the consumer waits while none are. Either side can end it early.
public final class BatchChannel<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// Producer: queues `item`, waiting for room. False when the consumer cancelled: stop producing.
    public func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Producer: nothing more will come; `error`, if any, reaches the consumer after the queued items.
    public func finish(_ error: (any Error)? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next item, nil at the end. Rethrows the error the producer finished with.
    public func next() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if !items.isEmpty {
            condition.broadcast()
            return items.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Consumer: stops the producer (its next `put` answers false) and drops what is queued.
    public func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
