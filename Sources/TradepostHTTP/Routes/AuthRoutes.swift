import Foundation
import Hummingbird
import TradepostCore

/// Logging in and out.
struct AuthRoutes {
    let services: AppServices
    let cookies: SessionCookies
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("auth/login", use: login)
        api.post("auth/logout", use: logout)
        api.get("auth/session", use: currentSession)
    }

    struct SessionState: Encodable {
        /// The caller, or null when the request carries no valid credential.
        var me: MeResponse?
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(me, forKey: .me)
        }
        enum CodingKeys: String, CodingKey { case me }
    }

    /// "Is anyone signed in?" answered without an error, so the web app can boot quietly.
    /// A suspended tenant is still an error (403): the user must be told.
    @Sendable func currentSession(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SessionState> {
        if let failure = context.authFailure, failure.code == .tenantSuspended { throw failure }
        guard let principal = context.principal else { return APIResponse(SessionState(me: nil)) }
        return APIResponse(SessionState(me: try await MeResponse.build(principal, services: services, cookieToken: context.cookieToken)))
    }

    struct LoginBody: APIRequestBody {
        /// The tenant's slug; omit it to log in as a platform admin.
        var tenant: String?
        var email: String
        var password: String
        /// "token" (default) returns the token in JSON; "cookie" sets the HttpOnly session cookie instead.
        var mode: Mode?
        enum Mode: String, Codable { case token, cookie }
        enum CodingKeys: String, CodingKey, CaseIterable { case tenant, email, password, mode }
    }

    struct LoginResponse: Encodable {
        var token: String?
        var csrfToken: String?
        var sessionId: String
        var expiresAt: Date
        var me: MeResponse
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(LoginBody.self, limit: maxBody)
        let cookieMode = body.mode == .cookie
        if cookieMode && request.headers[.secFetchSite] == "cross-site" {
            throw AppError.forbidden("A cross-site page may not log you in")
        }
        var v = Validator()
        if body.email.isEmpty { v.fail("email", "is required") }
        if body.password.isEmpty { v.fail("password", "is required") }
        try v.check()
        let result = try await services.auth.login(
            LoginRequest(tenant: body.tenant.flatMap { $0.isEmpty ? nil : $0 }, email: body.email, password: body.password),
            client: ClientInfo(ip: context.clientIP, userAgent: request.headers[.userAgent]))
        return try await Self.signedIn(result, cookieMode: cookieMode, request: request, context: context, services: services, cookies: cookies)
    }

    /// The answer to a sign-in (password or Telegram): the token in JSON, or the HttpOnly cookie and
    /// its CSRF token, with who signed in.
    static func signedIn(_ result: LoginResult, cookieMode: Bool, request: Request, context: AppRequestContext, services: AppServices,
                         cookies: SessionCookies) async throws -> Response {
        context.trace.identify(result.principal)
        let me = try await MeResponse.build(result.principal, services: services)
        let payload = LoginResponse(
            token: cookieMode ? nil : result.token,
            csrfToken: cookieMode ? SessionCookies.csrfToken(for: result.token) : nil,
            sessionId: result.session.id, expiresAt: result.session.expiresAt, me: me)
        var response = try APIResponse(payload).response(from: request, context: context)
        if cookieMode { cookies.set(result.token, on: &response, request: request) }
        return response
    }

    /// Ends the session the request came with (a no-op for API tokens) and clears the cookie.
    /// Works without a valid session too, so a user of a suspended tenant can still sign out.
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let id = context.principal?.credential.sessionID { try await services.auth.logout(sessionID: id) }
        var response = Response.noContent
        cookies.clear(on: &response, request: request)
        return response
    }
}

/// Who the caller is and what the interface may offer them.
struct MeResponse: Encodable {
    struct TenantRef: Encodable {
        var id: String
        var slug: String
        var name: String
    }

    var id: String
    var kind: String
    var email: String
    var name: String
    var role: String?
    var userKind: String?
    var locale: String?
    var tenant: TenantRef?
    var scopes: [String]
    /// Every `Action` the policy allows this caller (the web app shapes its navigation from it).
    var permissions: [String]
    var csrfToken: String?

    static func build(_ principal: Principal, services: AppServices, cookieToken: String? = nil) async throws -> MeResponse {
        var tenant: TenantRef?
        if let id = principal.tenantID {
            if let slug = principal.tenantSlug, let name = principal.tenantName {
                tenant = TenantRef(id: id.rawValue, slug: slug, name: name)
            } else {
                let t = try await services.tenants.tenant(id: id)
                tenant = TenantRef(id: t.id.rawValue, slug: t.slug, name: t.name)
            }
        }
        return MeResponse(
            id: principal.userID, kind: principal.kind.rawValue, email: principal.email, name: principal.name,
            role: principal.role?.rawValue, userKind: principal.userKind?.rawValue, locale: principal.locale, tenant: tenant,
            scopes: principal.scopes.sorted().map(\.rawValue),
            permissions: Action.allCases.filter { action in
                principal.scopes.contains { $0 >= action.requiredScope } && Policy.allows(principal, action, PolicyFacts())
            }.map(\.rawValue),
            csrfToken: cookieToken.map(SessionCookies.csrfToken(for:)))
    }
}
