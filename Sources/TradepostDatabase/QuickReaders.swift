import Foundation
import GRDB
import Synchronization

/// Read-only connections to one SQLite file, each lent to one read at a time under a lock held for
/// a pop and a push, for the short reads made on every request.
///
/// GRDB's reader pool lends its connections through a concurrent queue, a dispatch barrier, a
/// semaphore and a group. With two threads reading at once the barrier's slow path puts a thread
/// to sleep and wakes it on most reads: an empty read costs 6 µs on one thread and 120 µs on two,
/// and two threads read a product row hardly faster than one (51,000 and 61,000 reads/s). Here:
/// under a microsecond, and 78,000 and 96,000 (`Tests/bench/run reads`).
///
/// A connection opens on first need, up to `limit`; a read that finds all of them busy goes to
/// `otherwise` (the pool's own readers) rather than wait. Read-only connections cannot write, so
/// nothing that must go through the single writer can slip in here.
final class QuickReaders: Sendable {
    private let path: String
    private let label: String
    private let limit: Int
    private struct State {
        var idle: [DatabaseQueue] = []
        var opened = 0
        var closed = false
    }
    private let state = Mutex(State())
    private enum Lend { case idle(DatabaseQueue), open, busy }

    init(path: String, label: String, limit: Int) {
        self.path = path
        self.label = label
        self.limit = limit
    }

    /// Runs `body` on an idle connection (autocommit: each statement its own snapshot).
    func read<T>(_ body: (Database) throws -> T, otherwise: () throws -> T) throws -> T {
        let lend: Lend = state.withLock { state in
            if state.closed { return .busy }
            if let queue = state.idle.popLast() { return .idle(queue) }
            guard state.opened < limit else { return .busy }
            state.opened += 1
            return .open
        }
        let queue: DatabaseQueue
        switch lend {
        case .busy: return try otherwise()
        case .idle(let idle): queue = idle
        case .open:
            do {
                var config = DatabaseOpener.configuration(label: "\(label)-quick", readers: 1)
                config.readonly = true
                queue = try DatabaseQueue(path: path, configuration: config)
            } catch {
                state.withLock { $0.opened -= 1 }
                throw error
            }
        }
        defer {
            let keep = state.withLock { state in
                if state.closed { state.opened -= 1; return false }
                state.idle.append(queue)
                return true
            }
            if !keep { try? queue.close() }
        }
        return try queue.inDatabase(body)
    }

    /// Closes the idle connections; one still lent closes when its read returns.
    func close() {
        let idle = state.withLock { state in
            state.closed = true
            state.opened -= state.idle.count
            defer { state.idle = [] }
            return state.idle
        }
        for queue in idle { try? queue.close() }
    }
}
