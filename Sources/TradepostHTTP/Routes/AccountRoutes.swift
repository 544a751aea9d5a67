import Foundation
import Hummingbird
import TradepostCore

/// The caller's own account: profile, password, sessions, API tokens; and their tenant.
struct AccountRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("me", use: me)
        api.patch("me", use: updateMe)
        api.post("me/password", use: changePassword)
        api.get("me/sessions", use: sessions)
        api.delete("me/sessions/:id", use: revokeSession)
        api.get("me/tokens", use: tokens)
        api.post("me/tokens", use: createToken)
        api.delete("me/tokens/:id", use: revokeToken)
        api.get("tenant", use: tenant)
    }

    struct MeUpdateBody: APIRequestBody {
        var name: String?
        var locale: String??
        enum CodingKeys: String, CodingKey, CaseIterable { case name, locale }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            locale = try c.decodeNullable(String.self, forKey: .locale)
        }
    }

    struct PasswordBody: APIRequestBody {
        var currentPassword: String
        var newPassword: String
        enum CodingKeys: String, CodingKey, CaseIterable {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    struct TokenBody: APIRequestBody {
        var name: String
        var scopes: [Scope]
        var expiresInDays: Int?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, scopes
            case expiresInDays = "expires_in_days"
        }
    }

    struct CreatedToken: Encodable {
        var token: APIToken
        /// Shown once: store it now, it cannot be retrieved again.
        var secret: String
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> APIResponse<MeResponse> {
        let principal = try context.authorize(.accountRead)
        return APIResponse(try await MeResponse.build(principal, services: services, cookieToken: context.cookieToken))
    }

    @Sendable func updateMe(_ request: Request, context: AppRequestContext) async throws -> APIResponse<MeResponse> {
        var principal = try context.authorize(.accountUpdate)
        let body = try await request.decode(MeUpdateBody.self, limit: maxBody)
        guard principal.tenantID != nil else {
            throw AppError.forbidden("Platform admins change their profile with `tradepost user` on the server")
        }
        let user = try await services.users.updateProfile(try context.caller(), UserUpdate(name: body.name, locale: body.locale))
        principal.name = user.name
        principal.locale = user.locale
        return APIResponse(try await MeResponse.build(principal, services: services, cookieToken: context.cookieToken))
    }

    /// Changes the caller's password and ends their other sessions and tokens.
    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.authorize(.accountUpdate)
        let body = try await request.decode(PasswordBody.self, limit: maxBody)
        if let tenant = principal.tenantID {
            try await services.users.changePassword(
                tenant, id: principal.userID, current: body.currentPassword, new: body.newPassword, audit: try context.audit())
        } else {
            try await services.admins.changePassword(
                email: principal.email, current: body.currentPassword, new: body.newPassword, audit: try context.audit())
        }
        try await services.auth.revokeAll(userID: principal.userID, tenantID: principal.tenantID, except: principal.credential)
        return .noContent
    }

    @Sendable func sessions(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<SessionInfo>> {
        let principal = try context.authorize(.accountRead)
        return APIResponse(ListResponse(items: try await services.auth.sessions(of: principal)))
    }

    @Sendable func revokeSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.authorize(.accountUpdate)
        try await services.auth.revokeSession(id: try context.parameters.require("id"), of: principal)
        return .noContent
    }

    @Sendable func tokens(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<APIToken>> {
        let principal = try context.authorize(.accountRead)
        return APIResponse(ListResponse(items: try await services.auth.tokens(of: principal)))
    }

    @Sendable func createToken(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreatedToken> {
        let principal = try context.authorize(.tokensManage)
        let body = try await request.decode(TokenBody.self, limit: maxBody)
        let created = try await services.auth.createToken(
            NewAPIToken(name: body.name, scopes: body.scopes, expiresInDays: body.expiresInDays ?? 90), for: principal)
        return APIResponse(CreatedToken(token: created.token, secret: created.secret), status: .created)
    }

    @Sendable func revokeToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let principal = try context.authorize(.tokensManage)
        try await services.auth.revokeToken(id: try context.parameters.require("id"), of: principal)
        return .noContent
    }

    @Sendable func tenant(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Tenant> {
        let caller = try context.caller()
        return APIResponse(try await services.tenants.tenant(caller, id: try caller.tenant()))
    }
}
