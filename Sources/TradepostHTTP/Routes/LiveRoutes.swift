import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import TradepostCore

/// `GET /api/v1/live`: a WebSocket over which the server pushes changes the page should show.
/// Topics:
/// - `{"subscribe": "jobs"}`: `{"type": "jobs.changed", "items": [queue stats]}` whenever the
///   caller's jobs change;
/// - `{"subscribe": "orders", "after": 41}`: `{"type": "order.changed", "seq": 42, …}` for every
///   change to an order the caller sees, first those after `after` (a reconnecting client's last
///   `seq`), then as they commit. `subscribed` carries the `seq` the stream starts from.
/// - `{"subscribe": "notifications", "after": 7}`: `{"type": "notification", "seq": 8, "notification": {…}}`
///   for each of the caller's notifications, those after `after` first.
/// Signed in by the session cookie; a cross-origin page may not open it.
struct LiveRoutes {
    let hub: LiveHub
    let orders: OrderFeed
    let conversations: ConversationHub
    let notifications: NotificationFeed
    /// Messages a connection may have waiting (`talk.socket_queue`).
    let queue: Int

    /// Without an Upgrade header the path answers 426, so it is an honest, documented endpoint.
    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("live") { _, context -> Response in
            _ = try context.requirePrincipal()
            throw AppError(.invalid, "Open this path as a WebSocket (Upgrade: websocket)")
        }
    }

    func register(webSocket router: Router<AppRequestContext>, cookies: SessionCookies, auth: AuthMiddleware) {
        router.add(middleware: auth)
        router.ws("api/v1/live", shouldUpgrade: { request, context in
            _ = try context.requirePrincipal()
            if let origin = request.headers[.origin], !AuthMiddleware.sameOrigin(origin, host: request.head.authority) {
                throw AppError.forbidden("A cross-origin page may not open the live channel")
            }
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, wsContext in
            guard let principal = wsContext.requestContext.principal else { return }
            let connection = LiveConnection(capacity: queue)
            // One writer per socket: everything else only queues.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in connection.stream { try await outbound.write(.text(text)) }
                }
                connection.control(#"{"type":"hello"}"#)
                let id = UUID()
                var subscriptions: [UUID] = []
                var feeds: [UUID] = []
                defer {
                    for id in subscriptions { hub.unsubscribe(id) }
                    let (feed, ids, talk, notices) = (orders, feeds, conversations, notifications)
                    Task {
                        for id in ids { await feed.unsubscribe(id) }
                        await talk.unsubscribe(id)
                        await notices.unsubscribe(id)
                    }
                    connection.finish()
                    group.cancelAll()
                }
                for try await message in inbound.messages(maxSize: 64 << 10) {
                    guard case .text(let text) = message,
                          let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
                        connection.control(Self.usage)
                        continue
                    }
                    if let conversation = object["typing"] as? String, principal.tenantID != nil {
                        await conversations.typing(Caller(principal, ip: nil), conversationID: conversation)
                        continue
                    }
                    guard let topic = object["subscribe"] as? String else { connection.control(Self.usage); continue }
                    switch topic {
                    case "orders" where principal.tenantID != nil:
                        let caller = Caller(principal, ip: nil)
                        let after = (object["after"] as? NSNumber).map { $0.int64Value }
                        let (feedID, seq) = try await orders.subscribe(caller, after: after) { text in _ = connection.send(text) }
                        feeds.append(feedID)
                        connection.control(#"{"type":"subscribed","topic":"orders","seq":\#(seq)}"#)
                    case "conversations" where principal.tenantID != nil:
                        var after: [String: Int64] = [:]
                        for (key, value) in object["after"] as? [String: Any] ?? [:] {
                            if let n = value as? NSNumber { after[key] = n.int64Value }
                        }
                        try await conversations.subscribe(id, Caller(principal, ip: nil), connection: connection, after: after)
                    case "notifications" where principal.tenantID != nil:
                        let after = (object["after"] as? NSNumber).map { $0.int64Value }
                        try await notifications.subscribe(id, Caller(principal, ip: nil), after: after, connection: connection)
                    case "inbox" where principal.tenantID != nil:
                        try await conversations.subscribeInbox(id, Caller(principal, ip: nil), connection: connection)
                    case "jobs" where Policy.allows(principal, .jobsRead):
                        subscriptions.append(hub.subscribe(principal.jobScope) { text in _ = connection.send(text) })
                        connection.control(#"{"type":"subscribed","topic":"jobs"}"#)
                    default:
                        connection.control(#"{"type":"error","detail":"unknown or forbidden topic"}"#)
                    }
                }
            }
        })
    }

    static let usage = #"{"type":"error","detail":"send {\"subscribe\": \"orders\" | \"conversations\" | \"inbox\" | \"notifications\" | \"jobs\"} or {\"typing\": conversation_id}"}"#
}
