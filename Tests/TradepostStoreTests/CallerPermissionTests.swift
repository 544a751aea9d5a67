import Foundation
import GRDB
import Testing
import TradepostBlobs
import TradepostCore
import TradepostStore
import TradepostTestSupport

/// Issue 20: services take the caller and decide inside their own transaction, so these call the
/// services directly — no route in front — and expect the same answers the API gives.
@Suite("Services decide permission for the caller")
struct CallerPermissionTests {
    struct World {
        let store: Store
        let tenant: Tenant
        let seller: Business, other: Business
        let manager: Caller, otherMember: Caller, outsider: Caller, readOnly: Caller
        let published: Product, draft: Product
    }

    func world() async throws -> World {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let seller = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Opt", type: .wholesaler, city: "Kyiv"))
        let other = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "Apteka", type: .pharmacy, city: "Lviv"))
        func member(_ name: String, of business: Business?) async throws -> User {
            let user = try await store.users.createUser(.system(tenant.id), NewUser(email: "\(name)@acme.test", name: name, password: nil, role: .member)).user
            if let business {
                _ = try await store.businesses.setMember(.system(tenant.id), businessID: business.id, userID: user.id, role: .manager)
            }
            return user
        }
        let manager = try await member("manager", of: seller)
        let otherMember = try await member("buyer", of: other)
        let outsider = try await member("outsider", of: nil)
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status) = ("P-1", "Aspirin", "UAH", "10.00", .published)
        let published = try await store.products.createProduct(caller(tenant, manager), businessID: seller.id, input)
        (input.sku, input.status) = ("D-1", .draft)
        let draft = try await store.products.createProduct(caller(tenant, manager), businessID: seller.id, input)
        return World(store: store, tenant: tenant, seller: seller, other: other, manager: caller(tenant, manager),
                     otherMember: caller(tenant, otherMember), outsider: caller(tenant, outsider),
                     readOnly: caller(tenant, manager, scopes: [.read]), published: published, draft: draft)
    }

    /// Pictures: whether the caller may change a product or business is asked before an upload.
    func media(_ w: World) -> SQLiteMediaService {
        SQLiteMediaService(tenants: w.store.tenantDatabases, blobs: ObjectStore(dataDir: w.store.dataDir, tenants: w.store.tenantDatabases), stats: w.store.stats)
    }

    func auditCount(_ w: World) async throws -> Int {
        try await w.store.tenantDatabases.read(w.tenant.id) { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log")! }
    }

    @Test func writesAreDecidedForTheCallerAndARefusalChangesNothing() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        var rename = ProductInput()
        rename.name = "Renamed"
        let before = try await auditCount(w)

        // Not a member of the product's business: forbidden where they can see it, not found where they cannot.
        await #expect(throws: AppError.forbidden()) { try await w.store.products.updateProduct(w.otherMember, id: w.published.id, rename) }
        await #expect(throws: AppError.notFound("Product")) { try await w.store.products.updateProduct(w.otherMember, id: w.draft.id, rename) }
        await #expect(throws: AppError.forbidden()) { try await w.store.products.deleteProduct(w.outsider, id: w.published.id) }
        await #expect(throws: AppError.forbidden()) { _ = try await media(w).uploadTenant(w.outsider, .productImage, ownerID: w.published.id) }
        await #expect(throws: AppError.forbidden()) {
            try await w.store.products.createProduct(w.outsider, businessID: w.seller.id, ProductInput())
        }
        await #expect(throws: AppError.notFound("Business")) {
            try await w.store.products.createProduct(w.manager, businessID: "01NOSUCHBUSINESS0000000000", ProductInput())
        }
        // A read-only token of the right member: the scope is checked inside the service as well.
        await #expect(throws: AppError.self) { try await w.store.products.updateProduct(w.readOnly, id: w.published.id, rename) }
        // Who may comes before what: a refused caller learns nothing from validation.
        var bad = ProductInput()
        bad.price = "1.234"
        await #expect(throws: AppError.forbidden()) { try await w.store.products.updateProduct(w.otherMember, id: w.published.id, bad) }
        // Tenant-admin work refuses members.
        await #expect(throws: AppError.forbidden()) { try await w.store.products.reviewQueue(w.manager, PageRequest(limit: 5)) }
        await #expect(throws: AppError.forbidden()) {
            try await w.store.products.updateCatalogSettings(w.manager, CatalogSettings(requireReview: true))
        }

        #expect(try await w.store.products.product(w.manager, id: w.published.id).name == "Aspirin")
        #expect(try await auditCount(w) == before)

        #expect(try await w.store.products.updateProduct(w.manager, id: w.draft.id, rename).name == "Renamed")
        #expect(try await media(w).uploadTenant(w.manager, .productImage, ownerID: w.draft.id) == w.tenant.id)
        #expect(try await auditCount(w) == before + 1)
    }

    @Test func readsShowWhatTheCallerMaySee() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let page = PageRequest(limit: 10)
        #expect(try await w.store.products.products(w.outsider, page, filter: ProductFilter()).items.map(\.id) == [w.published.id])
        #expect(Set(try await w.store.products.products(w.manager, page, filter: ProductFilter()).items.map(\.id)) == [w.published.id, w.draft.id])
        await #expect(throws: AppError.notFound("Product")) { try await w.store.products.priceHistory(w.outsider, productID: w.draft.id, page) }
        #expect(try await w.store.products.priceHistory(w.manager, productID: w.draft.id, page).items.count == 1)
    }

    @Test func aContractPriceIsSeenByItsBuyerItsSellerAndAdminsOnly() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        _ = try await w.store.priceLists.createPriceList(w.manager, sellerBusinessID: w.seller.id, PriceListInput(
            name: "Apteka", buyerBusinessId: w.other.id, items: [.init(productId: w.published.id, price: "8.00")]))
        func price(_ caller: Caller, buyer: String?) async throws -> Int64 {
            try await w.store.priceLists.effectivePrice(caller, productID: w.published.id, quantity: 1, buyer: buyer, day: "2026-06-15").unitPrice.minor
        }
        #expect(try await price(w.otherMember, buyer: nil) == 800)  // their own businesses by default
        #expect(try await price(w.otherMember, buyer: w.other.id) == 800)
        #expect(try await price(w.manager, buyer: w.other.id) == 800)  // the seller
        #expect(try await price(.system(w.tenant.id), buyer: w.other.id) == 800)
        #expect(try await price(w.outsider, buyer: nil) == 1000)
        await #expect(throws: AppError.notFound("Business")) { try await price(w.outsider, buyer: w.other.id) }
        await #expect(throws: AppError.notFound("Product")) {
            try await w.store.priceLists.effectivePrice(w.outsider, productID: w.draft.id, quantity: 1, buyer: nil, day: "2026-06-15")
        }
    }

    @Test func businessesAndImportsAreDecidedForTheCaller() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let before = try await auditCount(w)
        await #expect(throws: AppError.forbidden()) {
            try await w.store.businesses.createBusiness(w.manager, BusinessInput(name: "Mine", type: .pharmacy, city: "Kyiv"))
        }
        await #expect(throws: AppError.forbidden()) { try await w.store.businesses.updateBusiness(w.manager, id: w.other.id, BusinessInput(city: "Odesa")) }
        await #expect(throws: AppError.forbidden()) { _ = try await media(w).uploadTenant(w.otherMember, .businessLogo, ownerID: w.seller.id) }
        await #expect(throws: AppError.forbidden()) {
            try await w.store.businesses.setMember(w.otherMember, businessID: w.seller.id, userID: w.otherMember.principal.userID, role: .manager)
        }
        await #expect(throws: AppError.forbidden()) { try await w.store.businesses.setVerified(w.manager, id: w.seller.id, verified: true) }
        await #expect(throws: AppError.forbidden()) { _ = try await w.store.catalogImports.requireManage(w.otherMember, businessID: w.seller.id) }
        await #expect(throws: AppError.forbidden()) { try await w.store.catalogImports.imports(w.otherMember, businessID: w.seller.id, limit: 5) }
        #expect(try await auditCount(w) == before)
        #expect(try await w.store.businesses.myBusinesses(w.otherMember).map { [$0.business.id: $0.role] } == [[w.other.id: .manager]])
        #expect(try await w.store.businesses.updateBusiness(w.manager, id: w.seller.id, BusinessInput(city: "Odesa")).city == "Odesa")

        // An import is its business's: to anyone else it does not exist.
        let upload = try w.store.catalogImports.uploadPath(w.tenant.id)
        try Data("sku,name,price\nN-1,New,5.00\n".utf8).write(to: URL(fileURLWithPath: upload))
        let item = try await w.store.catalogImports.submit(w.manager, businessID: w.seller.id, fileName: "p.csv", path: upload, dryRun: true,
                                                           options: ImportOptions())
        await #expect(throws: AppError.notFound("Import")) { try await w.store.catalogImports.catalogImport(w.otherMember, id: item.id) }
        await #expect(throws: AppError.notFound("Import")) { try await w.store.catalogImports.apply(w.otherMember, importID: item.id) }
        #expect(try await w.store.catalogImports.catalogImport(w.manager, id: item.id).id == item.id)
    }

    @Test func onlyOwnersTouchOwnersAndMembersManageNobody() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let owner = try await w.store.users.user(w.tenant.id, email: "owner@acme.test")
        let admin = caller(w.tenant, try await w.store.users.createUser(
            .system(w.tenant.id), NewUser(email: "admin@acme.test", name: "Admin", password: nil, role: .admin)).user)
        await #expect(throws: AppError.forbidden()) { try await w.store.users.updateUser(admin, id: owner.id, UserUpdate(name: "X")) }
        await #expect(throws: AppError.forbidden()) { try await w.store.users.setPassword(admin, id: owner.id, password: "a-new-password-1") }
        await #expect(throws: AppError.forbidden()) {
            try await w.store.users.createUser(admin, NewUser(email: "o2@acme.test", name: "O2", password: nil, role: .owner))
        }
        #expect(try await w.store.users.users(w.manager, PageRequest(limit: 10), filter: UserFilter()).items.count == 5)  // the directory is everyone's
        await #expect(throws: AppError.forbidden()) {
            try await w.store.users.updateUser(w.manager, id: w.manager.principal.userID, UserUpdate(role: .owner))
        }
        #expect(try await w.store.users.user(caller(w.tenant, owner), id: owner.id).name == "Owner")
        // Their own name is everyone's to change, and nothing else rides along.
        let renamed = try await w.store.users.updateProfile(w.manager, UserUpdate(name: "Mgr", role: .owner))
        #expect(renamed.name == "Mgr" && renamed.role == .member)
        #expect(try await w.store.users.updateUser(admin, id: w.manager.principal.userID, UserUpdate(kind: .salesperson)).kind == .salesperson)
    }

    @Test func theCategoryTreeIsEveryonesToReadAndAdminsToChange() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        await #expect(throws: AppError.forbidden()) { try await w.store.categories.createCategory(w.manager, name: "Mine", parentID: nil) }
        let made = try await w.store.categories.createCategory(.system(w.tenant.id), name: "Medicine", parentID: nil)
        await #expect(throws: AppError.forbidden()) { try await w.store.categories.deleteCategory(w.manager, id: made.id) }
        #expect(try await w.store.categories.categories(w.outsider).map(\.id) == [made.id])
    }
}
