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
        let (tenant, _) = try context.tenant(for: .catalogRead)
        return APIResponse(ListResponse(items: try await services.categories.categories(tenant)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradepostCore.Category> {
        let (tenant, _) = try context.tenant(for: .categoriesManage)
        let body = try await request.decode(NewCategoryBody.self, limit: maxBody)
        let created = try await services.categories.createCategory(tenant, name: body.name, parentID: body.parentId, audit: try context.audit())
        return APIResponse(created, status: .created)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradepostCore.Category> {
        let (tenant, _) = try context.tenant(for: .categoriesManage)
        let body = try await request.decode(CategoryUpdateBody.self, limit: maxBody)
        return APIResponse(try await services.categories.updateCategory(
            tenant, id: try context.parameters.require("id"), name: body.name, parentID: body.parentId, audit: try context.audit()))
    }

    @Sendable func merge(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradepostCore.Category> {
        let (tenant, _) = try context.tenant(for: .categoriesManage)
        let body = try await request.decode(MergeBody.self, limit: maxBody)
        return APIResponse(try await services.categories.mergeCategory(
            tenant, id: try context.parameters.require("id"), into: body.into, audit: try context.audit()))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, _) = try context.tenant(for: .categoriesManage)
        try await services.categories.deleteCategory(tenant, id: try context.parameters.require("id"), audit: try context.audit())
        return .noContent
    }
}
