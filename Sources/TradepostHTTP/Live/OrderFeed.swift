import Foundation
import TradepostCore

/// Pushes order changes to live sockets. Each subscriber has a cursor (the last sequence number it
/// was sent); on every commit that wrote outbox events in its tenant it is sent what came after,
/// read by the order service with the subscriber's own permissions. A client that reconnects says
/// where it stopped (`after`) and gets the rest from the database first: nothing is lost.
actor OrderFeed {
    typealias Sender = @Sendable (String) async -> Void

    private struct Subscriber {
        let caller: Caller
        let tenant: TenantID
        var cursor: Int64
        let send: Sender
        var busy = false
        var again = false
    }

    private let orders: any OrderService
    private var subscribers: [UUID: Subscriber] = [:]
    private var dirty: Set<TenantID> = []
    private var scheduled = false

    init(orders: any OrderService) { self.orders = orders }

    /// Registers the subscriber, then sends what it missed after `after` (nil: nothing, from now on).
    /// Answers the subscription's id and the sequence number it starts from.
    func subscribe(_ caller: Caller, after: Int64?, send: @escaping Sender) async throws -> (UUID, Int64) {
        let tenant = try caller.tenant()
        let start = try await orders.liveEvents(caller, after: nil, limit: 1).latest
        let id = UUID()
        subscribers[id] = Subscriber(caller: caller, tenant: tenant, cursor: min(after ?? start, start), send: send)
        await deliver(id)
        return (id, subscribers[id]?.cursor ?? start)
    }

    func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    /// From the outbox listener (any thread): something committed in the tenant.
    nonisolated func changed(_ tenant: TenantID) {
        Task { await self.mark(tenant) }
    }

    private func mark(_ tenant: TenantID) {
        guard subscribers.values.contains(where: { $0.tenant == tenant }) else { return }
        dirty.insert(tenant)
        guard !scheduled else { return }
        scheduled = true
        Task {
            // Coalesce a burst of commits into one read per subscriber.
            try? await Task.sleep(for: .milliseconds(30))
            await self.flush()
        }
    }

    private func flush() async {
        let tenants = dirty
        dirty.removeAll()
        scheduled = false
        for (id, subscriber) in subscribers where tenants.contains(subscriber.tenant) { await deliver(id) }
    }

    /// Sends a subscriber everything after its cursor; one delivery at a time per subscriber.
    private func deliver(_ id: UUID) async {
        guard let subscriber = subscribers[id] else { return }
        guard !subscriber.busy else { subscribers[id]?.again = true; return }
        subscribers[id]?.busy = true
        repeat {
            subscribers[id]?.again = false
            while let cursor = subscribers[id]?.cursor {
                guard let events = try? await orders.liveEvents(subscriber.caller, after: cursor, limit: 200).events, !events.isEmpty else { break }
                for event in events {
                    guard let data = try? JSONCoding.encoder.encode(LiveOrderMessage(event)) else { continue }
                    await subscriber.send(String(decoding: data, as: UTF8.self))
                }
                subscribers[id]?.cursor = events.last!.seq
                if events.count < 200 { break }
            }
        } while subscribers[id]?.again == true
        subscribers[id]?.busy = false
    }
}

/// `{"type": "order.changed", "seq": 12, "topic": "order.confirmed", "order_id": …, "number": …, "state": …}`
struct LiveOrderMessage: Encodable {
    var type = "order.changed"
    var seq: Int64
    var topic: String
    var orderId: String
    var number: String
    var state: OrderState
    var at: Date

    init(_ e: OrderLiveEvent) {
        (seq, topic, orderId, number, state, at) = (e.seq, e.topic, e.orderId, e.number, e.state, e.at)
    }
}
