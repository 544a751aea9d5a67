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
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let filter = ProductFilter(
            businessID: request.uri.queryParameters.get("business_id"), categoryID: request.uri.queryParameters.get("category_id"),
            status: try request.query("status", ProductStatus.init(rawValue:), expected: "one of \(ProductStatus.choices)"))
        let visibility = try await visibility(tenant, principal)
        return APIResponse(ListResponse(try await services.products.products(tenant, try request.pageRequest(), filter: filter, visibility: visibility)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let business = try context.parameters.require("id")
        let role = try await services.businesses.membership(tenant, businessID: business, userID: principal.userID)
        try Policy.authorize(principal, .productsManage, PolicyFacts(businessRole: role))
        let body = try await request.decode(ProductBody.self, limit: maxBody)
        return APIResponse(try await services.products.createProduct(tenant, businessID: business, body.input, audit: try context.audit()),
                           status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        return APIResponse(try await services.products.product(
            tenant, id: try context.parameters.require("id"), visibility: try await visibility(tenant, principal)))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let (tenant, id) = try await authorizeProduct(context)
        let body = try await request.decode(ProductBody.self, limit: maxBody)
        return APIResponse(try await services.products.updateProduct(tenant, id: id, body.input, audit: try context.audit()))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, id) = try await authorizeProduct(context)
        try await services.products.deleteProduct(tenant, id: id, audit: try context.audit())
        // The product's image left with it (a trigger, same transaction); remove its file now.
        try? await services.blobs.collectGarbage(tenant)
        return .noContent
    }

    @Sendable func priceHistory(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PriceChange>> {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        return APIResponse(ListResponse(try await services.products.priceHistory(
            tenant, productID: try context.parameters.require("id"), visibility: try await visibility(tenant, principal), try request.pageRequest())))
    }

    @Sendable func price(_ request: Request, context: AppRequestContext) async throws -> APIResponse<EffectivePrice> {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let quantity = try request.query("quantity", { Int64($0).flatMap { $0 > 0 && $0 <= 1_000_000_000 ? $0 : nil } },
                                         expected: "a whole number from 1 to 10^9")
        guard let quantity else { throw AppError.invalidField("quantity", "is required") }
        let day = try request.query("date", { PriceListInput.isDate($0) ? $0 : nil }, expected: "a date like 2026-12-31")
            ?? String(ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]))
        let id = try context.parameters.require("id")
        let visibility = try await visibility(tenant, principal)
        let mine = try await services.businesses.memberships(tenant, userID: principal.userID)
        var buyers = Array(mine.keys).sorted()
        if let buyer = request.uri.queryParameters.get("buyer_business_id") {
            // Someone's contract price is theirs to see, their seller's and the tenant admins'; nobody else's.
            let product = try await services.products.product(tenant, id: id, visibility: visibility)
            guard mine[buyer] != nil || mine[product.businessId] != nil || visibility.all else {
                throw AppError.notFound("Business")
            }
            buyers = [buyer]
        }
        return APIResponse(try await services.priceLists.effectivePrice(
            tenant, productID: id, quantity: quantity, buyers: buyers, day: day, visibility: visibility))
    }

    @Sendable func reviewQueue(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Product>> {
        let (tenant, _) = try context.tenant(for: .productsReview)
        return APIResponse(ListResponse(try await services.products.reviewQueue(tenant, try request.pageRequest())))
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let (tenant, _) = try context.tenant(for: .productsReview)
        return APIResponse(try await services.products.review(
            tenant, id: try context.parameters.require("id"), approve: true, reason: nil, audit: try context.audit()))
    }

    @Sendable func reject(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Product> {
        let (tenant, _) = try context.tenant(for: .productsReview)
        let body = try await request.decode(RejectBody.self, limit: maxBody)
        return APIResponse(try await services.products.review(
            tenant, id: try context.parameters.require("id"), approve: false, reason: body.reason, audit: try context.audit()))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogSettings> {
        let (tenant, _) = try context.tenant(for: .catalogRead)
        return APIResponse(try await services.products.catalogSettings(tenant))
    }

    @Sendable func updateSettings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogSettings> {
        let (tenant, _) = try context.tenant(for: .catalogSettings)
        let body = try await request.decode(SettingsBody.self, limit: maxBody)
        return APIResponse(try await services.products.updateCatalogSettings(
            tenant, CatalogSettings(requireReview: body.requireReview), audit: try context.audit()))
    }

    /// Tenant admins see every product; members also their own businesses' unpublished ones.
    func visibility(_ tenant: TenantID, _ principal: Principal) async throws -> ProductVisibility {
        if Policy.allows(principal, .productsReview) { return ProductVisibility(all: true, ownBusinesses: []) }
        let own = try await services.businesses.memberships(tenant, userID: principal.userID)
        return ProductVisibility(all: false, ownBusinesses: Set(own.keys))
    }

    /// A product the caller may change: tenant admins, or members of its business. Hidden ones are 404.
    func authorizeProduct(_ context: AppRequestContext) async throws -> (TenantID, String) {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let id = try context.parameters.require("id")
        let product = try await services.products.product(tenant, id: id, visibility: try await visibility(tenant, principal))
        let role = try await services.businesses.membership(tenant, businessID: product.businessId, userID: principal.userID)
        try Policy.authorize(principal, .productsManage, PolicyFacts(businessRole: role))
        return (tenant, id)
    }
}
