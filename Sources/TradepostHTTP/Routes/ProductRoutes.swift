import Foundation
import Hummingbird
import TradepostCore

/// Products: everyone reads published ones; a business's members manage its products; tenant admins
/// see everything and moderate.
struct ProductRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("products", use: list)
        api.post("businesses/:id/products", use: create)
        api.get("products/:id", use: get)
        api.patch("products/:id", use: update)
        api.delete("products/:id", use: delete)
        api.get("products/:id/price-history", use: priceHistory)
        api.get("products/:id/price", use: price)
        api.get("moderation/products", use: reviewQueue)
        api.post("products/:id/approve", use: approve)
        api.post("products/:id/reject", use: reject)
        api.get("catalog/settings", use: settings)
        api.put("catalog/settings", use: updateSettings)
    }

    struct RejectBody: APIRequestBody {
        var reason: String
        enum CodingKeys: String, CodingKey, CaseIterable { case reason }
    }

    struct SettingsBody: APIRequestBody {
        var requireReview: Bool
        enum CodingKeys: String, CodingKey, CaseIterable { case requireReview = "require_review" }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Product>> {
        let filter = ProductFilter(
            businessID: request.uri.queryParameters.get("business_id"), categoryID: request.uri.queryParameters.get("category_id"),
            status: try request.query("status", ProductStatus.init(rawValue:), expected: "one of \(ProductStatus.choices)"))
        return APIResponse(ListResponse(try await services.products.products(try context.caller(), try request.pageRequest(), filter: filter)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let caller = try context.caller()
        let business = try context.parameters.require("id")
        let body = try await request.decode(ProductBody.self, limit: maxBody)
        return APIResponse(try await services.products.createProduct(caller, businessID: business, body.input), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        APIResponse(try await services.products.product(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(ProductBody.self, limit: maxBody)
        return APIResponse(try await services.products.updateProduct(caller, id: id, body.input))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        try await services.products.deleteProduct(caller, id: try context.parameters.require("id"))
        // The product's image left with it (a trigger, same transaction); remove its file now.
        try? await services.blobs.collectGarbage(try caller.tenant())
        return .noContent
    }

    @Sendable func priceHistory(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PriceChange>> {
        APIResponse(ListResponse(try await services.products.priceHistory(
            try context.caller(), productID: try context.parameters.require("id"), try request.pageRequest())))
    }

    @Sendable func price(_ request: Request, context: AppRequestContext) async throws -> APIResponse<EffectivePrice> {
        let caller = try context.caller()
        let quantity = try request.query("quantity", { Int64($0).flatMap { $0 > 0 && $0 <= 1_000_000_000 ? $0 : nil } },
                                         expected: "a whole number from 1 to 10^9")
        guard let quantity else { throw AppError.invalidField("quantity", "is required") }
        let day = try request.query("date", { PriceListInput.isDate($0) ? $0 : nil }, expected: "a date like 2026-12-31")
            ?? String(ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]))
        return APIResponse(try await services.priceLists.effectivePrice(
            caller, productID: try context.parameters.require("id"), quantity: quantity,
            buyer: request.uri.queryParameters.get("buyer_business_id"), day: day))
    }

    @Sendable func reviewQueue(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Product>> {
        APIResponse(ListResponse(try await services.products.reviewQueue(try context.caller(), try request.pageRequest())))
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        APIResponse(try await services.products.review(try context.caller(), id: try context.parameters.require("id"), approve: true, reason: nil))
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let caller = try context.caller()
        let body = try await request.decode(RejectBody.self, limit: maxBody)
        return APIResponse(try await services.products.review(caller, id: try context.parameters.require("id"), approve: false, reason: body.reason))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogSettings> {
        APIResponse(try await services.products.catalogSettings(try context.caller()))
    }

    @Sendable func updateSettings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogSettings> {
        let caller = try context.caller()
        let body = try await request.decode(SettingsBody.self, limit: maxBody)
        return APIResponse(try await services.products.updateCatalogSettings(caller, CatalogSettings(requireReview: body.requireReview)))
    }
}
