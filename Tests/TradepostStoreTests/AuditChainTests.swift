import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Audit trail: hash chain, append-only, verification")
struct AuditChainTests {
    /// A tenant with a few audited changes, and its database pool for direct tampering.
    func tenantWithEntries() async throws -> (Store, TenantID, DatabasePool) {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        for name in ["North", "South", "East"] {
            _ = try await store.businesses.createBusiness(.system(tenant.id, audit: .cli), BusinessInput(name: name, type: .supplier, city: "Lviv"))
        }
        let pool = try await store.tenantDatabases.withPool(tenant.id) { $0 }
        return (store, tenant.id, pool)
    }

    /// The service decides who reads which trail: tenant admins their tenant's, platform admins the platform's.
    @Test func theCallerDecidesWhichTrailItMayRead() async throws {
        let (store, tenantID, _) = try await tenantWithEntries()
        defer { Task { await store.remove() } }
        let tenant = try await store.tenants.tenant(id: tenantID)
        let member = try await store.users.createUser(.system(tenantID), NewUser(email: "m@acme.test", name: "M", password: "member-password"))
        let owner = try await store.users.users(.system(tenantID), PageRequest(limit: 10), filter: UserFilter()).items.first { $0.role == .owner }!
        #expect(try await store.audit.entries(caller(tenant, owner), .tenant, AuditFilter()).count >= 3)
        #expect(try await store.audit.verify(caller(tenant, owner), .tenant).ok)
        for (who, trail) in [(caller(tenant, member.user), AuditTrail.tenant), (caller(tenant, owner), .platform)] {
            let refused = await #expect(throws: AppError.self) { try await store.audit.entries(who, trail, AuditFilter()) }
            #expect(refused?.code == .forbidden)
            let unverified = await #expect(throws: AppError.self) { try await store.audit.verify(who, trail) }
            #expect(unverified?.code == .forbidden)
        }
        #expect(try await store.audit.verify(.platformSystem(), .platform).ok)
    }

    @Test func everyEntryIsSealedAndTheChainVerifies() async throws {
        let (store, tenant, _) = try await tenantWithEntries()
        let entries = try await store.audit.entries(.system(tenant), .tenant, AuditFilter())
        #expect(entries.count == 4)  // the owner, three businesses
        #expect(entries.allSatisfy { $0.hash?.count == 64 })
        #expect(Set(entries.compactMap(\.hash)).count == 4)
        let check = try await store.audit.verify(.system(tenant), .tenant)
        #expect(check == AuditVerification(entries: 4, sealed: 4, unsealed: 0, problems: []))
        #expect(try await store.audit.verify(.platformSystem(), .platform).ok)  // the platform's trail too
    }

    @Test func theAppCannotEditOrDeleteAnEntry() async throws {
        let (store, tenant, pool) = try await tenantWithEntries()
        #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'someone' WHERE id = 2") } }
        #expect(throws: DatabaseError.self) { try pool.write { try $0.execute(sql: "DELETE FROM audit_log WHERE id = 2") } }
        #expect(try await store.audit.verify(.system(tenant), .tenant).ok)
    }

    @Test(arguments: [
        ("UPDATE audit_log SET actor = 'someone' WHERE id = 2", "entry 2 does not match its hash"),
        ("DELETE FROM audit_log WHERE id = 2", "entry 3 does not match its hash"),
        ("DELETE FROM audit_log WHERE id = 4", "entry 4 was deleted"),
        ("UPDATE audit_log SET detail = '{\"name\":\"Other\"}' WHERE id = 3", "entry 3 does not match its hash"),
        ("INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01 00:00:00.000', 'ghost', 'user.create')", "entry 5 is not sealed"),
    ])
    func tamperingAroundTheTriggersIsDetected(sql: String, finding: String) async throws {
        let (store, tenant, pool) = try await tenantWithEntries()
        try await pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only_update; DROP TRIGGER audit_log_append_only_delete")
            try db.execute(sql: sql)
        }
        let check = try await store.audit.verify(.system(tenant), .tenant)
        #expect(!check.ok)
        #expect(check.problems.contains { $0.hasPrefix(finding) }, "\(check.problems)")
        #expect(check.problems.contains { $0.contains("triggers") })
    }

    @Test func entriesFromBeforeTheChainAreSealedByTheNextChange() async throws {
        let (store, tenant, pool) = try await tenantWithEntries()
        // As an upgraded database looks: the column exists, the old entries have no hash.
        try await pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only_update")
            try db.execute(sql: "UPDATE audit_log SET hash = NULL")
            try db.execute(sql: """
                CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
                """)
        }
        #expect(try await store.audit.verify(.system(tenant), .tenant) == AuditVerification(entries: 4, sealed: 0, unsealed: 4, problems: []))
        _ = try await store.businesses.createBusiness(.system(tenant, audit: .cli), BusinessInput(name: "West", type: .importer, city: "Kyiv"))
        #expect(try await store.audit.verify(.system(tenant), .tenant) == AuditVerification(entries: 5, sealed: 5, unsealed: 0, problems: []))
    }

    @Test func filtersAndPagingNewestFirst() async throws {
        let (store, tenant, _) = try await tenantWithEntries()
        let business = try await store.audit.entries(.system(tenant), .tenant, AuditFilter(action: "business."))
        #expect(business.map(\.action) == ["business.create", "business.create", "business.create"])
        #expect(business.map(\.id) == business.map(\.id).sorted(by: >))
        let older = try await store.audit.entries(.system(tenant), .tenant, AuditFilter(action: "business.", before: business[0].id, limit: 1))
        #expect(older.map(\.id) == [business[1].id])
        #expect(try await store.audit.entries(.system(tenant), .tenant, AuditFilter(action: "business")).isEmpty)  // exact match only
        #expect(try await store.audit.entries(.system(tenant), .tenant, AuditFilter(actor: "cli")).count == 3)
        #expect(try await store.audit.entries(.system(tenant), .tenant, AuditFilter(since: Date().addingTimeInterval(3600))).isEmpty)
    }
}
