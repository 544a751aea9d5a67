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
        APIResponse(ListResponse(items: try await services.priceLists.groups(try context.caller(), sellerBusinessID: context.parameters.require("id"))))
    }

    @Sendable func createGroup(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BuyerGroup> {
        let caller = try context.caller()
        let seller = try context.parameters.require("id")
        let body = try await request.decode(GroupBody.self, limit: maxBody)
        guard let name = body.name else { throw AppError.invalidField("name", "is required") }
        return APIResponse(try await services.priceLists.createGroup(caller, sellerBusinessID: seller, name: name, buyerBusinessIDs: body.buyerBusinessIds ?? []),
                           status: .created)
    }

    @Sendable func updateGroup(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BuyerGroup> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(GroupBody.self, limit: maxBody)
        return APIResponse(try await services.priceLists.updateGroup(caller, id: id, name: body.name, buyerBusinessIDs: body.buyerBusinessIds))
    }

    @Sendable func deleteGroup(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.priceLists.deleteGroup(try context.caller(), id: try context.parameters.require("id"))
        return .noContent
    }

    // MARK: - Price lists

    @Sendable func listPriceLists(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PriceList>> {
        APIResponse(ListResponse(items: try await services.priceLists.priceLists(try context.caller(), sellerBusinessID: context.parameters.require("id"))))
    }

    @Sendable func createPriceList(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PriceList> {
        let caller = try context.caller()
        let seller = try context.parameters.require("id")
        let body = try await request.decode(PriceListBody.self, limit: maxBody)
        return APIResponse(try await services.priceLists.createPriceList(caller, sellerBusinessID: seller, body.input), status: .created)
    }

    @Sendable func getPriceList(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PriceList> {
        APIResponse(try await services.priceLists.priceList(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func updatePriceList(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PriceList> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(PriceListBody.self, limit: maxBody)
        return APIResponse(try await services.priceLists.updatePriceList(caller, id: id, body.input))
    }

    @Sendable func deletePriceList(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.priceLists.deletePriceList(try context.caller(), id: try context.parameters.require("id"))
        return .noContent
    }

    @Sendable func myPriceLists(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PriceList>> {
        APIResponse(ListResponse(items: try await services.priceLists.myPriceLists(try context.caller())))
    }
}
