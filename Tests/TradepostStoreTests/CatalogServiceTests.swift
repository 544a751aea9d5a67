import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Catalog: money, categories, products, prices, moderation")
struct CatalogServiceTests {
    /// Tiers are written out by hand; the text must be what JSONEncoder made (stored rows compare as text).
    @Test(arguments: [[], [(Int64(10), Int64(85112))], [(1, 0), (100, 9_223_372_036_854_775_807), (5, -1)]])
    func tiersStoreAsTheEncoderWroteThem(_ pairs: [(Int64, Int64)]) throws {
        let tiers = pairs.map { PriceTier(minQuantity: $0.0, price: Money(minor: $0.1, currency: "UAH")) }
        let encoded = try Product.encoder.encode(tiers.map { Product.StoredTier(q: $0.minQuantity, p: $0.price.minor) })
        #expect(Product.tiersJSON(tiers) == String(decoding: encoded, as: UTF8.self))
    }

    @Test(arguments: [
        ("12.50", "UAH", Int64(1250)), ("12,5", "UAH", 1250), ("1 234.00", "EUR", 123_400), ("7", "JPY", 7), ("0.001", "KWD", 1),
    ])
    func moneyParsesExactly(_ text: String, _ currency: String, _ minor: Int64) {
        #expect(Money.parse(text, currency: currency) == Money(minor: minor, currency: currency))
    }

    @Test(arguments: ["", "1.234", "-1", "1e5", "12.5.0", ".5", "abc", "1,2,3"])
    func moneyRefusesWhatIsNotAPlainAmount(_ text: String) {
        #expect(Money.parse(text, currency: "UAH") == nil)
    }

    @Test func moneyPrintsWithTheCurrencyDigits() {
        #expect(Money(minor: 1205, currency: "UAH").decimal == "12.05")
        #expect(Money(minor: 7, currency: "JPY").decimal == "7")
        #expect(Money(minor: 5, currency: "KWD").decimal == "0.005")
        #expect(Money(minor: Int64.max, currency: "UAH").times(2) == nil)
    }

    func product(_ sku: String, price: String = "10.00", tiers: [ProductInput.Tier] = [], status: ProductStatus? = .published) -> ProductInput {
        var input = ProductInput()
        input.sku = sku
        input.name = "Product \(sku)"
        input.currency = "UAH"
        input.price = price
        input.tiers = tiers
        input.status = status
        input.minOrderQuantity = 2
        input.orderMultiple = 2
        return input
    }

    @Test func productsPricesHistoryAndEffectivePrice() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let business = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Pharma", type: .pharmacy, city: "Kyiv"))
        let created = try await store.products.createProduct(
            .system(tenant.id), businessID: business.id, product("A-1", tiers: [.init(minQuantity: 10, price: "9.00"), .init(minQuantity: 100, price: "8.50")]))
        #expect(created.price == Money(minor: 1000, currency: "UAH") && created.tiers.count == 2 && created.status == .published)
        await #expect(throws: AppError.self) {
            try await store.products.createProduct(.system(tenant.id), businessID: business.id, product("A-1"))
        }

        let admin = Caller.system(tenant.id)
        func price(_ quantity: Int64) async throws -> EffectivePrice {
            try await store.priceLists.effectivePrice(admin, productID: created.id, quantity: quantity, buyer: nil, day: "2026-06-15")
        }
        #expect(try await price(4).unitPrice.minor == 1000)
        let bulk = try await price(100)
        #expect(bulk.unitPrice.minor == 850 && bulk.total.minor == 85_000 && bulk.tierMinQuantity == 100)
        await #expect(throws: AppError.self) { try await price(1) }
        await #expect(throws: AppError.self) { try await price(11) }

        var change = ProductInput()
        change.price = "11.00"
        change.tiers = [.init(minQuantity: 10, price: "9.50")]
        _ = try await store.products.updateProduct(.system(tenant.id, audit: AuditContext(actor: "u1", actorLabel: "Ann")), id: created.id, change)
        let history = try await store.products.priceHistory(admin, productID: created.id, PageRequest(limit: 50)).items
        let latest = history.filter { $0.actor == "u1" }
        #expect(latest.contains { $0.kind == "base" && $0.oldPrice?.minor == 1000 && $0.newPrice?.minor == 1100 })
        #expect(latest.contains { $0.kind == "tier" && $0.minQuantity == 10 && $0.oldPrice?.minor == 900 && $0.newPrice?.minor == 950 })
        #expect(latest.contains { $0.kind == "tier" && $0.minQuantity == 100 && $0.oldPrice?.minor == 850 && $0.newPrice == nil })

        // Bad input changes nothing.
        var camel = ProductInput()
        camel.attributes = ["dosageForm": .text("tablet")]
        await #expect(throws: AppError.self) { try await store.products.updateProduct(.system(tenant.id), id: created.id, camel) }
        var snake = ProductInput()
        snake.attributes = ["dosage_form": .text("tablet"), "форма_випуску": .text("таблетки"), "strength_mg": .number("500")]
        #expect(try await store.products.updateProduct(.system(tenant.id), id: created.id, snake).attributes.count == 3)
        var bad = ProductInput()
        bad.price = "1.234"
        await #expect(throws: AppError.self) { try await store.products.updateProduct(.system(tenant.id), id: created.id, bad) }
        #expect(try await store.products.product(admin, id: created.id).price.minor == 1100)

        // Buyers see published products only; owners see their drafts.
        let draft = try await store.products.createProduct(.system(tenant.id), businessID: business.id, product("D-1", status: nil))
        let buyer = caller(tenant, try await store.users.createUser(.system(tenant.id), NewUser(email: "buyer@acme.test", name: "Buyer", password: nil, role: .member)).user)
        await #expect(throws: AppError.notFound("Product")) { try await store.products.product(buyer, id: draft.id) }
        let member = try await store.users.createUser(.system(tenant.id), NewUser(email: "m@acme.test", name: "M", password: nil, role: .member)).user
        _ = try await store.businesses.setMember(.system(tenant.id), businessID: business.id, userID: member.id, role: .staff)
        #expect(try await store.products.product(caller(tenant, member), id: draft.id).status == .draft)
        #expect(try await store.products.products(buyer, PageRequest(limit: 10), filter: ProductFilter()).items.map(\.id) == [created.id])
    }

    @Test func moderationHoldsNewAndChangedProductsForReview() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let business = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "W", type: .wholesaler, city: "Lviv"))
        _ = try await store.products.updateCatalogSettings(.system(tenant.id), CatalogSettings(requireReview: true))
        let p = try await store.products.createProduct(.system(tenant.id), businessID: business.id, product("M-1"))
        #expect(p.status == .pendingReview)
        #expect(try await store.products.reviewQueue(.system(tenant.id), PageRequest(limit: 10)).items.map(\.id) == [p.id])
        await #expect(throws: AppError.self) { try await store.products.review(.system(tenant.id), id: p.id, approve: false, reason: nil) }
        let approved = try await store.products.review(.system(tenant.id), id: p.id, approve: true, reason: nil)
        #expect(approved.status == .published)
        var rename = ProductInput()
        rename.name = "Renamed"
        #expect(try await store.products.updateProduct(.system(tenant.id), id: p.id, rename).status == .pendingReview)
        let rejected = try await store.products.review(.system(tenant.id), id: p.id, approve: false, reason: "Wrong name")
        #expect(rejected.status == .rejected && rejected.rejectionReason == "Wrong name")
        let decisions = try await store.tenantDatabases.read(tenant.id) { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'product.%' ORDER BY id")
        }
        #expect(decisions.contains("product.approve") && decisions.contains("product.reject"))
    }

    @Test func categoryTreeMovesMergesAndCounts() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let cats = store.categories
        let medicine = try await cats.createCategory(.system(tenant.id), name: "Medicine", parentID: nil)
        let pain = try await cats.createCategory(.system(tenant.id), name: "Pain relief", parentID: medicine.id)
        let other = try await cats.createCategory(.system(tenant.id), name: "Analgesics", parentID: nil)
        await #expect(throws: AppError.self) { try await cats.createCategory(.system(tenant.id), name: "pain RELIEF", parentID: medicine.id) }
        await #expect(throws: AppError.self) { try await cats.updateCategory(.system(tenant.id), id: medicine.id, name: nil, parentID: .some(pain.id)) }
        let business = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "P", type: .pharmacy, city: "Kyiv"))
        var input = product("C-1")
        input.categoryId = .some(other.id)
        _ = try await store.products.createProduct(.system(tenant.id), businessID: business.id, input)
        await #expect(throws: AppError.self) { try await cats.deleteCategory(.system(tenant.id), id: other.id) }
        let merged = try await cats.mergeCategory(.system(tenant.id), id: other.id, into: pain.id)
        #expect(merged.productCount == 1 && merged.path == ["Medicine", "Pain relief"])
        let tree = try await cats.categories(.system(tenant.id))
        #expect(tree.map(\.name) == ["Medicine", "Pain relief"])
        #expect(tree.first?.productCount == 1, "a parent counts its subtree")
        let moved = try await cats.updateCategory(.system(tenant.id), id: pain.id, name: "Painkillers", parentID: .some(nil))
        #expect(moved.parentId == nil && moved.path == ["Painkillers"])
    }
}
