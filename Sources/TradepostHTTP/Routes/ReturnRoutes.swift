import Foundation
import Hummingbird
import TradepostCore

/// Returns of shipped goods and the credit notes that settle them; sellers' promo codes.
struct ReturnRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("orders/:id/returns", use: request)
        api.get("orders/:id/returns", use: orderReturns)
        api.get("businesses/:id/returns", use: list)
        api.post("returns/:id/accept") { request, context in try await decide(request, context, accept: true) }
        api.post("returns/:id/refuse") { request, context in try await decide(request, context, accept: false) }
        api.post("returns/:id/receive", use: receive)
        api.get("orders/:id/credit-notes", use: creditNotes)
        api.get("credit-notes/:id", use: creditNote)
        api.get("credit-notes/:id/pdf", use: pdf)
        api.get("businesses/:id/promo-codes", use: promoCodes)
        api.post("businesses/:id/promo-codes", use: createPromoCode)
        api.patch("promo-codes/:id", use: setPromoCode)
    }

    struct PromoBody: APIRequestBody {
        var input: PromoCodeInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case code, kind, percent, amount, currency
            case minOrder = "min_order"
            case validFrom = "valid_from"
            case validTo = "valid_to"
            case totalLimit = "total_limit"
            case perBuyerLimit = "per_buyer_limit"
            case productIds = "product_ids"
            case categoryIds = "category_ids"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = PromoCodeInput(
                code: try c.decodeIfPresent(String.self, forKey: .code), kind: try c.decodeIfPresent(PromoCode.Kind.self, forKey: .kind),
                percent: try c.decodeIfPresent(String.self, forKey: .percent), amount: try c.decodeIfPresent(String.self, forKey: .amount),
                currency: try c.decodeIfPresent(String.self, forKey: .currency), minOrder: try c.decodeIfPresent(String.self, forKey: .minOrder),
                validFrom: try c.decodeIfPresent(String.self, forKey: .validFrom), validTo: try c.decodeIfPresent(String.self, forKey: .validTo),
                totalLimit: try c.decodeIfPresent(Int64.self, forKey: .totalLimit), perBuyerLimit: try c.decodeIfPresent(Int64.self, forKey: .perBuyerLimit),
                productIds: try c.decodeIfPresent([String].self, forKey: .productIds), categoryIds: try c.decodeIfPresent([String].self, forKey: .categoryIds))
        }
    }

    struct ActiveBody: APIRequestBody {
        var active: Bool
        enum CodingKeys: String, CodingKey, CaseIterable { case active }
    }

    @Sendable func promoCodes(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<PromoCode>> {
        APIResponse(ListResponse(items: try await services.promos.promoCodes(try context.caller(), sellerBusinessID: try context.parameters.require("id"))))
    }

    @Sendable func createPromoCode(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PromoCode> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeIdempotent(PromoBody.self, limit: maxBody)
        return APIResponse(try await services.promos.createPromoCode(caller, sellerBusinessID: try context.parameters.require("id"), body.input, idempotency: key),
                           status: .created)
    }

    @Sendable func setPromoCode(_ request: Request, context: AppRequestContext) async throws -> APIResponse<PromoCode> {
        let caller = try context.caller()
        let body = try await request.decode(ActiveBody.self, limit: maxBody)
        return APIResponse(try await services.promos.setPromoCodeActive(caller, id: try context.parameters.require("id"), active: body.active))
    }

    struct ReturnBody: APIRequestBody {
        var input: ReturnInput
        enum CodingKeys: String, CodingKey, CaseIterable { case lines, reason }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let lines = try c.decode([FulfilmentRoutes.ShipmentBody.LineBody].self, forKey: .lines)
            input = ReturnInput(lines: lines.map { .init(lineNo: $0.lineNo, quantity: $0.quantity) }, reason: try c.decode(String.self, forKey: .reason))
        }
    }

    struct ReceiveBody: APIRequestBody {
        struct LineBody: Decodable {
            var lineNo: Int
            var damaged: Int64
            enum CodingKeys: String, CodingKey {
                case damaged
                case lineNo = "line_no"
            }
        }
        var input: ReceiveInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case lines
            case warehouseId = "warehouse_id"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = ReceiveInput(warehouseId: try c.decodeIfPresent(String.self, forKey: .warehouseId),
                                 lines: (try c.decodeIfPresent([LineBody].self, forKey: .lines) ?? []).map { .init(lineNo: $0.lineNo, damaged: $0.damaged) })
        }
    }

    @Sendable func request(_ request: Request, context: AppRequestContext) async throws -> APIResponse<OrderReturn> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeIdempotent(ReturnBody.self, limit: maxBody)
        return APIResponse(try await services.returns.requestReturn(caller, orderID: try context.parameters.require("id"), body.input, idempotency: key),
                           status: .created)
    }

    @Sendable func orderReturns(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<OrderReturn>> {
        APIResponse(ListResponse(items: try await services.returns.returns(try context.caller(), orderID: try context.parameters.require("id"))))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<OrderReturn>> {
        let caller = try context.caller()
        let side = try request.query("side", OrderFilter.Side.init(rawValue:), expected: "buyer or seller")
        guard let side else { throw AppError.invalidField("side", "is required: seller (returns to the business) or buyer (returns it asked for)") }
        let filter = OrderFilter(side: side, businessID: try context.parameters.require("id"))
        return APIResponse(ListResponse(try await services.returns.returns(caller, filter, try request.pageRequest())))
    }

    func decide(_ request: Request, _ context: AppRequestContext, accept: Bool) async throws -> APIResponse<OrderReturn> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeOptionalIdempotent(OrderRoutes.ReasonBody.self, limit: maxBody)
        return APIResponse(try await services.returns.decideReturn(caller, returnID: try context.parameters.require("id"), accept: accept, note: body?.reason,
                                                                   idempotency: key))
    }

    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> APIResponse<OrderReturn> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeOptionalIdempotent(ReceiveBody.self, limit: maxBody)
        return APIResponse(try await services.returns.receiveReturn(caller, returnID: try context.parameters.require("id"), body?.input ?? ReceiveInput(),
                                                                    idempotency: key))
    }

    @Sendable func creditNotes(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<CreditNote>> {
        APIResponse(ListResponse(items: try await services.returns.creditNotes(try context.caller(), orderID: try context.parameters.require("id"))))
    }

    @Sendable func creditNote(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreditNote> {
        APIResponse(try await services.returns.creditNote(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func pdf(_ request: Request, context: AppRequestContext) async throws -> Response {
        FulfilmentRoutes.pdfResponse(try await services.documents.creditNotePDF(try context.caller(), creditNoteID: try context.parameters.require("id")))
    }
}
