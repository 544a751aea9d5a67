import Foundation
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Customer price lists: per buyer or group, validity dates, effective price")
struct PriceListTests {
    @Test func theBuyerPaysTheLowestOfBaseTierAndTheirValidLists() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let seller = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Opt", type: .wholesaler, city: "Kyiv"))
        let buyer = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Apteka", type: .pharmacy, city: "Lviv"))
        let chain = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Chain", type: .pharmacy, city: "Odesa"))
        let stranger = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Other", type: .pharmacy, city: "Dnipro"))
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status) = ("A-1", "Aspirin", "UAH", "10.00", .published)
        input.tiers = [.init(minQuantity: 100, price: "7.00")]
        let product = try await store.products.createProduct(.system(tenant.id), businessID: seller.id, input)
        let lists = store.priceLists
        func price(_ quantity: Int64, _ buyer: String, on day: String = "2026-06-15") async throws -> EffectivePrice {
            try await lists.effectivePrice(.system(tenant.id), productID: product.id, quantity: quantity, buyer: buyer, day: day)
        }

        let direct = try await lists.createPriceList(.system(tenant.id), sellerBusinessID: seller.id, PriceListInput(
            name: "Apteka 2026", buyerBusinessId: buyer.id, validFrom: "2026-01-01", validTo: "2026-12-31",
            items: [.init(sku: "A-1", price: "8,50")]))
        #expect(direct.itemCount == 1 && direct.items?.first?.price == Money(minor: 850, currency: "UAH"))
        let group = try await lists.createGroup(.system(tenant.id), sellerBusinessID: seller.id, name: "Chains", buyerBusinessIDs: [chain.id])
        let grouped = try await lists.createPriceList(.system(tenant.id), sellerBusinessID: seller.id, PriceListInput(
            name: "Chains", buyerGroupId: group.id, items: [.init(productId: product.id, price: "9.00")]))

        var p = try await price(10, buyer.id)
        #expect(p.unitPrice.minor == 850 && p.priceListId == direct.id && p.total.minor == 8500)
        p = try await price(100, buyer.id)  // the tier is lower than the list
        #expect(p.unitPrice.minor == 700 && p.priceListId == nil && p.tierMinQuantity == 100)
        p = try await price(10, buyer.id, on: "2027-01-01")  // expired
        #expect(p.unitPrice.minor == 1000 && p.priceListId == nil)
        p = try await price(10, chain.id)
        #expect(p.unitPrice.minor == 900 && p.priceListId == grouped.id)
        p = try await price(10, stranger.id)
        #expect(p.unitPrice.minor == 1000 && p.priceListId == nil)
        func member(of business: Business) async throws -> Caller {
            let user = try await store.users.createUser(
                .system(tenant.id), NewUser(email: "\(business.name.lowercased())@acme.test", name: business.name, password: nil, role: .member)).user
            _ = try await store.businesses.setMember(.system(tenant.id), businessID: business.id, userID: user.id, role: .staff)
            return caller(tenant, user)
        }
        let strangerMember = try await member(of: stranger), chainMember = try await member(of: chain)
        #expect(try await lists.myPriceLists(strangerMember).isEmpty)
        #expect(try await lists.myPriceLists(chainMember).map(\.id) == [grouped.id])
        // A list is its seller's and its buyers' business: to anyone else it does not exist.
        #expect(try await lists.priceList(chainMember, id: grouped.id).id == grouped.id)
        await #expect(throws: AppError.notFound("Price list")) { try await lists.priceList(strangerMember, id: grouped.id) }
        await #expect(throws: AppError.notFound("Price list")) { try await lists.deletePriceList(chainMember, id: grouped.id) }
        await #expect(throws: AppError.notFound("Buyer group")) { try await lists.updateGroup(chainMember, id: group.id, name: "Mine", buyerBusinessIDs: nil) }
        await #expect(throws: AppError.forbidden()) { try await lists.priceLists(chainMember, sellerBusinessID: seller.id) }

        // Bad input changes nothing: a product of another seller, a price with too many decimals, dates reversed.
        await #expect(throws: AppError.self) {
            try await lists.updatePriceList(.system(tenant.id), id: direct.id, PriceListInput(items: [.init(sku: "A-1", price: "1.234")]))
        }
        await #expect(throws: AppError.self) {
            try await lists.createPriceList(.system(tenant.id), sellerBusinessID: chain.id, PriceListInput(
                name: "X", buyerBusinessId: buyer.id, items: [.init(productId: product.id, price: "1")]))
        }
        await #expect(throws: AppError.self) {
            try await lists.updatePriceList(.system(tenant.id), id: direct.id, PriceListInput(validTo: "2025-01-01"))
        }
        #expect(try await lists.priceList(.system(tenant.id), id: direct.id).items?.first?.price.minor == 850)
        #expect(try await lists.priceLists(.system(tenant.id), sellerBusinessID: chain.id).isEmpty)

        try await lists.deleteGroup(.system(tenant.id), id: group.id)  // its list goes with it
        p = try await price(10, chain.id)
        #expect(p.priceListId == nil)
        await #expect(throws: AppError.self) { try await lists.priceList(.system(tenant.id), id: grouped.id) }
    }
}
