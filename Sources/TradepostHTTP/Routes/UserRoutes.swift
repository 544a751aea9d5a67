import Foundation
import Hummingbird
import TradepostCore

/// The users of the caller's tenant.
struct UserRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("users", use: list)
        api.post("users", use: create)
        api.get("users/:id", use: get)
        api.patch("users/:id", use: update)
        api.post("users/:id/password", use: setPassword)
    }

    struct CreateBody: APIRequestBody {
        var email: String
        var name: String
        var password: String?
        var role: TenantRole?
        var kind: UserKind?
        enum CodingKeys: String, CodingKey, CaseIterable { case email, name, password, role, kind }

        var newUser: NewUser { NewUser(email: email, name: name, password: password, role: role ?? .member, kind: kind ?? .member) }
    }

    struct UpdateBody: APIRequestBody {
        var name: String?
        var role: TenantRole?
        var kind: UserKind?
        var disabled: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable { case name, role, kind, disabled }
    }

    struct PasswordBody: APIRequestBody {
        var password: String
        enum CodingKeys: String, CodingKey, CaseIterable { case password }
    }

    struct CreatedUserResponse: Encodable {
        var user: User
        /// Present when no password was given: shown once, pass it to the user.
        var generatedPassword: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<User>> {
        let caller = try context.caller()
        let filter = UserFilter(
            query: request.uri.queryParameters.get("q"),
            role: try request.query("role", TenantRole.init(rawValue:), expected: "one of \(TenantRole.choices)"))
        return APIResponse(ListResponse(try await services.users.users(caller, try request.pageRequest(), filter: filter)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreatedUserResponse> {
        let caller = try context.caller()
        let body = try await request.decode(CreateBody.self, limit: maxBody)
        let created = try await services.users.createUser(caller, body.newUser)
        return APIResponse(CreatedUserResponse(user: created.user, generatedPassword: created.generatedPassword), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<User> {
        APIResponse(try await services.users.user(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<User> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(UpdateBody.self, limit: maxBody)
        let update = UserUpdate(name: body.name, role: body.role, kind: body.kind, disabled: body.disabled)
        return APIResponse(try await services.users.updateUser(caller, id: id, update))
    }

    /// An admin sets someone's password; their sessions and tokens end.
    @Sendable func setPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(PasswordBody.self, limit: maxBody)
        try await services.users.setPassword(caller, id: id, password: body.password)
        return .noContent
    }
}
