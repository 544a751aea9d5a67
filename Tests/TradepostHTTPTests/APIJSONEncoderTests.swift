import Foundation
import Testing
import TradepostCore
@testable import TradepostHTTP
import TradepostStore
import TradepostTestSupport

/// The API writes its bodies with `APIJSONEncoder`; clients were built against what Foundation's
/// `JSONEncoder` (snake_case, sorted keys, ISO 8601, unescaped slashes) wrote. Same bytes, always.
@Suite("API JSON: the fast encoder writes what JSONEncoder writes")
struct APIJSONEncoderTests {
    func same<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = String(decoding: try JSONCoding.encoder.encode(value), as: UTF8.self)
        let actual = String(decoding: try APIJSONEncoder.encode(value), as: UTF8.self)
        #expect(actual == expected, sourceLocation: sourceLocation)
    }

    struct Edges: Encodable {
        var csrfToken = "a/b \"quoted\" back\\slash\ttab\nline\u{1}\u{1f} й ✓ 😀"
        var userKind: String? = nil
        var nextCursor: String? = "01ABC"
        var tierMinQuantity: Int64 = -9_223_372_036_854_775_807
        var latitude = 50.4501
        var longitude = -30.5
        var whole = 2.0
        var tiny = 1e-7
        var huge = 1.5e300
        var flags = [true, false]
        var nested = [["kB": 1], [:]]
        var when = Date(timeIntervalSince1970: 1_795_296_367.987)
        var early = Date(timeIntervalSince1970: -86_400 * 365 * 3)
        var link = URL(string: "https://example.com/a?b=c")!
        var bytes = Data([0, 1, 2, 250])
        var empty: [String] = []
        var dictionary = ["форма_випуску": "таблетки", "strength_mg": "500", "a b": "c"]
        var aValueWithID = "x"
        var sku2Code = "y"
    }

    @Test func edgeCasesAreWrittenTheSameWay() throws {
        try same(Edges())
        try same([Edges(), Edges()])
        try same("plain")
        try same(Optional<Int>.none)
    }

    @Test func theAPIsOwnTypesAreWrittenTheSameWay() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let admin = Caller.system(tenant.id)
        let business = try await store.businesses.createBusiness(admin, BusinessInput(
            name: "Аптека «Здоров'я» / №1", type: .pharmacy, city: "Київ", address: .some("вул. Хрещатик, 1"),
            website: .some("https://apteka.example/uk"), latitude: .some(50.4501), longitude: .some(30.5234)))
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status) = ("PARA-500", "Парацетамол \"500\"", "UAH", "42.50", .published)
        input.tiers = [.init(minQuantity: 10, price: "40.00"), .init(minQuantity: 100, price: "38.25")]
        input.attributes = ["strength_mg": .number("500"), "rx": .bool(false), "форма_випуску": .text("таблетки")]
        input.description = .some("Line one\nline two\ttabbed")
        let product = try await store.products.createProduct(admin, businessID: business.id, input)
        let list = try await store.priceLists.createPriceList(admin, sellerBusinessID: business.id, PriceListInput(
            name: "Contract", buyerBusinessId: business.id, validFrom: .some("2026-01-01"), items: [.init(productId: product.id, price: "39.00")]))

        try same(product)
        try same(business)
        try same(owner)
        try same(list)
        try same(try await store.priceLists.effectivePrice(admin, productID: product.id, quantity: 10, buyer: business.id, day: "2026-06-01"))
        try same(ListResponse(try await store.products.products(admin, PageRequest(limit: 10), filter: ProductFilter())))
        try same(ListResponse(try await store.products.priceHistory(admin, productID: product.id, PageRequest(limit: 10))))
        try same(ListResponse(try await store.businesses.businesses(admin, PageRequest(limit: 10), filter: BusinessFilter())))
        try same(ListResponse(try await store.users.users(admin, PageRequest(limit: 10), filter: UserFilter())))
        try same(try await store.tenants.tenant(id: tenant.id))
    }
}
