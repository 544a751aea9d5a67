import Foundation
import TradepostCore

/// Pushes notifications to their users' live sockets. Per tenant, one cursor and one read per
/// commit for every subscriber (the rows name their user); a subscriber that says where it stopped
/// (`after`) first gets what it missed from the database, while live ones wait behind that catch-up,
/// so nothing is lost, repeated or reordered. A notification's id is its sequence number.
actor NotificationFeed {
    private struct Subscriber {
        let tenant: TenantID
        let user: String
        let connection: LiveConnection
        var cursor: Int64
        /// Live notifications that came during the catch-up, sent after it.
        var held: [UserNotification]?
    }

    private let notifications: any NotificationService
    private var subscribers: [UUID: Subscriber] = [:]
    /// tenant → user → subscriptions.
    private var index: [TenantID: [String: Set<UUID>]] = [:]
    private var cursors: [TenantID: Int64] = [:]
    private var dirty: Set<TenantID> = []
    private var flushing = false

    init(notifications: any NotificationService) { self.notifications = notifications }

    /// Sends `subscribed` with the sequence the stream starts from, then what came after `after`.
    func subscribe(_ id: UUID, _ caller: Caller, after: Int64?, connection: LiveConnection) async throws {
        let tenant = try caller.tenant()
        let user = caller.principal.userID
        let latest = try await notifications.latestID(caller)
        if cursors[tenant] == nil { cursors[tenant] = latest }
        var cursor = max(0, min(after ?? latest, latest))
        unsubscribe(id)
        subscribers[id] = Subscriber(tenant: tenant, user: user, connection: connection, cursor: cursor, held: [])
        index[tenant, default: [:]][user, default: []].insert(id)
        connection.resume()
        connection.control(#"{"type":"subscribed","topic":"notifications","seq":\#(cursor)}"#)
        while cursor < latest {
            let missed = try await notifications.since(caller, after: cursor, limit: 500)
            for n in missed where n.id <= latest { send(n, to: connection) }
            guard let last = missed.last else { break }
            cursor = min(last.id, latest)
            if missed.count < 500 { break }
        }
        guard var s = subscribers[id] else { return }
        for n in s.held ?? [] where n.id > cursor {
            send(n, to: connection)
            cursor = n.id
        }
        s.cursor = cursor
        s.held = nil
        subscribers[id] = s
    }

    func unsubscribe(_ id: UUID) {
        guard let s = subscribers.removeValue(forKey: id) else { return }
        index[s.tenant]?[s.user]?.remove(id)
        if index[s.tenant]?[s.user]?.isEmpty == true { index[s.tenant]?[s.user] = nil }
        if index[s.tenant]?.isEmpty == true {
            index[s.tenant] = nil
            cursors[s.tenant] = nil
        }
    }

    /// From the outbox listener (any thread): something committed in the tenant.
    nonisolated func changed(_ tenant: TenantID) {
        Task { await self.mark(tenant) }
    }

    private func mark(_ tenant: TenantID) async {
        guard index[tenant] != nil else { return }
        dirty.insert(tenant)
        guard !flushing else { return }
        flushing = true
        while let next = dirty.popFirst() { await flush(next) }
        flushing = false
    }

    private func flush(_ tenant: TenantID) async {
        while let cursor = cursors[tenant] {
            guard let items = try? await notifications.feed(tenant, after: cursor, limit: 2000), let last = items.last else { return }
            cursors[tenant] = max(cursors[tenant] ?? 0, last.notification.id)
            for item in items {
                for id in index[tenant]?[item.userId] ?? [] {
                    guard var s = subscribers[id] else { continue }
                    if s.held != nil {
                        s.held!.append(item.notification)
                    } else if item.notification.id > s.cursor {
                        send(item.notification, to: s.connection)
                        s.cursor = item.notification.id
                    }
                    subscribers[id] = s
                }
            }
            if items.count < 2000 { return }
        }
    }

    private func send(_ n: UserNotification, to connection: LiveConnection) {
        connection.send(LiveNotificationMessage.text(n, cache: &encoded))
    }

    /// One event's notifications differ only in their id: the rest is encoded once per batch.
    private var encoded = LiveNotificationMessage.Cache()
}

/// `{"type": "notification", "seq": 42, "notification": {…}}`
struct LiveNotificationMessage: Encodable {
    var type = "notification"
    var seq: Int64
    var notification: UserNotification

    /// The encoder's output around the id, kept for the notifications that share everything else.
    struct Cache {
        var key: UserNotification?
        var parts: [String] = []
    }

    /// The same bytes `JSONCoding.encoder` writes (a test holds them equal), with the id spliced in:
    /// a thousand recipients cost one encoding, not a thousand.
    static func text(_ n: UserNotification, cache: inout Cache) -> String {
        var shared = n
        shared.id = 0
        if cache.key != shared {
            let marker: Int64 = 7_919_000_000_000_000_017
            var probe = n
            probe.id = marker
            guard let data = try? JSONCoding.encoder.encode(LiveNotificationMessage(seq: marker, notification: probe)) else { return "" }
            cache.key = shared
            cache.parts = String(decoding: data, as: UTF8.self).components(separatedBy: String(marker))
        }
        // The marker appears exactly twice (seq and id) unless the text itself held those digits.
        guard cache.parts.count == 3 else {
            cache.key = nil
            return (try? JSONCoding.encoder.encode(LiveNotificationMessage(seq: n.id, notification: n))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return cache.parts.joined(separator: String(n.id))
    }
}
