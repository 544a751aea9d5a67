import Foundation
import Hummingbird
import TradepostCore

/// Negotiations in conversations: offers, requests for quote (also from a cart), counters,
/// acceptance into an order, declining.
struct NegotiationRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("conversations/:id/negotiations", use: start)
        api.get("conversations/:id/negotiations", use: list)
        api.get("negotiations/:id", use: get)
        api.post("negotiations/:id/counter", use: counter)
        api.post("negotiations/:id/accept", use: accept)
        api.post("negotiations/:id/decline", use: decline)
        api.post("businesses/:id/quote-requests", use: requestQuote)
    }

    struct LineBody: Decodable {
        var productId: String?
        var sku: String?
        var quantity: Int64
        var unitPrice: String?
        enum CodingKeys: String, CodingKey {
            case sku, quantity
            case productId = "product_id", unitPrice = "unit_price"
        }
    }

    /// An offer's fields; a counter adds `revision` (the one it answers).
    struct OfferBody: APIRequestBody {
        var input: OfferInput
        var revision: Int?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, lines, note, side, revision
            case expiresAt = "expires_at", deliveryTerms = "delivery_terms", paymentTerms = "payment_terms"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            var expires: Date?
            if let text = try c.decodeIfPresent(String.self, forKey: .expiresAt) {
                let fractional = ISO8601DateFormatter()
                fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                guard let date = ISO8601DateFormatter().date(from: text) ?? fractional.date(from: text) else {
                    throw DecodingError.dataCorruptedError(forKey: .expiresAt, in: c, debugDescription: "not a date-time")
                }
                expires = date
            }
            input = OfferInput(kind: try c.decodeIfPresent(OfferRevision.Kind.self, forKey: .kind),
                               lines: try c.decode([LineBody].self, forKey: .lines).map { .init(productId: $0.productId, sku: $0.sku, quantity: $0.quantity, unitPrice: $0.unitPrice) },
                               expiresAt: expires, deliveryTerms: try c.decodeIfPresent(String.self, forKey: .deliveryTerms),
                               paymentTerms: try c.decodeIfPresent(String.self, forKey: .paymentTerms), note: try c.decodeIfPresent(String.self, forKey: .note),
                               side: try c.decodeIfPresent(TradeSide.self, forKey: .side))
            revision = try c.decodeIfPresent(Int.self, forKey: .revision)
        }
    }

    struct DecisionBody: APIRequestBody {
        var revision: Int
        var reason: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case revision, reason }
    }

    struct QuoteBody: APIRequestBody {
        var sellerBusinessId: String
        var note: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case note
            case sellerBusinessId = "seller_business_id"
        }
    }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Negotiation> {
        let (body, key) = try await request.decodeIdempotent(OfferBody.self, limit: maxBody)
        guard body.revision == nil else { throw AppError.invalidField("revision", "is given only when countering") }
        return APIResponse(try await services.negotiations.start(try context.caller(), conversationID: try context.parameters.require("id"), body.input,
                                                                 idempotency: key), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Negotiation>> {
        APIResponse(ListResponse(items: try await services.negotiations.negotiations(try context.caller(), conversationID: try context.parameters.require("id"))))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Negotiation> {
        APIResponse(try await services.negotiations.negotiation(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func counter(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Negotiation> {
        let (body, key) = try await request.decodeIdempotent(OfferBody.self, limit: maxBody)
        guard let revision = body.revision else { throw AppError.invalidField("revision", "is required: the revision this answers") }
        return APIResponse(try await services.negotiations.counter(try context.caller(), id: try context.parameters.require("id"), revision: revision,
                                                                   body.input, idempotency: key), status: .created)
    }

    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Negotiation> {
        let (body, key) = try await request.decodeIdempotent(DecisionBody.self, limit: maxBody)
        if body.reason != nil { throw AppError.invalidField("reason", "is given only when declining") }
        return APIResponse(try await services.negotiations.accept(try context.caller(), id: try context.parameters.require("id"), revision: body.revision,
                                                                  idempotency: key))
    }

    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Negotiation> {
        let (body, key) = try await request.decodeIdempotent(DecisionBody.self, limit: maxBody)
        return APIResponse(try await services.negotiations.decline(try context.caller(), id: try context.parameters.require("id"), revision: body.revision,
                                                                   reason: body.reason, idempotency: key))
    }

    @Sendable func requestQuote(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Negotiation> {
        let (body, key) = try await request.decodeIdempotent(QuoteBody.self, limit: maxBody)
        return APIResponse(try await services.negotiations.requestQuote(try context.caller(), buyerBusinessID: try context.parameters.require("id"),
                                                                        sellerBusinessID: body.sellerBusinessId, note: body.note, idempotency: key),
                           status: .created)
    }
}
