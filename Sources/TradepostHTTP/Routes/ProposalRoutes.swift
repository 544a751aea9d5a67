import Foundation
import Hummingbird
import TradepostCore

/// Negotiating a placed order: the seller proposes a new version, the buyer accepts or declines it.
struct ProposalRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("orders/:id/proposals", use: propose)
        api.get("orders/:id/proposals", use: list)
        api.post("proposals/:id/accept") { request, context in try await decide(request, context, accept: true) }
        api.post("proposals/:id/decline") { request, context in try await decide(request, context, accept: false) }
    }

    struct ProposalBody: APIRequestBody {
        struct LineBody: Decodable {
            var productId: String?
            var sku: String?
            var quantity: Int64
            var unitPrice: String?
            enum CodingKeys: String, CodingKey {
                case sku, quantity
                case productId = "product_id"
                case unitPrice = "unit_price"
            }
        }
        var input: OrderChangeInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case lines, note
            case requestedDate = "requested_date"
            case deliveryAddress = "delivery_address"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = OrderChangeInput(
                lines: try c.decode([LineBody].self, forKey: .lines).map { .init(productId: $0.productId, sku: $0.sku, quantity: $0.quantity, unitPrice: $0.unitPrice) },
                requestedDate: try c.decodeIfPresent(String.self, forKey: .requestedDate),
                deliveryAddress: try c.decodeIfPresent(String.self, forKey: .deliveryAddress), note: try c.decodeIfPresent(String.self, forKey: .note))
        }
    }

    @Sendable func propose(_ request: Request, context: AppRequestContext) async throws -> APIResponse<OrderProposal> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeIdempotent(ProposalBody.self, limit: maxBody)
        return APIResponse(try await services.proposals.propose(caller, orderID: try context.parameters.require("id"), body.input, idempotency: key),
                           status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<OrderProposal>> {
        APIResponse(ListResponse(items: try await services.proposals.proposals(try context.caller(), orderID: try context.parameters.require("id"))))
    }

    func decide(_ request: Request, _ context: AppRequestContext, accept: Bool) async throws -> APIResponse<OrderProposal> {
        APIResponse(try await services.proposals.decide(try context.caller(), proposalID: try context.parameters.require("id"), accept: accept,
                                                        idempotency: try request.idempotencyKey(body: Data())))
    }
}
