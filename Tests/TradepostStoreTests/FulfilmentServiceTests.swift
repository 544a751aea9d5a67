import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostStore
import TradepostTestSupport

@Suite("Fulfilment: shipments, gapless invoice numbers, frozen invoices, payments, overdue, credit limits")
struct FulfilmentServiceTests {
    typealias World = OrderServiceTests.World

    func world(stock: Int64 = 100) async throws -> World { try await OrderServiceTests().world(stock: stock) }

    func confirmedOrder(_ w: World, quantity: Int64 = 5) async throws -> Order {
        let order = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
            buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, sku: nil, quantity: quantity)]),
            idempotency: nil)
        return try await w.orders.transition(w.sellerMember, orderID: order.id, .confirm, reason: nil)
    }

    @Test func concurrentIssuesNumberInvoicesWithoutGapsAndAFailedIssueLeavesNoHole() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        var orders: [Order] = []
        for _ in 0..<12 { orders.append(try await confirmedOrder(w, quantity: 2)) }
        let numbers = try await withThrowingTaskGroup(of: String.self) { group in
            for order in orders {
                group.addTask { try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: order.id, InvoiceInput(), idempotency: nil).number }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(numbers.map { Int($0.suffix(6))! }.sorted() == Array(1...12))
        // Nothing left to invoice: refused, and the series does not move.
        await #expect(throws: AppError.self) {
            _ = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: orders[0].id, InvoiceInput(), idempotency: nil)
        }
        let next = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: try await confirmedOrder(w).id, InvoiceInput(), idempotency: nil)
        #expect(next.number.hasSuffix("-000013") && next.number.hasPrefix("INV-FARM-"))
        // Another series counts on its own.
        let credit = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: try await confirmedOrder(w).id, InvoiceInput(series: "PRO"), idempotency: nil)
        #expect(credit.number.hasPrefix("PRO-FARM-") && credit.number.hasSuffix("-000001"))
    }

    @Test func anIssuedInvoiceIsNeverEditedOrDeleted() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let invoice = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: try await confirmedOrder(w).id, InvoiceInput(), idempotency: nil)
        for sql in ["UPDATE invoices SET gross_minor = 1", "DELETE FROM invoices", "UPDATE invoice_lines SET quantity = 1", "DELETE FROM invoice_lines",
                    "UPDATE invoices SET seller = '{}'"] {
            await #expect(throws: DatabaseError.self) { try await w.store.tenantDatabases.write(w.tenant.id) { try $0.execute(sql: sql) } }
        }
        let again = try await w.store.fulfilment.invoice(w.buyerMember, id: invoice.number)
        #expect(again.gross == invoice.gross && again.lines == invoice.lines)
    }

    @Test func shipmentsTakeStockOffAndMoveTheOrder() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        let order = try await confirmedOrder(w, quantity: 6)
        let first = try await w.store.fulfilment.ship(w.sellerMember, orderID: order.id, ShipmentInput(lines: [.init(lineNo: 1, quantity: 4)], carrier: "Meest"), idempotency: nil)
        #expect(first.number == 1 && first.lines.map(\.quantity) == [4])
        #expect(try await OrderServiceTests().level(w) == (6, 2))
        var now = try await w.orders.order(w.buyerMember, id: order.id)
        #expect(now.state == .partiallyShipped && now.lines?.first?.shipped == 4)
        do {
            _ = try await w.store.fulfilment.ship(w.sellerMember, orderID: order.id, ShipmentInput(lines: [.init(lineNo: 1, quantity: 3)]), idempotency: nil)
            Issue.record("shipping more than is left must fail")
        } catch let error as AppError {
            #expect(error.fields.map(\.field) == ["lines[0].quantity"])
        }
        _ = try await w.store.fulfilment.ship(w.sellerMember, orderID: order.id, ShipmentInput(), idempotency: nil)
        now = try await w.orders.order(w.buyerMember, id: order.id)
        #expect(now.state == .shipped && now.lines?.first?.reserved == 0)
        #expect(try await OrderServiceTests().level(w) == (4, 0))
        await #expect(throws: AppError.self) { _ = try await w.store.fulfilment.ship(w.sellerMember, orderID: order.id, ShipmentInput(), idempotency: nil) }
        let found = try await w.store.stock.reconcile(w.system, repair: false)
        #expect(found.drifts.isEmpty)
    }

    @Test func overdueInvoicesAreFlaggedOnceAndPaidOnesNever() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let open = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: try await confirmedOrder(w).id, InvoiceInput(), idempotency: nil)
        let paid = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: try await confirmedOrder(w).id, InvoiceInput(), idempotency: nil)
        _ = try await w.store.fulfilment.recordPayment(w.sellerMember, invoiceID: paid.id, PaymentInput(amount: paid.gross.decimal, method: .cash), idempotency: nil)
        #expect(try await w.store.fulfilment.markOverdue(w.system, now: Date()) == 0)   // due today: not yet overdue
        let later = Date().addingTimeInterval(3 * 86_400)
        #expect(try await w.store.fulfilment.markOverdue(w.system, now: later) == 1)
        #expect(try await w.store.fulfilment.markOverdue(w.system, now: later) == 0)
        #expect(try await w.store.fulfilment.invoice(w.buyerMember, id: open.id).overdue)
        #expect(try await w.store.fulfilment.invoice(w.buyerMember, id: paid.id).overdue == false)
        let events = try await w.store.tenantDatabases.read(w.tenant.id) { try String.fetchAll($0, sql: "SELECT topic FROM outbox WHERE topic LIKE 'invoice.%'") }
        #expect(events.filter { $0 == Topic.invoiceOverdue }.count == 1 && events.contains(Topic.invoicePaid))
    }

    @Test func aCreditLimitHoldsOrdersAtPlacementNotAtInvoicing() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        _ = try await w.store.fulfilment.setCreditLimit(w.sellerMember, sellerBusinessID: w.seller.id, buyerBusinessID: w.buyer.id,
                                                        limit: Money(minor: 100_000, currency: "UAH"))
        await #expect(throws: AppError.self) {
            _ = try await w.store.fulfilment.setCreditLimit(w.buyerMember, sellerBusinessID: w.seller.id, buyerBusinessID: w.buyer.id, limit: nil)
        }
        let within = try await confirmedOrder(w, quantity: 10)          // 10 × 40.00 + 20 % = 480.00
        #expect(within.state == .confirmed)
        let over = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
            buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, sku: nil, quantity: 12)]), idempotency: nil)
        #expect(over.state == .onHold)                                   // 480.00 + 576.00 > 1000.00
        // Paying the first invoice frees the limit for the next order.
        let invoice = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: within.id, InvoiceInput(), idempotency: nil)
        _ = try await w.store.fulfilment.recordPayment(w.sellerMember, invoiceID: invoice.id, PaymentInput(amount: "480.00", method: .bankTransfer), idempotency: nil)
        let limits = try await w.store.fulfilment.creditLimits(w.sellerMember, sellerBusinessID: w.seller.id)
        #expect(limits.map(\.exposure.minor) == [57_600])
        let next = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
            buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, sku: nil, quantity: 5)]), idempotency: nil)
        #expect(next.state == .placed)
    }
}

@Suite("Returns: the state machine, stock back or written off, credit notes numbered without gaps")
struct ReturnServiceTests {
    @Test func everyReturnTransitionIsAllowedOnlyFromItsState() {
        let allowed: [ReturnState: [ReturnState.Action: ReturnState]] = [.requested: [.accept: .accepted, .refuse: .refused], .accepted: [.receive: .received]]
        for state in ReturnState.allCases {
            for action in [ReturnState.Action.accept, .refuse, .receive] {
                #expect(state.after(action) == allowed[state]?[action], "\(state) \(action)")
            }
        }
    }

    @Test func receivingPutsStockBackAndCreditNotesCountOnTheirOwn() async throws {
        let w = try await FulfilmentServiceTests().world(stock: 20)
        defer { Task { await w.store.remove() } }
        let tests = FulfilmentServiceTests()
        var notes: [String] = []
        for _ in 0..<3 {
            let order = try await tests.confirmedOrder(w, quantity: 4)
            _ = try await w.store.fulfilment.ship(w.sellerMember, orderID: order.id, ShipmentInput(), idempotency: nil)
            _ = try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: order.id, InvoiceInput(), idempotency: nil)
            let r = try await w.store.returns.requestReturn(w.buyerMember, orderID: order.id,
                                                            ReturnInput(lines: [.init(lineNo: 1, quantity: 3)], reason: "Wrong strength"), idempotency: nil)
            await #expect(throws: AppError.self) { _ = try await w.store.returns.decideReturn(w.buyerMember, returnID: r.id, accept: true, note: nil) }
            _ = try await w.store.returns.decideReturn(w.sellerMember, returnID: r.id, accept: true, note: nil)
            let received = try await w.store.returns.receiveReturn(w.sellerMember, returnID: r.id, ReceiveInput(lines: [.init(lineNo: 1, damaged: 1)]))
            notes.append(try #require(received.creditNoteNumber))
        }
        #expect(notes.map { Int($0.suffix(6))! } == [1, 2, 3] && notes.allSatisfy { $0.hasPrefix("CN-FARM-") })
        // 20 − 3 × 4 shipped + 3 × 3 returned − 3 × 1 damaged.
        #expect(try await OrderServiceTests().level(w) == (14, 0))
        #expect(try await w.store.stock.reconcile(w.system, repair: false).drifts.isEmpty)
        await #expect(throws: DatabaseError.self) {
            try await w.store.tenantDatabases.write(w.tenant.id) { try $0.execute(sql: "UPDATE credit_notes SET gross_minor = 0") }
        }
    }
}

@Suite("Promo codes: applied per line at placement, never beyond their limits under concurrency")
struct PromoCodeTests {
    @Test func aCodeUsedUpByConcurrentOrdersIsNeverUsedBeyondItsLimit() async throws {
        let w = try await FulfilmentServiceTests().world(stock: 1000)
        defer { Task { await w.store.remove() } }
        _ = try await w.store.promos.createPromoCode(w.sellerMember, sellerBusinessID: w.seller.id,
                                                     PromoCodeInput(code: "spring-10", kind: .percent, percent: "10", totalLimit: 3), idempotency: nil)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    (try? await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
                        buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, quantity: 3)], promoCode: "Spring-10"),
                        idempotency: nil)) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 3)
        let codes = try await w.store.promos.promoCodes(w.sellerMember, sellerBusinessID: w.seller.id)
        #expect(codes.map(\.used) == [3] && codes.map(\.code) == ["SPRING-10"])
        // 3 × 42.50 = 127.50, 10 % off = 12.75 → 114.75 net, 20 % tax 22.95.
        let orders = try await w.orders.orders(w.buyerMember, OrderFilter(side: .buyer, businessID: w.buyer.id), PageRequest(limit: 50))
        let order = try await w.orders.order(w.buyerMember, id: orders.items[0].id)
        #expect(order.promoCode == "SPRING-10" && order.discount?.minor == 1275 && order.lines?.first?.discount?.minor == 1275)
        #expect(order.net.minor == 11_475 && order.tax.minor == 2295 && order.gross.minor == 13_770)
        // Cancelling gives the use back.
        _ = try await w.orders.transition(w.buyerMember, orderID: order.id, .cancel, reason: nil)
        #expect(try await w.store.promos.promoCodes(w.sellerMember, sellerBusinessID: w.seller.id).map(\.used) == [2])
    }

    @Test func invoicesShareALinesDiscountAndAddUpToTheLineExactly() async throws {
        let w = try await FulfilmentServiceTests().world(stock: 1000)
        defer { Task { await w.store.remove() } }
        _ = try await w.store.promos.createPromoCode(w.sellerMember, sellerBusinessID: w.seller.id,
                                                     PromoCodeInput(code: "MINUS7", kind: .fixed, amount: "7.00", currency: "UAH", perBuyerLimit: 1), idempotency: nil)
        var order = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
            buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, quantity: 3)], promoCode: "minus7"), idempotency: nil)
        // A second use by the same buyer is refused, naming the field.
        do {
            _ = try await w.orders.placeOrder(w.buyerMember, PlaceOrderInput(
                buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id, lines: [.init(productId: w.product.id, quantity: 3)], promoCode: "MINUS7"), idempotency: nil)
            Issue.record("the per-buyer limit must hold")
        } catch let error as AppError { #expect(error.fields.map(\.field) == ["promo_code"]) }
        order = try await w.orders.transition(w.sellerMember, orderID: order.id, .confirm, reason: nil)
        // 3 × 42.50 − 7.00 = 120.50 net; invoiced one unit at a time: 40.17, 40.17, then what is left, 40.16.
        var nets: [Int64] = []
        for _ in 0..<3 {
            _ = try await w.store.fulfilment.ship(w.sellerMember, orderID: order.id, ShipmentInput(lines: [.init(lineNo: 1, quantity: 1)]), idempotency: nil)
            nets.append(try await w.store.fulfilment.issueInvoice(w.sellerMember, orderID: order.id, InvoiceInput(basis: .shipped), idempotency: nil).net.minor)
        }
        #expect(nets == [4017, 4017, 4016] && nets.reduce(0, +) == 12_050)
    }
}
