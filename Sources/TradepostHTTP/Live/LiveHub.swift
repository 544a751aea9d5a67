import Foundation
import Logging
import Synchronization
import TradepostCore

/// Pushes "something changed" to web clients over WebSocket. Changes are coalesced: at most a few
/// messages a second, and each subscriber hears only about what its scope may see (a tenant admin
/// never learns that another tenant's jobs moved).
public final class LiveHub: Sendable {
    typealias Sender = @Sendable (String) async -> Void

    private struct Subscriber {
        let scope: JobScope
        let send: Sender
    }

    private struct State {
        var subscribers: [UUID: Subscriber] = [:]
        /// Tenants whose jobs changed since the last flush; `nil` stands for platform jobs.
        var dirty: Set<String> = []
        var flushScheduled = false
    }

    private let state = Mutex(State())
    private let interval: Duration
    private let stats: @Sendable (JobScope) async throws -> [QueueStats]

    init(interval: Duration = .milliseconds(300), stats: @escaping @Sendable (JobScope) async throws -> [QueueStats]) {
        self.interval = interval
        self.stats = stats
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    func subscribe(_ scope: JobScope, send: @escaping Sender) -> UUID {
        let id = UUID()
        state.withLock { $0.subscribers[id] = Subscriber(scope: scope, send: send) }
        return id
    }

    func unsubscribe(_ id: UUID) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    /// Called by the jobs engine (via `JobsTelemetry`) whenever a job changes state.
    func jobsChanged(tenant: TenantID?) {
        let schedule = state.withLock { state -> Bool in
            guard !state.subscribers.isEmpty else { return false }
            state.dirty.insert(tenant?.rawValue ?? "")
            defer { state.flushScheduled = true }
            return !state.flushScheduled
        }
        guard schedule else { return }
        Task {
            try? await Task.sleep(for: interval)
            await flush()
        }
    }

    private func flush() async {
        let (dirty, subscribers) = state.withLock { state in
            defer {
                state.dirty.removeAll()
                state.flushScheduled = false
            }
            return (state.dirty, Array(state.subscribers.values))
        }
        var cache: [String: String] = [:]
        for subscriber in subscribers {
            let key: String
            switch subscriber.scope {
            case .all: key = "*"
            case .tenant(let id):
                guard dirty.contains(id.rawValue) else { continue }
                key = id.rawValue
            }
            if cache[key] == nil {
                guard let items = try? await stats(subscriber.scope),
                    let data = try? JSONCoding.encoder.encode(LiveMessage(type: "jobs.changed", items: items))
                else { continue }
                cache[key] = String(decoding: data, as: UTF8.self)
            }
            await subscriber.send(cache[key]!)
        }
    }
}

struct LiveMessage: Encodable {
    var type: String
    var items: [QueueStats]
}
