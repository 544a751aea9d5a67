import Hummingbird
import Synchronization
import TradepostCore

/// Turns every error thrown below it into a problem response (see `Problem`). A path that exists
/// with other methods gets 405 with `Allow`, not 404.
struct ProblemMiddleware: RouterMiddleware {
    let routes: RouteIndex

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var appError = Problem.appError(from: error, method: request.method, path: request.uri.path, logger: context.logger)
            var allow: [String] = []
            if appError.code == .notFound, (error as? HTTPError)?.status == .notFound {
                allow = routes.methods(for: request.uri.path)
                if !allow.isEmpty { appError = AppError(.methodNotAllowed, "Method \(request.method) is not allowed on \(request.uri.path)") }
            }
            return Problem.response(for: appError, instance: request.uri.path, requestID: context.requestID, allow: allow)
        }
    }
}

/// The registered route patterns, to answer "which methods does this path take?".
final class RouteIndex: Sendable {
    private let patterns = Mutex<[(segments: [Substring], methods: [String])]>([])

    func load(_ routes: [(method: String, path: String)]) {
        var grouped: [String: [String]] = [:]
        for route in routes { grouped[route.path, default: []].append(route.method) }
        patterns.withLock {
            $0 = grouped.map { (path, methods) in (path.split(separator: "/"), methods.sorted()) }
        }
    }

    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return patterns.withLock { patterns in
            for pattern in patterns where pattern.segments.count == segments.count {
                let matches = zip(pattern.segments, segments).allSatisfy { $0.first == ":" || $0 == $1 }
                if matches && !pattern.segments.contains(where: { $0.hasPrefix("*") }) { return pattern.methods }
            }
            return []
        }
    }
}
