import Foundation
import Hummingbird
import TradepostCore

/// The businesses of the caller's tenant and their members.
struct BusinessRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("businesses", use: list)
        api.get("me/businesses", use: mine)
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
        let caller = try context.caller()
        let body = try await request.decode(VerificationBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.setVerified(caller, id: try context.parameters.require("id"), verified: body.verified))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Business>> {
        let caller = try context.caller()
        let filter = BusinessFilter(
            query: request.uri.queryParameters.get("q"),
            type: try request.query("type", BusinessType.init(rawValue:), expected: "one of \(BusinessType.choices)"),
            city: request.uri.queryParameters.get("city"),
            verified: try request.flag("verified"))
        // Words go to the directory's search (ranked, stemmed, typo-tolerant); without them, the plain list.
        if let query = filter.query, query.contains(where: { $0.isLetter || $0.isNumber }) {
            return APIResponse(ListResponse(try await services.search.businesses(caller, filter, try request.pageRequest())))
        }
        return APIResponse(ListResponse(try await services.businesses.businesses(caller, try request.pageRequest(), filter: filter)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        let caller = try context.caller()
        let body = try await request.decode(BusinessBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.createBusiness(caller, body.input), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        APIResponse(try await services.businesses.business(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Business> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(BusinessBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.updateBusiness(caller, id: id, body.input))
    }

    @Sendable func members(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<BusinessMember>> {
        APIResponse(ListResponse(items: try await services.businesses.members(try context.caller(), businessID: try context.parameters.require("id"))))
    }

    @Sendable func setMember(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BusinessMember> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(MemberBody.self, limit: maxBody)
        return APIResponse(try await services.businesses.setMember(caller, businessID: id, userID: try context.parameters.require("user_id"), role: body.role))
    }

    @Sendable func removeMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.businesses.removeMember(
            try context.caller(), businessID: try context.parameters.require("id"), userID: try context.parameters.require("user_id"))
        return .noContent
    }

    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<MyBusiness>> {
        APIResponse(ListResponse(items: try await services.businesses.myBusinesses(try context.caller())))
    }
}
