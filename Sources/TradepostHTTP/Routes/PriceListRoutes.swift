import Foundation
import Hummingbird
import TradepostCore

/// Customer prices. A seller's members (and tenant admins) manage its buyer groups and price lists;
/// a buyer's members read the lists made for them; nobody else learns they exist (404).
struct PriceListRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("businesses/:id/buyer-groups", use: listGroups)
        api.post("businesses/:id/buyer-groups", use: createGroup)
        api.patch("buyer-groups/:id", use: updateGroup)
        api.delete("buyer-groups/:id", use: deleteGroup)
        api.get("businesses/:id/price-lists", use: listPriceLists)
        api.post("businesses/:id/price-lists", use: createPriceList)
        api.get("price-lists/:id", use: getPriceList)
        api.patch("price-lists/:id", use: updatePriceList)
        api.delete("price-lists/:id", use: deletePriceList)
        api.get("me/price-lists", use: myPriceLists)
    }

    struct GroupBody: APIRequestBody {
        var name: String?
        var buyerBusinessIds: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name
            case buyerBusinessIds = "buyer_business_ids"
        }
    }

    struct PriceListBody: APIRequestBody {
        struct ItemBody: Decodable {
            var productId: String?
            var sku: String?
            var price: ProductBody.DecimalText
            enum CodingKeys: String, CodingKey {
                case productId = "product_id"
                case sku, price
            }
        }

        var input: PriceListInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, items
            case buyerBusinessId = "buyer_business_id"
            case buyerGroupId = "buyer_group_id"
            case validFrom = "valid_from"
            case validTo = "valid_to"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = PriceListInput(
                name: try c.decodeIfPresent(String.self, forKey: .name),
                buyerBusinessId: try c.decodeIfPresent(String.self, forKey: .buyerBusinessId),
                buyerGroupId: try c.decodeIfPresent(String.self, forKey: .buyerGroupId),
                validFrom: c.contains(.validFrom) ? .some(try c.decodeIfPresent(String.self, forKey: .validFrom)) : nil,
                validTo: c.contains(.validTo) ? .some(try c.decodeIfPresent(String.self, forKey: .validTo)) : nil,
                items: try c.decodeIfPresent([ItemBody].self, forKey: .items)?.map {
                    PriceListInput.Item(productId: $0.productId, sku: $0.sku, price: $0.price.text)
                })
        }
    }

    // MARK: - Buyer groups

    @Sendable func listGroups(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<BuyerGroup>> {
        let (tenant, seller) = try await authorizeSeller(context, context.parameters.require("id"))
        return APIResponse(ListResponse(items: try await services.priceLists.groups(tenant, sellerBusinessID: seller)))
    }

    @Sendable func createGroup(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BuyerGroup> {
        let (tenant, seller) = try await authorizeSeller(context, context.parameters.require("id"))
        let body = try await request.decode(GroupBody.self, limit: maxBody)
        guard let name = body.name else { throw AppError.invalidField("name", "is required") }
        return APIResponse(try await services.priceLists.createGroup(
            tenant, sellerBusinessID: seller, name: name, buyerBusinessIDs: body.buyerBusinessIds ?? [], audit: try context.audit()),
                           status: .created)
    }

    @Sendable func updateGroup(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BuyerGroup> {
        let (tenant, group) = try await authorizeGroup(context)
        let body = try await request.decode(GroupBody.self, limit: maxBody)
        return APIResponse(try await services.priceLists.updateGroup(
            tenant, id: group.id, name: body.name, buyerBusinessIDs: body.buyerBusinessIds, audit: try context.audit()))
    }

    @Sendable func deleteGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, group) = try await authorizeGroup(context)
        try await services.priceLists.deleteGroup(tenant, id: group.id, audit: try context.audit())
        return .noContent
    }

    // MARK: - Price lists

    @Sendable func listPriceLists(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PriceList>> {
        let (tenant, seller) = try await authorizeSeller(context, context.parameters.require("id"))
        return APIResponse(ListResponse(items: try await services.priceLists.priceLists(tenant, sellerBusinessID: seller)))
    }

    @Sendable func createPriceList(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PriceList> {
        let (tenant, seller) = try await authorizeSeller(context, context.parameters.require("id"))
        let body = try await request.decode(PriceListBody.self, limit: maxBody)
        return APIResponse(try await services.priceLists.createPriceList(tenant, sellerBusinessID: seller, body.input, audit: try context.audit()),
                           status: .created)
    }

    @Sendable func getPriceList(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PriceList> {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let list = try await services.priceLists.priceList(tenant, id: try context.parameters.require("id"))
        if (try? await authorizeSeller(context, list.sellerBusinessId)) != nil { return APIResponse(list) }
        // A buyer's member sees the list when it is made for one of their businesses.
        let mine = try await services.businesses.memberships(tenant, userID: principal.userID)
        let theirs = try await services.priceLists.priceLists(tenant, buyerBusinessIDs: Array(mine.keys))
        guard theirs.contains(where: { $0.id == list.id }) else { throw AppError.notFound("Price list") }
        return APIResponse(list)
    }

    @Sendable func updatePriceList(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PriceList> {
        let (tenant, list) = try await authorizeList(context)
        let body = try await request.decode(PriceListBody.self, limit: maxBody)
        return APIResponse(try await services.priceLists.updatePriceList(tenant, id: list.id, body.input, audit: try context.audit()))
    }

    @Sendable func deletePriceList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, list) = try await authorizeList(context)
        try await services.priceLists.deletePriceList(tenant, id: list.id, audit: try context.audit())
        return .noContent
    }

    @Sendable func myPriceLists(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PriceList>> {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let mine = try await services.businesses.memberships(tenant, userID: principal.userID)
        return APIResponse(ListResponse(items: try await services.priceLists.priceLists(tenant, buyerBusinessIDs: Array(mine.keys).sorted())))
    }

    // MARK: - Helpers

    /// The seller business, which the caller may manage; a business that does not exist is 404.
    private func authorizeSeller(_ context: AppRequestContext, _ business: String) async throws -> (TenantID, String) {
        (try await services.managedBusiness(context, business), business)
    }

    private func authorizeGroup(_ context: AppRequestContext) async throws -> (TenantID, BuyerGroup) {
        let (tenant, _) = try context.tenant(for: .catalogRead)
        let group = try await services.priceLists.group(tenant, id: try context.parameters.require("id"))
        guard (try? await authorizeSeller(context, group.sellerBusinessId)) != nil else { throw AppError.notFound("Buyer group") }
        return (tenant, group)
    }

    private func authorizeList(_ context: AppRequestContext) async throws -> (TenantID, PriceList) {
        let (tenant, _) = try context.tenant(for: .catalogRead)
        let list = try await services.priceLists.priceList(tenant, id: try context.parameters.require("id"))
        guard (try? await authorizeSeller(context, list.sellerBusinessId)) != nil else { throw AppError.notFound("Price list") }
        return (tenant, list)
    }
}
