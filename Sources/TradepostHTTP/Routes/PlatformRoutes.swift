import Foundation
import Hummingbird
import TradepostCore

/// Platform administration: tenants and plans. Only platform admins get past the policy.
struct PlatformRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("admin/plans", use: plans)
        api.get("admin/tenants", use: list)
        api.post("admin/tenants", use: create)
        api.get("admin/tenants/:id", use: get)
        api.patch("admin/tenants/:id", use: update)
        api.post("admin/tenants/:id/suspend", use: suspend)
        api.post("admin/tenants/:id/resume", use: resume)
        api.get("admin/tenants/:id/users", use: users)
        api.post("admin/tenants/:id/users", use: createUser)
    }

    struct OwnerBody: APIRequestBody {
        var email: String
        var name: String
        var password: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case email, name, password }
    }

    struct CreateBody: APIRequestBody {
        var slug: String
        var name: String
        var plan: String?
        var timeZone: String?
        /// The tenant's first owner, created with it.
        var owner: OwnerBody?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case slug, name, plan, owner
            case timeZone = "time_zone"
        }
        static var nested: [String: any APIRequestBody.Type] { ["owner": OwnerBody.self] }
    }

    struct UpdateBody: APIRequestBody {
        var name: String?
        var plan: String?
        var timeZone: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, plan
            case timeZone = "time_zone"
        }
    }

    struct CreatedTenantResponse: Encodable {
        var tenant: Tenant
        var owner: UserRoutes.CreatedUserResponse?
    }

    @Sendable func plans(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Plan>> {
        APIResponse(ListResponse(items: try await services.tenants.plans(try context.caller())))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Tenant>> {
        let status = try request.query("status", TenantStatus.init(rawValue:), expected: "one of \(TenantStatus.choices)")
        return APIResponse(ListResponse(try await services.tenants.tenants(try context.caller(), try request.pageRequest(), status: status)))
    }

    /// Creates the tenant and, when `owner` is given, its first owner (the service checks the
    /// owner before creating anything, so a bad owner leaves no half-made tenant).
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreatedTenantResponse> {
        let body = try await request.decode(CreateBody.self, limit: maxBody)
        let created = try await services.tenants.createTenant(
            try context.caller(), NewTenant(slug: body.slug, name: body.name, plan: body.plan ?? "standard", timeZone: body.timeZone ?? "UTC"),
            owner: body.owner.map { NewUser(email: $0.email, name: $0.name, password: $0.password, role: .owner) })
        return APIResponse(CreatedTenantResponse(
            tenant: created.tenant, owner: created.owner.map { .init(user: $0.user, generatedPassword: $0.generatedPassword) }), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Tenant> {
        APIResponse(try await services.tenants.tenant(try context.caller(), id: try tenantID(context)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Tenant> {
        let caller = try context.caller()
        let id = try tenantID(context)
        let body = try await request.decode(UpdateBody.self, limit: maxBody)
        let update = TenantUpdate(name: body.name, plan: body.plan, timeZone: body.timeZone)
        return APIResponse(try await services.tenants.updateTenant(caller, id: id, update))
    }

    @Sendable func suspend(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Tenant> {
        APIResponse(try await services.tenants.setStatus(try context.caller(), id: try tenantID(context), .suspended))
    }

    @Sendable func resume(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Tenant> {
        APIResponse(try await services.tenants.setStatus(try context.caller(), id: try tenantID(context), .active))
    }

    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<User>> {
        APIResponse(ListResponse(try await services.tenants.users(try context.caller(), tenant: try tenantID(context), try request.pageRequest())))
    }

    @Sendable func createUser(_ request: Request, context: AppRequestContext) async throws -> APIResponse<UserRoutes.CreatedUserResponse> {
        let caller = try context.caller()
        let id = try tenantID(context)
        let body = try await request.decode(UserRoutes.CreateBody.self, limit: maxBody)
        let created = try await services.tenants.createUser(caller, tenant: id, body.newUser)
        return APIResponse(.init(user: created.user, generatedPassword: created.generatedPassword), status: .created)
    }

    /// A malformed id can never name a tenant: answer 404 before touching the disk.
    private func tenantID(_ context: AppRequestContext) throws -> TenantID {
        let raw = try context.parameters.require("id")
        guard Identifier.isValid(raw) else { throw AppError.notFound("Tenant") }
        return TenantID(raw)
    }
}
