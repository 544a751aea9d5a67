import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostStore
import TradepostTestSupport

@Suite("Orders: carts, placement, reservations, transitions, numbering")
struct OrderServiceTests {
    struct World {
        let store: Store
        let tenant: Tenant
        let seller: Business
        let buyer: Business
        let stranger: Business
        let product: Product
        let sellerMember: Caller
        let buyerMember: Caller
        let strangerMember: Caller
        var system: Caller { .system(tenant.id) }
        var orders: SQLiteOrderService { store.orders }
    }

    func world(stock: Int64 = 10, taxRate: String = "20") async throws -> World {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let system = Caller.system(tenant.id)
        let seller = try await store.businesses.createBusiness(system, BusinessInput(name: "Фарм Опт", type: .wholesaler, city: "Kyiv"))
        let buyer = try await store.businesses.createBusiness(system, BusinessInput(name: "Apteka", type: .pharmacy, city: "Lviv"))
        let stranger = try await store.businesses.createBusiness(system, BusinessInput(name: "Other", type: .pharmacy, city: "Odesa"))
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status, input.stockQuantity, input.taxRate) =
            ("PAR-500", "Paracetamol", "UAH", "42.50", .published, stock, taxRate)
        input.tiers = [.init(minQuantity: 10, price: "40.00")]
        let product = try await store.products.createProduct(system, businessID: seller.id, input)
        func member(_ business: Business, _ name: String) async throws -> Caller {
            let user = try await store.users.createUser(system, NewUser(email: "\(name)@acme.test", name: name, password: nil, role: .member)).user
            _ = try await store.businesses.setMember(system, businessID: business.id, userID: user.id, role: .staff)
            return caller(tenant, user)
        }
        return World(store: store, tenant: tenant, seller: seller, buyer: buyer, stranger: stranger, product: product,
                     sellerMember: try await member(seller, "seller"), buyerMember: try await member(buyer, "buyer"),
                     strangerMember: try await member(stranger, "stranger"))
    }

    func level(_ w: World) async throws -> (onHand: Int64, reserved: Int64) {
        try await w.store.tenantDatabases.read(w.tenant.id) { db in
            let row = try Row.fetchOne(db, sql: "SELECT sum(on_hand) AS h, sum(reserved) AS r FROM stock_levels")!
            return (row["h"] ?? 0, row["r"] ?? 0)
        }
    }

    @Test func aCartBecomesAnOrderWithAPriceSnapshotTaxAndANumber() async throws {
        let w = try await world(stock: 20)
        defer { Task { await w.store.remove() } }
        var cart = try await w.orders.setCartLine(w.buyerMember, buyerBusinessID: w.buyer.id, productID: w.product.id, quantity: 3)
        #expect(cart.lines.map(\.priceSource) == [.base] && cart.total == Money(minor: 12750, currency: "UAH") && cart.sellerName == "Фарм Опт")
        cart = try await w.orders.setCartLine(w.buyerMember, buyerBusinessID: w.buyer.id, productID: w.product.id, quantity: 11)
        #expect(cart.lines[0].priceSource == .tier && cart.lines[0].unitPrice?.minor == 4000)
        // Prices change between the cart and the order: the buyer hears before anything is placed.
        do {
            _ = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id,
                                                                           expectedTotal: Money(minor: 12750, currency: "UAH")), idempotency: nil)
            Issue.record("expected price_changed")
        } catch let error as AppError {
            #expect(error.code == .priceChanged && error.members == [.init("total", "440.00")])
        }
        let order = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
            buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, notes: "Ring first", expectedTotal: Money(minor: 44000, currency: "UAH")),
            idempotency: nil)
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year!
        #expect(order.number == "FARM-\(year)-000001" && order.state == .placed && order.buyerName == "Apteka")
        #expect(order.net.minor == 44000 && order.tax.minor == 8800 && order.gross.minor == 52800)
        #expect(order.taxes == [TaxSummary(rate: TaxRate(basisPoints: 2000), net: Money(minor: 44000, currency: "UAH"), tax: Money(minor: 8800, currency: "UAH"))])
        #expect(order.lines?.map(\.reserved) == [11] && order.lines?.map(\.backordered) == [0])
        #expect(order.history?.map(\.to) == [.placed])
        #expect(try await w.orders.carts(w.buyerMember, buyerBusinessID: w.buyer.id).isEmpty)  // the cart with the seller was emptied
        #expect(try await level(w) == (20, 11))
        // Reordering puts the lines back into the cart.
        #expect(try await w.orders.reorder(w.buyerMember, orderID: order.id).lines.map(\.quantity) == [11])
    }

    @Test func onlyTheTwoSidesSeeAnOrderAndEachDoesItsOwnSteps() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let order = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id,
                                                                                lines: [.init(sku: "PAR-500", quantity: 2)]), idempotency: nil)
        await #expect(throws: AppError.notFound("Order")) { try await w.orders.order(w.strangerMember, id: order.id) }
        await #expect(throws: AppError.notFound("Order")) { try await w.orders.transition(w.strangerMember, orderID: order.id, .cancel, reason: nil) }
        await #expect(throws: AppError.forbidden()) { try await w.orders.transition(w.buyerMember, orderID: order.id, .confirm, reason: nil) }
        await #expect(throws: AppError.forbidden()) {
            try await w.orders.orders(w.strangerMember, OrderFilter(side: .seller, businessID: w.seller.id), PageRequest())
        }
        await #expect(throws: AppError.forbidden()) {
            try await w.orders.placeOrder(w.strangerMember, PlaceOrderInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id,
                                                                           lines: [.init(sku: "PAR-500", quantity: 1)]), idempotency: nil)
        }
        #expect(try await w.orders.orders(w.sellerMember, OrderFilter(side: .seller, businessID: w.seller.id), PageRequest()).items.map(\.id) == [order.id])
        #expect(try await w.orders.orders(w.buyerMember, OrderFilter(side: .buyer, businessID: w.buyer.id, state: .confirmed), PageRequest()).items.isEmpty)
        let confirmed = try await w.orders.transition(w.sellerMember, orderID: order.id, .confirm, reason: nil)
        #expect(confirmed.state == .confirmed && confirmed.confirmedAt != nil)
        // Confirmed: the buyer may no longer cancel; the seller may, and the stock comes back.
        await #expect(throws: AppError.forbidden()) { try await w.orders.transition(w.buyerMember, orderID: order.id, .cancel, reason: nil) }
        do {
            _ = try await w.orders.transition(w.sellerMember, orderID: order.id, .complete, reason: nil)
            Issue.record("expected invalid_state")
        } catch let error as AppError {
            #expect(error.code == .invalidState && error.members == [.init("state", "confirmed")])
        }
        let cancelled = try await w.orders.transition(w.sellerMember, orderID: order.id, .cancel, reason: "Buyer called")
        #expect(cancelled.state == .cancelled && cancelled.cancelReason == "Buyer called" && cancelled.lines?.map(\.reserved) == [0])
        #expect(cancelled.history?.map(\.to) == [.placed, .confirmed, .cancelled])
        #expect(try await level(w) == (10, 0))
        #expect(try await w.store.stock.reconcile(w.system, repair: false).drifts.isEmpty)
    }

    @Test func concurrentBuyersNeverReserveMoreThanThereIs() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        let results = await withTaskGroup(of: Result<Order, AppError>.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    do {
                        return .success(try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
                            buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, quantity: 1)]), idempotency: nil))
                    } catch let error as AppError { return .failure(error) } catch { return .failure(.internalError("\(error)")) }
                }
            }
            var all: [Result<Order, AppError>] = []
            for await result in group { all.append(result) }
            return all
        }
        let placed = results.compactMap { try? $0.get() }
        let refused = results.compactMap { if case .failure(let e) = $0 { e } else { nil } }
        #expect(placed.count == 10 && refused.count == 40)
        #expect(refused.allSatisfy { $0.code == .insufficientStock && $0.members.contains(.init("available", 0)) })
        #expect(try await level(w) == (10, 10))
        // Numbers are consecutive: refused placements took none.
        let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year!
        #expect(Set(placed.map(\.number)) == Set((1...10).map { OrderNumber.format(prefix: "FARM", year: year, sequence: Int64($0)) }))
        #expect(try await w.store.stock.reconcile(w.system, repair: false).drifts.isEmpty)
    }

    @Test func backordersWhenTheSellerAllowsThemAndSplitsAcrossWarehouses() async throws {
        let w = try await world(stock: 4)
        defer { Task { await w.store.remove() } }
        let south = try await w.store.stock.createWarehouse(w.system, businessID: w.seller.id, WarehouseInput(name: "South", priority: -1), idempotency: nil)
        _ = try await w.store.stock.move(w.system, businessID: w.seller.id, StockMovementInput(kind: .receipt, productId: w.product.id, warehouseId: south.id, quantity: 3), idempotency: nil)
        var settings = try await w.orders.tradeSettings(w.sellerMember, businessID: w.seller.id)
        #expect(settings.orderPrefix == "FARM" && !settings.allowBackorders)
        settings.allowBackorders = true
        settings.orderPrefix = "FO"
        _ = try await w.orders.setTradeSettings(w.sellerMember, businessID: w.seller.id, settings)
        let order = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id,
                                                                                lines: [.init(productId: w.product.id, quantity: 10)]), idempotency: nil)
        #expect(order.number.hasPrefix("FO-") && order.lines?.first?.reserved == 7 && order.lines?.first?.backordered == 3)
        let split = try await w.store.tenantDatabases.read(w.tenant.id) { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM order_reservations") }
        #expect(split == 2)
        // Stock arrives; confirmation reserves the backordered rest.
        _ = try await w.store.stock.move(w.system, businessID: w.seller.id, StockMovementInput(kind: .receipt, productId: w.product.id, warehouseId: south.id, quantity: 5), idempotency: nil)
        let confirmed = try await w.orders.transition(w.sellerMember, orderID: order.id, .confirm, reason: nil)
        #expect(confirmed.lines?.first?.reserved == 10 && confirmed.lines?.first?.backordered == 0)
        #expect(try await w.store.stock.reconcile(w.system, repair: false).drifts.isEmpty)
    }

    @Test func aRetriedPlacementWithTheSameKeyPlacesOneOrder() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let input = PlaceOrderInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(sku: "PAR-500", quantity: 2)])
        let key = IdempotencyKey(key: "place-1", fingerprint: "f")
        let first = try await w.orders.placeOrder(w.buyerMember, input, idempotency: key)
        let again = try await w.orders.placeOrder(w.buyerMember, input, idempotency: key)
        #expect(first == again)
        #expect(try await w.orders.orders(w.buyerMember, OrderFilter(side: .buyer, businessID: w.buyer.id), PageRequest()).items.count == 1)
        // Bad lines are named, and nothing is placed.
        do {
            _ = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id,
                                                                            lines: [.init(sku: "NOPE", quantity: 1), .init(sku: "PAR-500", quantity: 0)]), idempotency: nil)
            Issue.record("expected invalid")
        } catch let error as AppError {
            #expect(error.code == .invalid && error.fields.map(\.field) == ["lines[1].quantity"])
        }
    }

    @Test func todayIsTheUTCCalendarDateAndTaxesReadBackAsWritten() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let date = Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...7_258_118_400, using: &generator))
            #expect(SQLiteOrderService.today(date) == ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate]))
        }
        #expect(SQLiteOrderService.today(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29")
        let taxes = [TaxSummary(rate: TaxRate(basisPoints: 2000), net: Money(minor: 48000, currency: "UAH"), tax: Money(minor: 9600, currency: "UAH")),
                     TaxSummary(rate: TaxRate(basisPoints: 750), net: Money(minor: 1, currency: "UAH"), tax: Money(minor: 0, currency: "UAH"))]
        #expect(OrderRows.taxes(OrderRows.taxesText(taxes), "UAH") == taxes && OrderRows.taxes("", "UAH").isEmpty)
    }
}
