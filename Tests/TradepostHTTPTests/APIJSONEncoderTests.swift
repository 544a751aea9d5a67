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

/// `DirectJSON` types (products, the caller) write themselves; any field added to them and not to their writer shows here.
@Suite("API JSON: types that write themselves write what JSONEncoder writes")
struct DirectJSONTests {
    static func product(_ seed: UInt64) -> Product {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func maybe(_ text: String) -> String? { random.next() % 2 == 0 ? nil : text }
        let texts = ["", "plain", "Парацетамол \"500\" мг", "tab\there\nnew line \\ /slash", "\u{1}\u{1f}😀", "ü ё ї"]
        var attributes: [String: AttributeValue] = [:]
        for _ in 0..<Int(random.next() % 5) {
            attributes[pick(["strength_mg", "форма", "a b", "Zeta", "rx", "\"q\"", "pack"])] = pick([
                .text(pick(texts)), .number(pick(["500", "0.25", "1.50", "-3", "1e3", "12345678901234567890.5"])), .bool(random.next() % 2 == 0)])
        }
        let currency = pick(["UAH", "USD", "JPY", "KWD"])
        let tiers = (0..<Int(random.next() % 3)).map { PriceTier(minQuantity: Int64($0 + 2) * 10, price: Money(minor: Int64(random.next() % 100_000), currency: currency)) }
        return Product(
            id: "01ABCDEF\(seed)", businessId: "01BUSINESS", sku: pick(["PARA-500", "sku/1", "Ё-1"]), name: pick(texts),
            brand: maybe(pick(texts)), manufacturer: maybe("Дарниця"), categoryId: maybe("01CAT"), description: maybe(pick(texts)),
            attributes: attributes, unit: pick(["pcs", "box"]), packSize: Int64(random.next() % 100) + 1,
            minOrderQuantity: Int64(random.next() % 10) + 1, orderMultiple: 1, price: Money(minor: Int64(random.next() % 10_000_000) - 5, currency: currency),
            tiers: tiers, stockQuantity: Int64(random.next() % 1000), availability: pick(Availability.allCases),
            status: pick(ProductStatus.allCases), rejectionReason: maybe("blurry photo"), priority: Int(random.next() % 1001),
            createdAt: Date(timeIntervalSince1970: Double(random.next() % 2_000_000_000) + 0.75),
            updatedAt: Date(timeIntervalSince1970: Double(random.next() % 2_000_000_000)))
    }

    @Test func productsAreWrittenAsJSONEncoderWritesThem() throws {
        for seed in 0..<300 as Range<UInt64> {
            let product = Self.product(seed)
            let expected = String(decoding: try JSONCoding.encoder.encode(product), as: UTF8.self)
            #expect(String(decoding: try APIJSONEncoder.encode(product), as: UTF8.self) == expected, "seed \(seed)")
        }
    }

    /// Orders with every optional present or absent, odd text and money, lines and history or none.
    @Test func ordersAreWrittenAsJSONEncoderWritesThem() throws {
        var random = SplitMix64(seed: 21)
        func maybe<T>(_ value: T) -> T? { random.next() % 2 == 0 ? nil : value }
        let texts = ["", "Аптека \"Здоров'я\"", "tab\there\nline", "\u{1}😀", "</script>"]
        func text() -> String { texts[Int(random.next() % UInt64(texts.count))] }
        func money() -> Money { Money(minor: Int64(random.next() % 100_000_000) - 7, currency: ["UAH", "JPY", "KWD"][Int(random.next() % 3)]) }
        func date() -> Date { Date(timeIntervalSince1970: Double(random.next() % 2_000_000_000) + [0, 0.25, 0.5][Int(random.next() % 3)]) }
        for seed in 0..<300 {
            let lines = (0..<Int(random.next() % 4)).map { i in
                OrderLine(lineNo: i + 1, productId: "01P\(i)", sku: text(), name: text(), quantity: Int64(random.next() % 1000) + 1, unitPrice: money(),
                          priceSource: [PriceSource.base, .tier, .priceList][Int(random.next() % 3)], priceListId: maybe("01L"),
                          tierMinQuantity: maybe(Int64(10)), taxRate: TaxRate(basisPoints: Int64(random.next() % 10_001)), net: money(), tax: money(),
                          gross: money(), reserved: Int64(random.next() % 5), backordered: Int64(random.next() % 5), shipped: 0)
            }
            let order = Order(
                id: "01O\(seed)", number: "FARM-2026-\(seed)", sellerBusinessId: "01S", sellerName: text(), buyerBusinessId: "01B", buyerName: text(),
                state: OrderState.allCases[Int(random.next() % UInt64(OrderState.allCases.count))], currency: "UAH", pricesIncludeTax: random.next() % 2 == 0,
                net: money(), tax: money(), gross: money(),
                taxes: (0..<Int(random.next() % 3)).map { _ in TaxSummary(rate: TaxRate(basisPoints: Int64(random.next() % 3000)), net: money(), tax: money()) },
                notes: maybe(text()), deliveryAddress: maybe(text()), requestedDate: maybe("2026-12-31"),
                paymentTerms: random.next() % 2 == 0 ? .prepaid : PaymentTerms(kind: .net, days: 14), placedBy: text(), placedAt: date(),
                confirmedAt: maybe(date()), cancelledAt: maybe(date()), cancelReason: maybe(text()), updatedAt: date(),
                lines: random.next() % 2 == 0 ? nil : lines,
                history: random.next() % 2 == 0 ? nil : [OrderHistoryEntry(at: date(), actor: "user:1", actorLabel: maybe(text()), from: maybe(.placed),
                                                                             to: .confirmed, note: maybe(text()))])
            #expect(String(decoding: try APIJSONEncoder.encode(order), as: UTF8.self)
                    == String(decoding: try JSONCoding.encoder.encode(order), as: UTF8.self), "seed \(seed)")
            #expect(try APIJSONEncoder.encode(ListResponse(items: [order, order])) == Array(try JSONCoding.encoder.encode(ListResponse(items: [order, order]))))
        }
    }

    @Test func callersAreWrittenAsJSONEncoderWritesThem() throws {
        var random = SplitMix64(seed: 7)
        func maybe(_ text: String) -> String? { random.next() % 2 == 0 ? nil : text }
        let texts = ["", "Олена \"Ковальчук\"", "tab\there\nnew / line", "\u{1}😀"]
        for seed in 0..<200 {
            let me = MeResponse(
                id: "01USER\(seed)", kind: ["tenant_user", "platform_admin"][seed % 2], email: "o\(seed)@acme.test",
                name: texts[Int(random.next() % 4)], role: maybe("owner"), userKind: maybe("staff"), locale: maybe("uk"),
                tenant: random.next() % 2 == 0 ? nil : .init(id: "01T", slug: "acme", name: texts[Int(random.next() % 4)]),
                scopes: Array(["read", "write", "admin"].prefix(Int(random.next() % 4))),
                permissions: Array(Action.allCases.map(\.rawValue).prefix(Int(random.next() % 30))),
                csrfToken: maybe("csrf/+token="))
            #expect(String(decoding: try APIJSONEncoder.encode(me), as: UTF8.self)
                    == String(decoding: try JSONCoding.encoder.encode(me), as: UTF8.self), "seed \(seed)")
            let session = AuthRoutes.SessionState(me: seed % 3 == 0 ? nil : me)
            #expect(try APIJSONEncoder.encode(session) == Array(try JSONCoding.encoder.encode(session)), "seed \(seed)")
        }
    }

    @Test func productsInsideOtherValuesAreWrittenTheSameWay() throws {
        let page = ListResponse(Page(items: (0..<4 as Range<UInt64>).map(Self.product), nextCursor: "01NEXT"))
        #expect(String(decoding: try APIJSONEncoder.encode(page), as: UTF8.self)
                == String(decoding: try JSONCoding.encoder.encode(page), as: UTF8.self))
        let money = Money(minor: -1234, currency: "UAH")
        #expect(try APIJSONEncoder.encode(money) == Array(try JSONCoding.encoder.encode(money)))
    }
}
