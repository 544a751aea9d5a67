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
/// Signed in by the session cookie; a cross-origin page may not open it.
struct LiveRoutes {
    let hub: LiveHub
    let orders: OrderFeed

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
            try await outbound.write(.text(#"{"type":"hello"}"#))
            var subscriptions: [UUID] = []
            var feeds: [UUID] = []
            defer {
                for id in subscriptions { hub.unsubscribe(id) }
                let (feed, ids) = (orders, feeds)
                Task { for id in ids { await feed.unsubscribe(id) } }
            }
            for try await message in inbound.messages(maxSize: 4096) {
                guard case .text(let text) = message,
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    let topic = object["subscribe"] as? String
                else {
                    try await outbound.write(.text(#"{"type":"error","detail":"send {\"subscribe\": \"jobs\"} or {\"subscribe\": \"orders\", \"after\": 0}"}"#))
                    continue
                }
                if topic == "orders", principal.tenantID != nil {
                    let caller = Caller(principal, ip: nil)
                    let after = (object["after"] as? NSNumber).map { $0.int64Value }
                    let (id, seq) = try await orders.subscribe(caller, after: after) { text in try? await outbound.write(.text(text)) }
                    feeds.append(id)
                    try await outbound.write(.text(#"{"type":"subscribed","topic":"orders","seq":\#(seq)}"#))
                    continue
                }
                guard topic == "jobs", Policy.allows(principal, .jobsRead) else {
                    try await outbound.write(.text(#"{"type":"error","detail":"unknown or forbidden topic"}"#))
                    continue
                }
                subscriptions.append(hub.subscribe(principal.jobScope) { text in try? await outbound.write(.text(text)) })
                try await outbound.write(.text(#"{"type":"subscribed","topic":"jobs"}"#))
            }
        })
    }
}
