import Foundation
import TradepostBlobs
import TradepostCore
import TradepostSearch
import TradepostStore

/// The demo tenant's sample, so that the first look at a new install shows every feature working:
/// an importer and a wholesaler with a catalog in Ukrainian, Russian and English (prices, quantity
/// tiers, pictures, a price history), three pharmacies, a salesperson, a buyer group with its
/// customer price list, and search synonyms. Written through the same services as the API, as the
/// system, on the first start of an empty data dir (`demo.sample`, `serve --no-demo-sample`). The
/// issues that add domains extend it with their own data.
enum DemoSample {
    struct Summary: Sendable, Encodable {
        var businesses = 0
        var users = 0
        var products = 0
        var priceLists = 0
    }

    static func fill(_ store: Store, tenant: TenantID) async throws -> Summary {
        var summary = Summary()
        let audit = AuditContext.system
        let blobs: any BlobStore = ObjectStore(dataDir: store.dataDir, tenants: store.tenantDatabases)
        let media = SQLiteMediaService(tenants: store.tenantDatabases, blobs: blobs, stats: store.stats)

        var business: [String: String] = [:]
        for company in companies {
            let made = try await store.businesses.createBusiness(.system(tenant, audit: audit), company.input)
            business[company.key] = made.id
            if company.input.type == .importer || company.input.type == .wholesaler {
                _ = try await store.businesses.setVerified(.system(tenant, audit: audit), id: made.id, verified: true)
            }
            try await picture(blobs, media, tenant, .businessLogo, owner: made.id, DemoPicture.png(.logo, hue: company.hue))
            summary.businesses += 1
        }
        var users: [String: User] = [:]
        for person in people {
            let made = try await store.users.createUser(.system(tenant, audit: audit), NewUser(email: person.email, name: person.name, password: nil, kind: person.kind))
            users[person.business + "/" + person.email] = made.user
            _ = try await store.businesses.setMember(.system(tenant, audit: audit), businessID: business[person.business]!, userID: made.user.id, role: person.role)
            summary.users += 1
        }
        // The one who signs in first runs the wholesaler, so its orders, messages and stock news greet them in the bell.
        if let owner = try? await store.users.user(tenant, email: "owner@demo.local") {
            _ = try await store.businesses.setMember(.system(tenant, audit: audit), businessID: business["wholesaler"]!, userID: owner.id, role: .manager)
        }
        var category: [String: String] = [:]
        for (key, name, parent) in categories {
            category[key] = try await store.categories.createCategory(.system(tenant, audit: audit), name: name, parentID: parent.flatMap { category[$0] }).id
        }
        // Each seller's own main warehouse first: the stock figures below go into it.
        for seller in Set(items.map(\.seller)) {
            _ = try await store.stock.createWarehouse(.system(tenant, audit: audit), businessID: business[seller]!,
                                                      WarehouseInput(name: "Центральний склад", address: .some("Київ"), priority: 10), idempotency: nil)
        }
        var product: [String: String] = [:]
        for (index, item) in items.enumerated() {
            let earlier = earlierPrices.first { $0.sku == item.sku }?.price
            var input = ProductInput()
            (input.sku, input.name, input.brand, input.categoryId) = (item.sku, item.name, .some(item.brand), .some(category[item.category]))
            (input.unit, input.minOrderQuantity, input.orderMultiple, input.stockQuantity) = (item.unit, item.moq, item.multiple, item.stock)
            (input.currency, input.price, input.status) = ("UAH", earlier ?? item.price, .published)
            input.tiers = item.tiers.map { ProductInput.Tier(minQuantity: $0.0, price: $0.1) }
            input.attributes = item.attributes
            input.availability = item.stock > 0 ? .inStock : .onRequest
            input.description = item.description.map { .some($0) }
            let made = try await store.products.createProduct(.system(tenant), businessID: business[item.seller]!, input)
            if earlier != nil {
                var change = ProductInput()
                change.price = item.price
                _ = try await store.products.updateProduct(.system(tenant), id: made.id, change)
            }
            product[item.sku] = made.id
            try await picture(blobs, media, tenant, .productImage, owner: made.id, DemoPicture.png(item.shape, hue: Double(index * 37 % 360)))
            summary.products += 1
        }
        try await stock(store, tenant: tenant, seller: business["wholesaler"]!)
        let group = try await store.priceLists.createGroup(.system(tenant), sellerBusinessID: business["wholesaler"]!, name: groupName,
                                                           buyerBusinessIDs: groupMembers.map { business[$0]! })
        _ = try await store.priceLists.createPriceList(.system(tenant), sellerBusinessID: business["wholesaler"]!, PriceListInput(
            name: "Київ: аптеки-партнери", buyerGroupId: group.id, items: wholesalerList.map { .init(sku: $0.sku, price: $0.price) }))
        _ = try await store.priceLists.createPriceList(.system(tenant), sellerBusinessID: business["importer"]!, PriceListInput(
            name: "Медок — контракт 2026", buyerBusinessId: business["medok"]!, items: importerList.map { .init(sku: $0.sku, price: $0.price) }))
        summary.priceLists = 2
        try await orders(store, tenant: tenant, business: business)
        try await conversation(store, tenant: tenant, business: business, users: users)
        _ = try await SearchEngine(tenants: store.tenantDatabases).setVocabulary(.system(tenant, audit: audit), SearchVocabulary(synonyms: synonyms, stopWords: ["для"]))
        return summary
    }

    /// A second warehouse of the wholesaler, goods moved into it, and a threshold that shows as low.
    static func stock(_ store: Store, tenant: TenantID, seller: String) async throws {
        let lviv = try await store.stock.createWarehouse(.system(tenant), businessID: seller,
                                                         WarehouseInput(name: "Львів, склад №2", address: .some("Львів, вул. Городоцька 120")), idempotency: nil)
        guard let main = try await store.stock.warehouses(.system(tenant), businessID: seller).first(where: { $0.id != lviv.id }) else { return }
        let levels = try await store.stock.levels(.system(tenant), businessID: seller, StockFilter(warehouseID: main.id), PageRequest(limit: 3)).items
        for (i, level) in levels.enumerated() {
            _ = try await store.stock.move(.system(tenant), businessID: seller, StockMovementInput(
                kind: .transfer, productId: level.productId, warehouseId: main.id, toWarehouseId: lviv.id, quantity: level.onHand / 4), idempotency: nil)
            _ = try await store.stock.setThreshold(.system(tenant), productID: level.productId, warehouseID: lviv.id,
                                                   threshold: i == 0 ? level.onHand : level.onHand / 10)
        }
        if let first = levels.first {
            _ = try await store.stock.move(.system(tenant), businessID: seller, StockMovementInput(
                kind: .incoming, productId: first.productId, warehouseId: main.id, quantity: 500), idempotency: nil)
        }
    }

    /// Two orders with the wholesaler: one confirmed (its stock reserved), one waiting in the inbox.
    static func orders(_ store: Store, tenant: TenantID, business: [String: String]) async throws {
        let sold = items.filter { $0.seller == "wholesaler" }
        func lines(_ picks: ArraySlice<Item>) -> [PlaceOrderInput.Line] {
            picks.map { .init(sku: $0.sku, quantity: ($0.moq + $0.multiple - 1) / $0.multiple * $0.multiple * 2) }
        }
        let first = try await store.orders.placeOrder(.system(tenant), PlaceOrderInput(
            buyerBusinessId: business["zdorovya"]!, sellerBusinessId: business["wholesaler"]!, lines: lines(sold.prefix(3)),
            deliveryAddress: "Київ, вул. Хрещатик 22", paymentTerms: PaymentTerms(kind: .net, days: 14)), idempotency: nil)
        _ = try await store.orders.transition(.system(tenant), orderID: first.id, .confirm, reason: nil)
        _ = try await store.orders.placeOrder(.system(tenant), PlaceOrderInput(
            buyerBusinessId: business["podil"]!, sellerBusinessId: business["wholesaler"]!, lines: lines(sold.dropFirst(3).prefix(2)),
            notes: "Доставка до 12:00"), idempotency: nil)
    }

    /// A pharmacy and the wholesaler talking: a question, a request for quote, the wholesaler's offer
    /// waiting for the pharmacy's answer.
    static func conversation(_ store: Store, tenant: TenantID, business: [String: String], users: [String: User]) async throws {
        func caller(_ key: String) -> Caller {
            let user = users[key]!
            return Caller(Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant, tenantSlug: nil,
                                    role: user.role, userKind: user.kind, locale: nil, scopes: Set(Scope.allCases), credential: .session(id: "")),
                          audit: AuditContext(actor: user.id, actorLabel: user.email))
        }
        let (maria, ihor) = (caller("zdorovya/maria@zdorovya.demo"), caller("wholesaler/ihor@pharmopt.demo"))
        let sold = items.filter { $0.seller == "wholesaler" }.prefix(2)
        let talk = try await store.conversations.open(maria, ConversationInput(buyerBusinessId: business["zdorovya"]!, sellerBusinessId: business["wholesaler"]!),
                                                      idempotency: nil).conversation
        _ = try await store.conversations.post(maria, conversationID: talk.id, MessageInput(text: "Добрий день! Чи буде знижка на велику партію до кінця місяця?"),
                                               idempotency: nil)
        let quantity = { (item: Item) in (item.moq + item.multiple - 1) / item.multiple * item.multiple * 10 }
        let rfq = try await store.negotiations.start(maria, conversationID: talk.id, OfferInput(
            kind: .rfq, lines: sold.map { .init(sku: $0.sku, quantity: quantity($0)) }, note: "Потрібно до п’ятниці"), idempotency: nil)
        _ = try await store.negotiations.counter(ihor, id: rfq.id, revision: 1, OfferInput(
            kind: .offer, lines: sold.map { .init(sku: $0.sku, quantity: quantity($0), unitPrice: Money.parse($0.price, currency: "UAH")
                .map { Money(minor: $0.minor * 92 / 100, currency: "UAH").decimal }) },
            expiresAt: Date().addingTimeInterval(7 * 86_400), deliveryTerms: "Доставка нашим транспортом у п’ятницю", paymentTerms: "14 днів"), idempotency: nil)
    }

    /// Writes a picture to the blob store and makes it the owner's, as an upload would.
    static func picture(_ blobs: any BlobStore, _ media: any MediaService, _ tenant: TenantID, _ kind: Media.Kind, owner: String, _ png: [UInt8]) async throws {
        let writer = try blobs.newBlob(tenant, checksums: [], sha256: false)
        try png.withUnsafeBytes { try writer.write($0) }
        let result = writer.digests()
        try writer.commit()
        try await media.setMedia(.system(tenant), Media(kind: kind, ownerID: owner, blob: writer.id, contentType: "image/png", size: result.size,
                                                        etag: Hex.encode(result.md5), modified: Date()))
    }
}
