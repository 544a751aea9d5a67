import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import TradepostCore

/// `GET /api/v1/live`: a WebSocket over which the server pushes changes the page should show.
/// The client sends `{"subscribe": "jobs"}`; the server answers with `{"type": "jobs.changed",
/// "items": [queue stats]}` whenever the caller's jobs change. Signed in by the session cookie; a
/// cross-origin page may not open it.
struct LiveRoutes {
    let hub: LiveHub

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
            defer { for id in subscriptions { hub.unsubscribe(id) } }
            for try await message in inbound.messages(maxSize: 4096) {
                guard case .text(let text) = message,
                    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                    let topic = object["subscribe"] as? String
                else {
                    try await outbound.write(.text(#"{"type":"error","detail":"send {\"subscribe\": \"jobs\"}"}"#))
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
