import Hummingbird
import TradepostCore

/// Refuses a request whose path or query, once percent-decoded, is not UTF-8 text: invalid UTF-8
/// (raw bytes arrive here percent-encoded by `RequestHeadGuard`) or a control character. Routes
/// then read parameters knowing they are text; without this, Hummingbird handed a parameter it
/// could not decode to the route still encoded ("%FF") and the request went on.
struct RequestTargetMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        if let problem = Self.problem(path: request.uri.path, query: request.uri.query) { throw problem }
        return try await next(request, context)
    }

    /// The error naming what is wrong (`path`, or each query parameter by its name), or nil.
    static func problem(path: String, query: String?) -> AppError? {
        var fields: [AppError.FieldError] = []
        if let message = complaint(path) { fields.append(.init("path", message)) }
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let nameProblem = complaint(parts[0])
            // A parameter is named by its own name when that is readable, else just "query".
            let name = nameProblem == nil ? PercentDecoding.utf8(parts[0]) ?? "query" : "query"
            if let message = nameProblem ?? (parts.count > 1 ? complaint(parts[1]) : nil) { fields.append(.init(name, message)) }
        }
        guard !fields.isEmpty else { return nil }
        return AppError.invalid("The request's URL must be UTF-8 text without control characters", fields: fields)
    }

    /// Why a percent-encoded part is refused, or nil when it is fine; cheap when nothing is encoded.
    static func complaint(_ part: Substring) -> String? {
        let raw = part.utf8
        if !raw.contains(UInt8(ascii: "%")) {
            return raw.contains(where: { $0 < 0x20 || $0 == 0x7F }) ? "contains a control character" : nil
        }
        guard let text = PercentDecoding.utf8(part) else { return "is not valid UTF-8" }
        return text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) ? "contains a control character" : nil
    }

    static func complaint(_ part: String) -> String? { complaint(part[...]) }
}
