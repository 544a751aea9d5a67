import Foundation
import Hummingbird
import TradepostCore

/// Carts, orders and sellers' trade settings. A buyer business's members keep their carts and
/// place and follow its orders; the seller's members handle the orders placed with it.
struct OrderRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("businesses/:id/carts", use: carts)
        api.put("businesses/:id/cart/lines/:product", use: setCartLine)
        api.post("businesses/:id/cart/quick", use: quickOrder)
        api.post("orders", use: place)
        api.get("businesses/:id/orders", use: list)
        api.get("orders/:id", use: get)
        api.post("orders/:id/reorder", use: reorder)
        for action in [OrderAction.approve, .confirm, .cancel, .deliver, .complete] {
            api.post("orders/:id/\(action.rawValue)") { request, context in try await transition(request, context, action) }
        }
        api.get("businesses/:id/trade-settings", use: settings)
        api.put("businesses/:id/trade-settings", use: setSettings)
    }

    struct QuantityBody: APIRequestBody {
        var quantity: Int64
        enum CodingKeys: String, CodingKey, CaseIterable { case quantity }
    }

    struct QuickBody: APIRequestBody {
        var text: String
        enum CodingKeys: String, CodingKey, CaseIterable { case text }
    }

    struct ReasonBody: APIRequestBody {
        var reason: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case reason }
    }

    struct TermsBody: Decodable {
        var kind: PaymentTerms.Kind
        var days: Int?
        var terms: PaymentTerms { PaymentTerms(kind: kind, days: days) }
    }

    struct PlaceBody: APIRequestBody {
        struct LineBody: Decodable {
            var productId: String?
            var sku: String?
            var quantity: Int64
            enum CodingKeys: String, CodingKey {
                case sku, quantity
                case productId = "product_id"
            }
        }

        var input: PlaceOrderInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case lines, notes
            case buyerBusinessId = "buyer_business_id"
            case sellerBusinessId = "seller_business_id"
            case deliveryAddress = "delivery_address"
            case requestedDate = "requested_date"
            case paymentTerms = "payment_terms"
            case expectedTotal = "expected_total"
            case promoCode = "promo_code"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = PlaceOrderInput(
                buyerBusinessId: try c.decodeIfPresent(String.self, forKey: .buyerBusinessId),
                sellerBusinessId: try c.decodeIfPresent(String.self, forKey: .sellerBusinessId),
                lines: try c.decodeIfPresent([LineBody].self, forKey: .lines)?.map { .init(productId: $0.productId, sku: $0.sku, quantity: $0.quantity) },
                notes: try c.decodeIfPresent(String.self, forKey: .notes),
                deliveryAddress: try c.decodeIfPresent(String.self, forKey: .deliveryAddress),
                requestedDate: try c.decodeIfPresent(String.self, forKey: .requestedDate),
                paymentTerms: try c.decodeIfPresent(TermsBody.self, forKey: .paymentTerms)?.terms,
                expectedTotal: try c.decodeIfPresent(Money.self, forKey: .expectedTotal),
                promoCode: try c.decodeIfPresent(String.self, forKey: .promoCode))
        }
    }

    struct SettingsBody: APIRequestBody {
        var settings: TradeSettings
        enum CodingKeys: String, CodingKey, CaseIterable {
            case orderPrefix = "order_prefix"
            case pricesIncludeTax = "prices_include_tax"
            case allowBackorders = "allow_backorders"
            case defaultPaymentTerms = "default_payment_terms"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            settings = TradeSettings(orderPrefix: try c.decode(String.self, forKey: .orderPrefix),
                                     pricesIncludeTax: try c.decode(Bool.self, forKey: .pricesIncludeTax),
                                     allowBackorders: try c.decode(Bool.self, forKey: .allowBackorders),
                                     defaultPaymentTerms: try c.decode(TermsBody.self, forKey: .defaultPaymentTerms).terms)
        }
    }

    @Sendable func carts(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Cart>> {
        APIResponse(ListResponse(items: try await services.orders.carts(try context.caller(), buyerBusinessID: context.parameters.require("id"))))
    }

    @Sendable func setCartLine(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Cart> {
        let caller = try context.caller()
        let (buyer, product) = (try context.parameters.require("id"), try context.parameters.require("product"))
        let body = try await request.decode(QuantityBody.self, limit: maxBody)
        return APIResponse(try await services.orders.setCartLine(caller, buyerBusinessID: buyer, productID: product, quantity: body.quantity))
    }

    @Sendable func quickOrder(_ request: Request, context: AppRequestContext) async throws -> APIResponse<QuickOrderResult> {
        let caller = try context.caller()
        let buyer = try context.parameters.require("id")
        let (body, key) = try await request.decodeIdempotent(QuickBody.self, limit: maxBody)
        return APIResponse(try await services.orders.quickOrder(caller, buyerBusinessID: buyer, text: body.text, idempotency: key))
    }

    @Sendable func place(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Order> {
        let caller = try context.caller()
        let (body, key) = try await request.decodeIdempotent(PlaceBody.self, limit: maxBody)
        return APIResponse(try await services.orders.placeOrder(caller, body.input, idempotency: key), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Order>> {
        let caller = try context.caller()
        let side = try request.query("side", OrderFilter.Side.init(rawValue:), expected: "buyer or seller")
        guard let side else { throw AppError.invalidField("side", "is required: buyer (orders the business placed) or seller (orders placed with it)") }
        let state = try request.query("state", OrderState.init(rawValue:), expected: "one of \(OrderState.choices)")
        let filter = OrderFilter(side: side, businessID: try context.parameters.require("id"), state: state)
        return APIResponse(ListResponse(try await services.orders.orders(caller, filter, try request.pageRequest())))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Order> {
        APIResponse(try await services.orders.order(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func reorder(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Cart> {
        APIResponse(try await services.orders.reorder(try context.caller(), orderID: try context.parameters.require("id"),
                                                      idempotency: try request.idempotencyKey(body: Data())))
    }

    func transition(_ request: Request, _ context: AppRequestContext, _ action: OrderAction) async throws -> APIResponse<Order> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        // A body is optional: {"reason": "..."} for a cancellation.
        let (body, key) = try await request.decodeOptionalIdempotent(ReasonBody.self, limit: maxBody)
        return APIResponse(try await services.orders.transition(caller, orderID: id, action, reason: body?.reason, idempotency: key))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradeSettings> {
        APIResponse(try await services.orders.tradeSettings(try context.caller(), businessID: try context.parameters.require("id")))
    }

    @Sendable func setSettings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TradeSettings> {
        let caller = try context.caller()
        let business = try context.parameters.require("id")
        let body = try await request.decode(SettingsBody.self, limit: maxBody)
        return APIResponse(try await services.orders.setTradeSettings(caller, businessID: business, body.settings))
    }
}
