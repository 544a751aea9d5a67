import HTTPTypes
import Hummingbird

/// Headers every response carries. The Content-Security-Policy is set by the web routes on HTML.
struct SecurityHeadersMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // Appended as fields made once: no route sets these, and a field made per response is
        // validated (and its name lowercased) per response.
        response.headers.append(contentsOf: Self.fields)
        if response.headers[.cacheControl] == nil { response.headers.append(Self.noStore) }
        return response
    }

    static let fields: [HTTPField] = [
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: .referrerPolicy, value: "same-origin"),
        HTTPField(name: .xFrameOptions, value: "DENY"),
        HTTPField(name: HTTPField.Name("Cross-Origin-Opener-Policy")!, value: "same-origin"),
    ]
    static let noStore = HTTPField(name: .cacheControl, value: "no-store")
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentSecurityPolicy = HTTPField.Name("Content-Security-Policy")!
}
