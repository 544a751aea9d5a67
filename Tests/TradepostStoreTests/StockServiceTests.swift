import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostStore
import TradepostTestSupport

@Suite("Stock: warehouses, the ledger, the product's figure, reconciliation")
struct StockServiceTests {
    struct World {
        let store: Store
        let tenant: Tenant
        let seller: Business
        let other: Business
        let product: Product
        var system: Caller { .system(tenant.id) }
    }

    func world(stock: Int64 = 0) async throws -> World {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let seller = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Opt", type: .wholesaler, city: "Kyiv"))
        let other = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Other", type: .wholesaler, city: "Lviv"))
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status, input.stockQuantity) = ("A-1", "Aspirin", "UAH", "10.00", .published, stock)
        let product = try await store.products.createProduct(.system(tenant.id), businessID: seller.id, input)
        return World(store: store, tenant: tenant, seller: seller, other: other, product: product)
    }

    func member(_ w: World, of business: Business, _ name: String) async throws -> Caller {
        let user = try await w.store.users.createUser(w.system, NewUser(email: "\(name)@acme.test", name: name, password: nil, role: .member)).user
        _ = try await w.store.businesses.setMember(w.system, businessID: business.id, userID: user.id, role: .staff)
        return caller(w.tenant, user)
    }

    func figure(_ w: World) async throws -> Int64 { try await w.store.products.product(w.system, id: w.product.id).stockQuantity }

    @Test func theProductsFigureIsTheSumOfWhatActiveWarehousesHaveAvailable() async throws {
        let w = try await world(stock: 120)
        defer { Task { await w.store.remove() } }
        let stock = w.store.stock
        // The figure given at creation went into a default warehouse as an adjustment.
        let main = try #require(try await stock.warehouses(w.system, businessID: w.seller.id).first)
        #expect(main.name == "Main warehouse")
        let south = try await stock.createWarehouse(w.system, businessID: w.seller.id, WarehouseInput(name: "South", priority: 5), idempotency: nil)
        _ = try await stock.move(w.system, businessID: w.seller.id, StockMovementInput(kind: .receipt, productId: w.product.id, warehouseId: south.id, quantity: 30), idempotency: nil)
        #expect(try await figure(w) == 150)
        let transfer = try await stock.move(w.system, businessID: w.seller.id,
                                            StockMovementInput(kind: .transfer, productId: w.product.id, warehouseId: main.id, toWarehouseId: south.id, quantity: 20), idempotency: nil)
        #expect(transfer.map(\.kind) == [.transferOut, .transferIn] && transfer[0].documentId == transfer[1].documentId)
        #expect(try await figure(w) == 150)
        _ = try await stock.updateWarehouse(w.system, id: south.id, WarehouseInput(active: false))
        #expect(try await figure(w) == 100)  // south's 50 no longer count
        _ = try await stock.updateWarehouse(w.system, id: south.id, WarehouseInput(active: true))
        // Setting the figure on the product adjusts the default warehouse (the highest priority active one: south).
        var edit = ProductInput()
        edit.stockQuantity = 140
        _ = try await w.store.products.updateProduct(w.system, id: w.product.id, edit)
        let levels = try await stock.levels(w.system, businessID: w.seller.id, StockFilter(), PageRequest()).items
        #expect(Dictionary(uniqueKeysWithValues: levels.map { ($0.warehouseName, $0.onHand) }) == ["Main warehouse": 100, "South": 40])
        #expect(try await figure(w) == 140)
        // Counting: the adjustment is the difference; a count that finds what is recorded writes nothing.
        let count = try await stock.move(w.system, businessID: w.seller.id,
                                         StockMovementInput(kind: .adjustment, productId: w.product.id, warehouseId: main.id, counted: 97, reason: "count"), idempotency: nil)
        #expect(count.map(\.onHandDelta) == [-3] && count[0].documentType == "stock_count")
        #expect(try await stock.move(w.system, businessID: w.seller.id,
                                     StockMovementInput(kind: .adjustment, productId: w.product.id, warehouseId: main.id, counted: 97, reason: "again"), idempotency: nil).isEmpty)
        let ledger = try await stock.ledger(w.system, businessID: w.seller.id, StockFilter(productID: w.product.id), PageRequest(limit: 2))
        #expect(ledger.items.map(\.kind) == [.adjustment, .adjustment] && ledger.nextCursor != nil)
        let reconciliation = try await stock.reconcile(w.system, repair: false)
        #expect(reconciliation.drifts.isEmpty && reconciliation.movements == 6 && reconciliation.levels == 2)
    }

    @Test func takingMoreThanIsAvailableIsRefusedAndChangesNothing() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        let stock = w.store.stock
        let main = try #require(try await stock.warehouses(w.system, businessID: w.seller.id).first)
        do {
            _ = try await stock.move(w.system, businessID: w.seller.id,
                                     StockMovementInput(kind: .writeOff, productId: w.product.id, warehouseId: main.id, quantity: 11, reason: "broken"), idempotency: nil)
            Issue.record("expected insufficient stock")
        } catch let error as AppError {
            #expect(error.code == .insufficientStock && error.members.contains(.init("available", 10)))
        }
        var edit = ProductInput()
        edit.stockQuantity = 5
        let other = try await stock.createWarehouse(w.system, businessID: w.seller.id, WarehouseInput(name: "Other", priority: 9), idempotency: nil)
        // The default warehouse is now the empty "Other": it cannot give up five units.
        await #expect(throws: AppError.self) { try await w.store.products.updateProduct(w.system, id: w.product.id, edit) }
        #expect(try await figure(w) == 10)
        // Bad input names every bad field and writes nothing.
        do {
            _ = try await stock.move(w.system, businessID: w.seller.id, StockMovementInput(kind: .adjustment, warehouseId: other.id, quantity: 0), idempotency: nil)
            Issue.record("expected invalid")
        } catch let error as AppError {
            #expect(error.code == .invalid && Set(error.fields.map(\.field)) == ["product_id", "quantity", "reason"])
        }
        #expect(try await stock.ledger(w.system, businessID: w.seller.id, StockFilter(), PageRequest()).items.count == 1)
    }

    @Test func onlyTheBusinessesMembersAndAdminsSeeItsStock() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        let stock = w.store.stock
        let insider = try await member(w, of: w.seller, "insider"), outsider = try await member(w, of: w.other, "outsider")
        let main = try #require(try await stock.warehouses(insider, businessID: w.seller.id).first)
        await #expect(throws: AppError.forbidden()) { try await stock.warehouses(outsider, businessID: w.seller.id) }
        await #expect(throws: AppError.forbidden()) { try await stock.levels(outsider, businessID: w.seller.id, StockFilter(), PageRequest()) }
        await #expect(throws: AppError.notFound("Warehouse")) { try await stock.updateWarehouse(outsider, id: main.id, WarehouseInput(name: "Mine")) }
        await #expect(throws: AppError.notFound("Warehouse")) {
            try await stock.setThreshold(outsider, productID: w.product.id, warehouseID: main.id, threshold: 3)
        }
        // A member moving stock of their own business into another business's warehouse: not found.
        let foreign = try await stock.createWarehouse(w.system, businessID: w.other.id, WarehouseInput(name: "Theirs"), idempotency: nil)
        await #expect(throws: AppError.self) {
            try await stock.move(insider, businessID: w.seller.id, StockMovementInput(kind: .receipt, productId: w.product.id, warehouseId: foreign.id, quantity: 1), idempotency: nil)
        }
        await #expect(throws: AppError.forbidden()) { try await stock.reconcile(insider, repair: false) }
        _ = try await stock.move(insider, businessID: w.seller.id, StockMovementInput(kind: .receipt, productId: w.product.id, warehouseId: main.id, quantity: 1), idempotency: nil)
        #expect(try await figure(w) == 11)
    }

    @Test func aRetriedMovementWithTheSameKeyIsRecordedOnce() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let stock = w.store.stock
        let warehouse = try await stock.createWarehouse(w.system, businessID: w.seller.id, WarehouseInput(name: "Main"), idempotency: nil)
        let input = StockMovementInput(kind: .receipt, productId: w.product.id, warehouseId: warehouse.id, quantity: 5)
        let key = IdempotencyKey(key: "k-1", fingerprint: "receipt-5")
        let first = try await stock.move(w.system, businessID: w.seller.id, input, idempotency: key)
        let again = try await stock.move(w.system, businessID: w.seller.id, input, idempotency: key)
        #expect(first == again)
        #expect(try await figure(w) == 5)
        await #expect(throws: AppError.idempotencyKeyReused) {
            try await stock.move(w.system, businessID: w.seller.id, input, idempotency: IdempotencyKey(key: "k-1", fingerprint: "receipt-6"))
        }
    }

    @Test func lowStockIsRaisedOnceWhenAvailableCrossesTheThreshold() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        let stock = w.store.stock
        let main = try #require(try await stock.warehouses(w.system, businessID: w.seller.id).first)
        let level = try await stock.setThreshold(w.system, productID: w.product.id, warehouseID: main.id, threshold: 5)
        #expect(level.lowThreshold == 5 && !level.isLow)
        for _ in 0..<3 {
            _ = try await stock.move(w.system, businessID: w.seller.id,
                                     StockMovementInput(kind: .writeOff, productId: w.product.id, warehouseId: main.id, quantity: 2, reason: "expired"), idempotency: nil)
        }
        let events = try await w.store.tenantDatabases.read(w.tenant.id) { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outbox WHERE topic = 'stock.low'")
        }
        #expect(events.count == 1 && events[0].contains("\"available\":4"))
        #expect(try await stock.levels(w.system, businessID: w.seller.id, StockFilter(lowOnly: true), PageRequest()).items.map(\.available) == [4])
    }

    @Test func reconciliationNamesDriftAndRepairsItFromTheLedger() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        // A counter changed behind the ledger's back (a bug, a hand edit).
        try await w.store.tenantDatabases.write(w.tenant.id) { db in try db.execute(sql: "UPDATE stock_levels SET on_hand = 13, reserved = 2") }
        let found = try await w.store.stock.reconcile(w.system, repair: false)
        #expect(Set(found.drifts.map(\.counter)) == ["on_hand", "reserved"] && !found.repaired)
        #expect(found.drifts.first { $0.counter == "on_hand" }?.ledger == 10)
        let doctor = Doctor(dataDir: w.store.dataDir, minFreeDiskMB: 0).databases()
        #expect(doctor.contains { $0.check == "stock" && $0.severity == .warning && $0.fix?.contains("--repair") == true })
        let repaired = try await w.store.stock.reconcile(w.system, repair: true)
        #expect(repaired.repaired && repaired.drifts.count == 2)
        #expect(try await w.store.stock.reconcile(w.system, repair: false).drifts.isEmpty)
        #expect(try await figure(w) == 10)
    }

    @Test func aProductWithReservedStockCannotBeDeletedButOneWithStockCan() async throws {
        let w = try await world(stock: 10)
        defer { Task { await w.store.remove() } }
        try await w.store.tenantDatabases.write(w.tenant.id) { db in
            var level = try #require(try StockLedger.find(db, product: w.product.id, warehouse: try String.fetchOne(db, sql: "SELECT id FROM warehouses")!))
            try StockLedger.apply(db, &level, .reservation, reserved: 4, cause: .init(audit: .system, documentType: "order", documentId: "o1"), now: Date())
        }
        #expect(try await figure(w) == 10)  // apply alone does not refresh the figure; the caller does
        await #expect(throws: AppError.self) { try await w.store.products.deleteProduct(w.system, id: w.product.id) }
        try await w.store.tenantDatabases.write(w.tenant.id) { db in
            var level = try #require(try StockLedger.find(db, product: w.product.id, warehouse: try String.fetchOne(db, sql: "SELECT id FROM warehouses")!))
            try StockLedger.apply(db, &level, .release, reserved: -4, cause: .init(audit: .system, documentType: "order", documentId: "o1"), now: Date())
        }
        try await w.store.products.deleteProduct(w.system, id: w.product.id)
        #expect(try await w.store.tenantDatabases.read(w.tenant.id) { try Int.fetchOne($0, sql: "SELECT count(*) FROM stock_moves") } == 0)
    }
}
