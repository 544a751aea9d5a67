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
        let (tenant, _) = try context.tenant(for: .usersRead)
        let filter = UserFilter(
            query: request.uri.queryParameters.get("q"),
            role: try request.query("role", TenantRole.init(rawValue:), expected: "one of \(TenantRole.choices)"))
        return APIResponse(ListResponse(try await services.users.users(tenant, try request.pageRequest(), filter: filter)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreatedUserResponse> {
        let (tenant, principal) = try context.tenant(for: .usersManage)
        let body = try await request.decode(CreateBody.self, limit: maxBody)
        try Policy.authorize(principal, .usersManage, PolicyFacts(newRole: body.role ?? .member))
        let created = try await services.users.createUser(tenant, body.newUser, audit: try context.audit())
        return APIResponse(CreatedUserResponse(user: created.user, generatedPassword: created.generatedPassword), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<User> {
        let (tenant, _) = try context.tenant(for: .usersRead)
        return APIResponse(try await services.users.user(tenant, id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<User> {
        let (tenant, principal) = try context.tenant(for: .usersManage)
        let id = try context.parameters.require("id")
        let target = try await services.users.user(tenant, id: id)
        let body = try await request.decode(UpdateBody.self, limit: maxBody)
        try Policy.authorize(principal, .usersManage, PolicyFacts(targetRole: target.role, newRole: body.role))
        let update = UserUpdate(name: body.name, role: body.role, kind: body.kind, disabled: body.disabled)
        return APIResponse(try await services.users.updateUser(tenant, id: id, update, audit: try context.audit()))
    }

    /// An admin sets someone's password; their sessions and tokens end.
    @Sendable func setPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, principal) = try context.tenant(for: .usersManage)
        let id = try context.parameters.require("id")
        let target = try await services.users.user(tenant, id: id)
        try Policy.authorize(principal, .usersManage, PolicyFacts(targetRole: target.role))
        let body = try await request.decode(PasswordBody.self, limit: maxBody)
        try await services.users.setPassword(tenant, id: id, password: body.password, audit: try context.audit())
        return .noContent
    }
}
