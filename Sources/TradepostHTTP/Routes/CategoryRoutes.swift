import Foundation
import Hummingbird
import TradepostCore

/// The category tree of the caller's tenant: everyone reads it, tenant admins shape it.
struct CategoryRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("categories", use: list)
        api.post("categories", use: create)
        api.patch("categories/:id", use: update)
        api.post("categories/:id/merge", use: merge)
        api.delete("categories/:id", use: delete)
    }

    struct NewCategoryBody: APIRequestBody {
        var name: String
        var parentId: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case parentId = "parent_id"
        }
    }

    /// A missing `parent_id` keeps the parent; `null` makes the category a root.
    struct CategoryUpdateBody: APIRequestBody {
        var name: String?
        var parentId: String??
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case parentId = "parent_id"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            parentId = try c.decodeNullable(String.self, forKey: .parentId)
        }
    }

    struct MergeBody: APIRequestBody {
        var into: String
        enum CodingKeys: String, CodingKey, CaseIterable { case into }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<TradepostCore.Category>> {
        APIResponse(ListResponse(items: try await services.categories.categories(try context.caller())))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradepostCore.Category> {
        let caller = try context.caller()
        let body = try await request.decode(NewCategoryBody.self, limit: maxBody)
        return APIResponse(try await services.categories.createCategory(caller, name: body.name, parentID: body.parentId), status: .created)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradepostCore.Category> {
        let caller = try context.caller()
        let body = try await request.decode(CategoryUpdateBody.self, limit: maxBody)
        return APIResponse(try await services.categories.updateCategory(
            caller, id: try context.parameters.require("id"), name: body.name, parentID: body.parentId))
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradepostCore.Category> {
        let caller = try context.caller()
        let body = try await request.decode(MergeBody.self, limit: maxBody)
        return APIResponse(try await services.categories.mergeCategory(caller, id: try context.parameters.require("id"), into: body.into))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.categories.deleteCategory(try context.caller(), id: try context.parameters.require("id"))
        return .noContent
    }
}
