import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import TradepostCore

/// Outermost middleware: gives each request an id (honouring a sane incoming `X-Request-Id`),
/// resolves the client address, writes one access-log line and records metrics.
/// Never logs a query string, a header value or a body: they may carry secrets.
struct ObservabilityMiddleware: RouterMiddleware {
    let metrics: AppMetrics
    let trustProxy: Bool

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[.requestID].flatMap(Self.acceptable) ?? Self.requestIDs.withLock { Identifier.make(now: Date(), using: &$0) }
        context.requestID = id
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(id)
        context.clientIP = Self.clientIP(request, peer: context.peerIP, trustProxy: trustProxy)

        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let appError = Problem.appError(from: error, method: request.method, path: request.uri.path, logger: context.logger)
            response = Problem.response(for: appError, instance: request.uri.path, requestID: id)
        }
        response.headers[.requestID] = id
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed)

        AccessLog(requestID: id, method: request.method.rawValue, route: route, status: response.status.code, duration: elapsed,
                  tenant: context.trace.tenant, user: context.trace.user, client: context.clientIP).write(to: context.logger)
        return response
    }

    /// Request ids must be unique, not unpredictable: a fast generator seeded once from the
    /// system's, instead of a getrandom call per request.
    static let requestIDs = Mutex(SplitMix64(seed: UInt64.random(in: .min ... .max)))

    /// `12.34`: the duration in milliseconds with two decimals, without `String(format:)`'s cost.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = (seconds * 1_000_000 + attoseconds / 1_000_000_000_000 + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// An incoming id is kept when it is short and plain, so ids can flow from a proxy into our logs.
    static func acceptable(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 64,
            value.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) })
        else { return nil }
        return value
    }

    /// Behind a trusted reverse proxy the client is the last address it appended to X-Forwarded-For.
    static func clientIP(_ request: Request, peer: String?, trustProxy: Bool) -> String? {
        if trustProxy, let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return peer
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
