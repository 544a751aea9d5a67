import Foundation
import Synchronization

/// One live socket's outgoing messages: a bounded queue drained by the connection's single writer.
/// Whoever produces (the feeds, the jobs hub) only enqueues, so a slow client never holds them up;
/// a client that lets more than `capacity` messages wait is told to resync and hears nothing more
/// until it subscribes again — memory per connection stays bounded.
final class LiveConnection: Sendable {
    private struct State {
        var stalled = false
    }

    let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let state = Mutex(State())

    init(capacity: Int) {
        // One extra slot so the resync notice itself always fits.
        (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity + 1))
        self.capacity = capacity
    }

    private let capacity: Int

    /// Whether the connection was told to resync and has not subscribed again.
    var stalled: Bool { state.withLock { $0.stalled } }

    /// Queues `text`; false when the connection is stalled (the message is dropped).
    @discardableResult
    func send(_ text: String) -> Bool {
        guard !stalled else { return false }
        switch continuation.yield(text) {
        case .enqueued(let remaining) where remaining <= 1:
            // The queue is full: the last slot carries the resync, the client reloads.
            state.withLock { $0.stalled = true }
            _ = continuation.yield(#"{"type":"resync","reason":"slow_consumer"}"#)
            return true
        case .enqueued: return true
        case .dropped, .terminated: return false
        @unknown default: return false
        }
    }

    /// Queues a control message (subscribed, errors, resync) even when stalled.
    func control(_ text: String) { _ = continuation.yield(text) }

    /// The client subscribed again: deliveries resume.
    func resume() { state.withLock { $0.stalled = false } }

    func finish() { continuation.finish() }
}
