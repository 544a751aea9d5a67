import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Tenants, users and businesses")
struct TenancyServiceTests {
    /// Only platform admins list, make, change, suspend and resume tenants: the service decides.
    @Test func onlyPlatformAdminsManageTenants() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let tenantOwner = caller(tenant, owner)
        for attempt in [
            { _ = try await store.tenants.tenants(tenantOwner, PageRequest(), status: nil) },
            { _ = try await store.tenants.createTenant(tenantOwner, NewTenant(slug: "sneaky", name: "Sneaky")) },
            { _ = try await store.tenants.updateTenant(tenantOwner, id: tenant.id, TenantUpdate(name: "Renamed")) },
            { _ = try await store.tenants.setStatus(tenantOwner, id: tenant.id, .suspended) },
        ] as [@Sendable () async throws -> Void] {
            let refused = await #expect(throws: AppError.self) { try await attempt() }
            #expect(refused?.code == .forbidden)
        }
        #expect(try await store.tenants.tenant(id: tenant.id).name == "Acme")
        #expect(try await store.tenants.tenant(id: tenant.id).status == .active)
        let platform = Caller.platformSystem(audit: .cli)
        #expect(try await store.tenants.tenants(platform, PageRequest(), status: nil).items.map(\.slug) == ["acme"])
        #expect(try await store.tenants.setStatus(platform, id: tenant.id, .suspended).status == .suspended)
    }

    /// Showing a tenant, its plans and its users, adding a user and restoring it are decided by the
    /// service too: platform admins see any tenant; a tenant's user sees only their own.
    @Test func whoSeesATenantAndItsUsersIsDecidedByTheService() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (acme, owner) = try await store.tenantWithOwner("acme")
        let (beta, _) = try await store.tenantWithOwner("beta")
        let acmeOwner = caller(acme, owner)
        let platform = Caller.platformSystem(audit: AuditContext(actor: "platform:01ADMIN", actorLabel: "admin@localhost"))

        #expect(try await store.tenants.tenant(acmeOwner, id: acme.id).slug == "acme")
        await #expect(throws: AppError.notFound("Tenant")) { _ = try await store.tenants.tenant(acmeOwner, id: beta.id) }
        #expect(try await store.tenants.tenant(platform, id: beta.id).slug == "beta")
        await #expect(throws: AppError.notFound("Tenant")) { _ = try await store.tenants.tenant(platform, id: TenantID("01NOSUCHTENANT000000000000")) }
        for attempt in [
            { _ = try await store.tenants.plans(acmeOwner) },
            { _ = try await store.tenants.users(acmeOwner, tenant: acme.id, PageRequest()) },
            { _ = try await store.tenants.createUser(acmeOwner, tenant: acme.id, NewUser(email: "x@acme.test", name: "X", password: nil, role: .member)) },
            { _ = try await store.tenantRestore.archivePath(acmeOwner, tenant: acme.id) },
        ] as [@Sendable () async throws -> Void] {
            let refused = await #expect(throws: AppError.self) { try await attempt() }
            #expect(refused?.code == .forbidden)
        }
        #expect(try await store.tenants.plans(platform).map(\.slug).contains("standard"))
        await #expect(throws: AppError.notFound("Tenant")) {
            _ = try await store.tenants.users(platform, tenant: TenantID("01NOSUCHTENANT000000000000"), PageRequest())
        }
        await #expect(throws: AppError.notFound("Tenant")) {
            _ = try await store.tenantRestore.archivePath(platform, tenant: TenantID("01NOSUCHTENANT000000000000"))
        }

        // A platform admin adds a user to a tenant, audited in that tenant as the admin.
        let added = try await store.tenants.createUser(platform, tenant: beta.id, NewUser(email: "ops@beta.test", name: "Ops", password: nil, role: .admin))
        #expect(added.generatedPassword != nil)
        #expect(try await store.tenants.users(platform, tenant: beta.id, PageRequest()).items.map(\.email).contains("ops@beta.test"))
        let actors = try await store.tenantDatabases.read(beta.id) { try String.fetchAll($0, sql: "SELECT actor FROM audit_log WHERE action = 'user.create'") }
        #expect(actors.contains("platform:01ADMIN"))
        #expect(try await store.tenants.storageQuota(beta.id) == store.tenants.plans(platform).first { $0.slug == beta.plan }?.storageQuotaBytes)
    }

    /// A tenant made with its owner: the owner is checked before anything is made.
    @Test func aTenantIsMadeWithItsOwnerOrNotAtAll() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let platform = Caller.platformSystem(audit: .cli)
        let files = try FileManager.default.contentsOfDirectory(atPath: store.tenantDatabases.directory).count
        let refused = await #expect(throws: AppError.self) {
            _ = try await store.tenants.createTenant(platform, NewTenant(slug: "acme", name: "Acme"),
                                                     owner: NewUser(email: "not-an-email", name: "Boss", password: nil, role: .owner))
        }
        #expect(refused?.fields.map(\.field) == ["owner.email"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.tenantDatabases.directory).count == files)
        #expect(try await store.tenants.tenants(platform, PageRequest(), status: nil).items.isEmpty)

        let made = try await store.tenants.createTenant(platform, NewTenant(slug: "acme", name: "Acme"),
                                                        owner: NewUser(email: "boss@acme.test", name: "Boss", password: nil, role: .member))
        let owner = try #require(made.owner)
        #expect(owner.user.role == .owner && owner.generatedPassword != nil)
        #expect(try await store.users.user(.system(made.tenant.id), id: owner.user.id).email == "boss@acme.test")
    }

    @Test func tenantsHaveUniqueSlugsAndTheirOwnFiles() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let tenant = try await store.tenants.createTenant(.platformSystem(audit: .cli), NewTenant(slug: "Acme", name: " Acme Pharma "))
        #expect(tenant.slug == "acme")
        #expect(tenant.name == "Acme Pharma")
        #expect(FileManager.default.fileExists(atPath: store.tenantDatabases.path(for: tenant.id)))
        await #expect(throws: AppError.conflict("A tenant with the slug \"acme\" already exists")) {
            try await store.tenants.createTenant(.platformSystem(audit: .cli), NewTenant(slug: "acme", name: "Other"))
        }
        // A bad plan is refused before any file is made.
        let files = try FileManager.default.contentsOfDirectory(atPath: store.tenantDatabases.directory).count
        await #expect(throws: AppError.self) {
            try await store.tenants.createTenant(.platformSystem(audit: .cli), NewTenant(slug: "nope", name: "Nope", plan: "gold"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.tenantDatabases.directory).count == files)
        let audit = try await store.control.pool.read { try String.fetchAll($0, sql: "SELECT action FROM platform_audit") }
        #expect(audit == ["tenant.create"])
    }

    @Test func suspendingKeepsDataAndIsAudited() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let suspended = try await store.tenants.setStatus(.platformSystem(audit: .cli), id: tenant.id, .suspended)
        #expect(suspended.status == .suspended)
        #expect(try await store.users.user(.system(tenant.id), id: owner.id).email == owner.email)
        #expect(try await store.tenants.tenants(.platformSystem(), PageRequest(), status: .suspended).items.map(\.id) == [tenant.id])
        #expect(try await store.tenants.setStatus(.platformSystem(audit: .cli), id: tenant.id, .active).status == .active)
    }

    @Test func emailsAreUniquePerTenantNotAcrossTenants() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (a, _) = try await store.tenantWithOwner("alpha")
        let (b, _) = try await store.tenantWithOwner("beta")
        let input = NewUser(email: "Anna@Shared.test", name: "Anna", password: "password-1")
        let inA = try await store.users.createUser(.system(a.id, audit: .cli), input)
        #expect(inA.user.email == "anna@shared.test")
        #expect(inA.generatedPassword == nil)
        await #expect(throws: AppError.self) { try await store.users.createUser(.system(a.id, audit: .cli), input) }
        #expect(try await store.users.createUser(.system(b.id, audit: .cli), input).user.id != inA.user.id)
        // Tenant A's ids do not exist in tenant B.
        await #expect(throws: AppError.notFound("User")) { try await store.users.user(.system(b.id), id: inA.user.id) }
    }

    @Test func aTenantKeepsAnActiveOwner() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        await #expect(throws: AppError.self) {
            try await store.users.updateUser(.system(tenant.id, audit: .cli), id: owner.id, UserUpdate(role: .admin))
        }
        await #expect(throws: AppError.self) {
            try await store.users.updateUser(.system(tenant.id, audit: .cli), id: owner.id, UserUpdate(disabled: true))
        }
        let second = try await store.users.createUser(.system(tenant.id, audit: .cli), NewUser(email: "two@acme.test", name: "Two", password: nil, role: .owner))
        #expect(second.generatedPassword?.count == 19)
        let demoted = try await store.users.updateUser(.system(tenant.id, audit: .cli), id: owner.id, UserUpdate(role: .admin))
        #expect(demoted.role == .admin)
        let actions = try await store.tenantDatabases.read(tenant.id) { try String.fetchAll($0, sql: "SELECT action FROM audit_log ORDER BY id") }
        #expect(actions == ["user.create", "user.create", "user.role_change"])
    }

    @Test func thePlanCapsActiveUsers() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("small", plan: "free")  // 5 users
        for i in 2...5 {
            _ = try await store.users.createUser(.system(tenant.id, audit: .cli), NewUser(email: "u\(i)@small.test", name: "U", password: nil))
        }
        await #expect(throws: AppError.self) {
            try await store.users.createUser(.system(tenant.id, audit: .cli), NewUser(email: "u6@small.test", name: "U", password: nil))
        }
        #expect(try await store.users.userCount(tenant.id) == 5)
    }

    @Test func usersPageAndFilter() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, _) = try await store.tenantWithOwner("big", plan: "unlimited")
        for i in 0..<7 {
            _ = try await store.users.createUser(.system(tenant.id, audit: .cli), NewUser(email: "p\(i)@big.test", name: i % 2 == 0 ? "Petro \(i)" : "Olha \(i)", password: nil))
        }
        var seen: [String] = []
        var page = PageRequest(limit: 3)
        while true {
            let result = try await store.users.users(.system(tenant.id), page, filter: UserFilter())
            seen += result.items.map(\.id)
            guard let next = result.nextCursor else { break }
            page.after = Cursor.decode(next)
        }
        #expect(seen.count == 8)
        #expect(seen == seen.sorted())
        let olhas = try await store.users.users(.system(tenant.id), PageRequest(), filter: UserFilter(query: "olha"))
        #expect(olhas.items.count == 3)
        let pct = try await store.users.users(.system(tenant.id), PageRequest(), filter: UserFilter(query: "%"))
        #expect(pct.items.isEmpty)
    }

    @Test func businessesAndMembers() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        await #expect(throws: AppError.self) {
            try await store.businesses.createBusiness(.system(tenant.id, audit: .cli), BusinessInput(name: "X"))
        }
        let business = try await store.businesses.createBusiness(
            .system(tenant.id, audit: .cli), BusinessInput(name: "Аптека №1", type: .pharmacy, city: "Київ", phone: .some("+380 44 123-45-67")))
        #expect(business.phone == "+380 44 123-45-67")
        let cleared = try await store.businesses.updateBusiness(.system(tenant.id, audit: .cli), id: business.id, BusinessInput(phone: .some(nil)))
        #expect(cleared.phone == nil)
        #expect(cleared.name == "Аптека №1")
        _ = try await store.businesses.setMember(.system(tenant.id, audit: .cli), businessID: business.id, userID: owner.id, role: .manager)
        #expect(try await store.businesses.myBusinesses(caller(tenant, owner)).map { [$0.business.id: $0.role] } == [[business.id: .manager]])
        // The manager now edits the business themself.
        let website = "https://apteka.example"
        #expect(try await store.businesses.updateBusiness(caller(tenant, owner), id: business.id, BusinessInput(website: .some(website))).website == website)
        #expect(try await store.businesses.members(.system(tenant.id), businessID: business.id).map(\.email) == [owner.email])
        await #expect(throws: AppError.self) {
            try await store.businesses.setMember(.system(tenant.id, audit: .cli), businessID: business.id, userID: Identifier.make(), role: .staff)
        }
        try await store.businesses.removeMember(.system(tenant.id, audit: .cli), businessID: business.id, userID: owner.id)
        #expect(try await store.businesses.members(.system(tenant.id), businessID: business.id).isEmpty)
        let found = try await store.businesses.businesses(.system(tenant.id), PageRequest(), filter: BusinessFilter(type: .pharmacy, city: "київ"))
        #expect(found.items.count == 1)
    }

    @Test func bootstrapRunsOnceOnAnEmptyDataDir() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let first = try await store.bootstrap(adminEmail: nil, adminPassword: nil)
        #expect(first.admin?.email == "admin@localhost")
        #expect(first.admin?.generatedPassword != nil)
        #expect(first.demoTenant?.slug == "demo")
        let again = try await store.bootstrap(adminEmail: nil, adminPassword: nil)
        #expect(again.admin == nil)
        #expect(again.demoTenant == nil)
        #expect(try await store.admins.adminCount() == 1)
    }
}
