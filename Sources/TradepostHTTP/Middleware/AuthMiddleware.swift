import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TradepostCore

/// Resolves the caller from `Authorization: Bearer <token>` or the session cookie.
///
/// A bad bearer token fails the request at once (the client meant to authenticate), except on the
/// endpoints that work without a credential: signing in must not depend on an old one, logging out
/// with an expired one is done, and the session check answers "nobody". A stale cookie never fails
/// a request by itself: public endpoints such as login must still work, and protected ones report the reason.
/// Unsafe methods authenticated by the cookie must carry the session's CSRF token in `X-CSRF-Token`
/// and, when the browser sends `Origin`, come from our own origin.
struct AuthMiddleware: RouterMiddleware {
    let auth: any AuthService
    let cookies: SessionCookies

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw AppError(.unauthenticated, "Use Authorization: Bearer <token>")
            }
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            do {
                context.principal = try await auth.authenticate(token: token)
            } catch let error as AppError where Self.credentialOptional.contains(request.uri.path) && error.code == .unauthenticated {
                context.authFailure = error
            }
        } else if let token = cookies.token(in: request) {
            do {
                context.principal = try await auth.authenticate(token: token)
                context.cookieToken = token
                if Self.isUnsafe(request.method) && !Self.csrfExempt.contains(request.uri.path) {
                    try checkCSRF(request, token: token)
                }
            } catch let error as AppError where error.code == .unauthenticated || error.code == .tenantSuspended {
                context.principal = nil
                context.authFailure = error
            }
        }
        if let principal = context.principal { context.trace.identify(principal) }
        return try await next(request, context)
    }

    /// Login makes a new session (its own cross-site check is in the route); logout only ends one.
    static let csrfExempt: Set<String> = ["/api/v1/auth/login"]
    /// Endpoints that answer without a credential, so a stale one is ignored rather than refused.
    static let credentialOptional: Set<String> = ["/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/session"]

    /// Whether an `Origin` header names the host (and port) the request was sent to.
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let url = URL(string: origin), let originHost = url.host?.lowercased() else { return false }
        let defaultPort = url.scheme == "https" ? 443 : 80
        let originAuthority = "\(originHost):\(url.port ?? defaultPort)"
        let hostParts = host.lowercased().split(separator: ":", maxSplits: 1)
        let hostAuthority = "\(hostParts[0]):\(hostParts.count > 1 ? String(hostParts[1]) : String(defaultPort))"
        return originAuthority == hostAuthority
    }

    static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    func checkCSRF(_ request: Request, token: String) throws {
        let presented = request.headers[.csrfToken] ?? ""
        guard ConstantTime.equals(presented, SessionCookies.csrfToken(for: token)) else {
            throw AppError.forbidden("The X-CSRF-Token header is missing or does not match this session")
        }
        if let origin = request.headers[.origin], !Self.sameOrigin(origin, host: request.head.authority) {
            throw AppError.forbidden("Cross-origin requests may not use the session cookie")
        }
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure (with the `__Host-` prefix) under TLS.
struct SessionCookies: Sendable {
    let secure: Bool
    let trustProxy: Bool
    let lifetime: TimeInterval

    static let plainName = "tp_session"
    static let secureName = "__Host-tp_session"

    func isSecure(_ request: Request) -> Bool {
        secure || (trustProxy && request.headers[.xForwardedProto]?.lowercased() == "https")
    }

    func token(in request: Request) -> String? {
        request.cookies[Self.secureName]?.value ?? request.cookies[Self.plainName]?.value
    }

    func set(_ token: String, on response: inout Response, request: Request) {
        let secure = isSecure(request)
        let name = secure ? Self.secureName : Self.plainName
        response.headers[values: .setCookie].append(
            "\(name)=\(token); Path=/; Max-Age=\(Int(lifetime)); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""))
    }

    func clear(on response: inout Response, request: Request) {
        for name in [Self.plainName, Self.secureName] where request.cookies[name] != nil {
            response.headers[values: .setCookie].append(
                "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (name == Self.secureName ? "; Secure" : ""))
        }
    }

    /// Derived from the session token, so it needs no storage and cannot be computed from the
    /// stored hash: SHA-256("csrf:" + token), hex.
    static func csrfToken(for sessionToken: String) -> String {
        SHA256.hash(data: Data(("csrf:" + sessionToken).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

enum ConstantTime {
    /// Compares without an early exit, so timing does not tell how much of a guess was right.
    static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
