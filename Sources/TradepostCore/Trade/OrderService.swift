import Foundation

/// Carts and orders between businesses of a tenant. A buyer business's members see its carts and
/// orders; the seller's members see the orders placed with it; tenant admins see all; to everyone
/// else an order does not exist (`.notFound`). Each method is one transaction; every transition
/// writes its audit entry and its `order.<state>` event in it.
public protocol OrderService: Sendable {
    /// The caller's carts of one buyer business (one per seller). Throws `.notFound`, `.forbidden`.
    func carts(_ caller: Caller, buyerBusinessID: String) async throws -> [Cart]
    /// Sets a product's quantity in the caller's cart (0 removes it); answers that seller's cart.
    /// Throws `.invalid`, `.notFound` (product), `.forbidden` (not a member of the buyer).
    func setCartLine(_ caller: Caller, buyerBusinessID: String, productID: String, quantity: Int64) async throws -> Cart
    /// Adds pasted "SKU quantity" lines to the caller's carts. Throws `.invalid`, `.notFound`, `.forbidden`.
    func quickOrder(_ caller: Caller, buyerBusinessID: String, text: String, idempotency: IdempotencyKey?) async throws -> QuickOrderResult
    /// Puts a past order's lines back into the caller's cart with its seller. Throws `.notFound`, `.forbidden`.
    func reorder(_ caller: Caller, orderID: String, idempotency: IdempotencyKey?) async throws -> Cart

    /// Places an order, re-pricing every line now and reserving stock. Throws `.invalid`, `.notFound`,
    /// `.forbidden`, `.conflict` (409 `price_changed` with the new total when `expectedTotal` differs),
    /// `.insufficientStock` (the seller takes no backorders), `.idempotencyKeyReused`.
    func placeOrder(_ caller: Caller, _ input: PlaceOrderInput, idempotency: IdempotencyKey?) async throws -> Order
    /// With lines and history; `id` may also be the order's number. Throws `.notFound`.
    func order(_ caller: Caller, id: String) async throws -> Order
    /// Newest first, without lines. Throws `.invalid` (cursor), `.notFound`, `.forbidden`.
    func orders(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<Order>
    /// Approves, confirms, cancels (releasing its stock), marks delivered or completes an order.
    /// The buyer may cancel; the seller does the rest (and may cancel). Throws `.notFound`,
    /// `.forbidden`, `.invalidState` (409 with the current state), `.insufficientStock` (confirming
    /// lines the seller cannot cover and takes no backorders).
    func transition(_ caller: Caller, orderID: String, _ action: OrderAction, reason: String?, idempotency: IdempotencyKey?) async throws -> Order

    /// Changes to the orders the caller sees, after sequence number `after` (nil: none, just the
    /// latest number), oldest first, at most `limit`; and the tenant's latest number. For the live socket.
    func liveEvents(_ caller: Caller, after: Int64?, limit: Int) async throws -> (events: [OrderLiveEvent], latest: Int64)

    /// A seller's trade rules (defaults until set). Throws `.notFound`, `.forbidden`.
    func tradeSettings(_ caller: Caller, businessID: String) async throws -> TradeSettings
    /// Throws `.invalid`, `.notFound`, `.forbidden`.
    func setTradeSettings(_ caller: Caller, businessID: String, _ settings: TradeSettings) async throws -> TradeSettings
}

/// Every unsafe call of the trade takes an `Idempotency-Key` (a retry gets the first answer and
/// changes nothing again); callers that never retry (the command line, tests) leave it out.
extension OrderService {
    public func quickOrder(_ caller: Caller, buyerBusinessID: String, text: String) async throws -> QuickOrderResult {
        try await quickOrder(caller, buyerBusinessID: buyerBusinessID, text: text, idempotency: nil)
    }
    public func reorder(_ caller: Caller, orderID: String) async throws -> Cart { try await reorder(caller, orderID: orderID, idempotency: nil) }
    public func transition(_ caller: Caller, orderID: String, _ action: OrderAction, reason: String?) async throws -> Order {
        try await transition(caller, orderID: orderID, action, reason: reason, idempotency: nil)
    }
}
