import Foundation
import Synchronization
import Testing
@testable import TradepostJobs

@Suite("Batch thread")
struct BatchThreadTests {
    /// `takeMore` lets a batch wait for the arrivals it expects, and gives up at its deadline.
    @Test func aBatchGathersExpectedArrivalsOrStopsWaitingAtTheDeadline() async throws {
        let batches = Mutex<[[Int]]>([])
        let box = Box<BatchThread<Int>>()
        let thread = BatchThread<Int>(name: "test-batch") { first in
            var batch = first
            if first.first == 1 || first.first == 10 {
                batch += box.value!.takeMore(first.first == 1 ? 2 : 5, until: Date(timeIntervalSinceNow: first.first == 1 ? 10 : 0.1))
            }
            batches.withLock { $0.append(batch) }
        }
        box.value = thread
        thread.submit(1)
        try await Task.sleep(for: .milliseconds(50))
        thread.submit(2)
        try await Task.sleep(for: .milliseconds(50))
        thread.submit(3)  // the second expected arrival: the waiting batch takes both
        while batches.withLock({ $0.count }) < 1 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(batches.withLock { $0 } == [[1, 2, 3]])

        let started = Date()
        thread.submit(10)  // expects five more that never come: the batch goes alone at its deadline
        while batches.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(batches.withLock { $0 }.last == [10])
        #expect(Date().timeIntervalSince(started) >= 0.09)
        thread.stop()
        #expect(!thread.submit(11))
    }
}
