import Foundation
import Hummingbird
import TradepostCore

/// The businesses of the caller's tenant and their members.
struct BusinessRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("businesses", use: list)
        api.post("businesses", use: create)
        api.get("businesses/:id", use: get)
        api.patch("businesses/:id", use: update)
        api.put("businesses/:id/verification", use: verify)
        api.get("businesses/:id/members", use: members)
        api.put("businesses/:id/members/:user_id", use: setMember)
        api.delete("businesses/:id/members/:user_id", use: removeMember)
    }

    /// Create and update share one body; on update a missing field stays, `null` clears an optional one.
    struct BusinessBody: APIRequestBody {
        var input: BusinessInput
        enum CodingKeys: String, CodingKey, CaseIterable { case name, type, city, address, phone, email, website, description, latitude, longitude }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = BusinessInput(
                name: try c.decodeIfPresent(String.self, forKey: .name),
                type: try c.decodeIfPresent(BusinessType.self, forKey: .type),
                city: try c.decodeIfPresent(String.self, forKey: .city),
                address: try c.decodeNullable(String.self, forKey: .address),
                phone: try c.decodeNullable(String.self, forKey: .phone),
                email: try c.decodeNullable(String.self, forKey: .email),
                website: try c.decodeNullable(String.self, forKey: .website),
                description: try c.decodeNullable(String.self, forKey: .description),
                latitude: try c.decodeNullable(Double.self, forKey: .latitude),
                longitude: try c.decodeNullable(Double.self, forKey: .longitude))
        }
    }

    struct VerificationBody: APIRequestBody {
        var verified: Bool
        enum CodingKeys: String, CodingKey, CaseIterable { case verified }
    }

    struct MemberBody: APIRequestBody {
        var role: BusinessRole
        enum CodingKeys: String, CodingKey, CaseIterable { case role }
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        let (tenant, _) = try context.tenant(for: .businessesVerify)
        let body = try await request.decode(VerificationBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.setVerified(
            tenant, id: try context.parameters.require("id"), verified: body.verified, audit: try context.audit()))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Business>> {
        let (tenant, _) = try context.tenant(for: .businessesRead)
        let filter = BusinessFilter(
            query: request.uri.queryParameters.get("q"),
            type: try request.query("type", BusinessType.init(rawValue:), expected: "one of \(BusinessType.choices)"),
            city: request.uri.queryParameters.get("city"),
            verified: try request.flag("verified"))
        // Words go to the directory's search (ranked, stemmed, typo-tolerant); without them, the plain list.
        if let query = filter.query, query.contains(where: { $0.isLetter || $0.isNumber }) {
            return APIResponse(ListResponse(try await services.search.businesses(tenant, filter, try request.pageRequest())))
        }
        return APIResponse(ListResponse(try await services.businesses.businesses(tenant, try request.pageRequest(), filter: filter)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        let (tenant, _) = try context.tenant(for: .businessesCreate)
        let body = try await request.decode(BusinessBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.createBusiness(tenant, body.input, audit: try context.audit()), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        let (tenant, _) = try context.tenant(for: .businessesRead)
        return APIResponse(try await services.businesses.business(tenant, id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        let (tenant, id) = try await authorizeBusiness(.businessUpdate, context)
        let body = try await request.decode(BusinessBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.updateBusiness(tenant, id: id, body.input, audit: try context.audit()))
    }

    @Sendable func members(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<BusinessMember>> {
        let (tenant, _) = try context.tenant(for: .businessesRead)
        return APIResponse(ListResponse(items: try await services.businesses.members(tenant, businessID: try context.parameters.require("id"))))
    }

    @Sendable func setMember(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BusinessMember> {
        let (tenant, id) = try await authorizeBusiness(.businessMembersManage, context)
        let body = try await request.decode(MemberBody.self, limit: maxBody)
        let member = try await services.businesses.setMember(
            tenant, businessID: id, userID: try context.parameters.require("user_id"), role: body.role, audit: try context.audit())
        return APIResponse(member)
    }

    @Sendable func removeMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, id) = try await authorizeBusiness(.businessMembersManage, context)
        try await services.businesses.removeMember(
            tenant, businessID: id, userID: try context.parameters.require("user_id"), audit: try context.audit())
        return .noContent
    }

    /// Tenant admins, or managers of this business. A business of another tenant is a 404.
    func authorizeBusiness(_ action: Action, _ context: AppRequestContext) async throws -> (TenantID, String) {
        let (tenant, principal) = try context.tenant(for: .businessesRead)
        let id = try context.parameters.require("id")
        let role = try await services.businesses.membership(tenant, businessID: id, userID: principal.userID)
        try Policy.authorize(principal, action, PolicyFacts(businessRole: role))
        return (tenant, id)
    }
}
