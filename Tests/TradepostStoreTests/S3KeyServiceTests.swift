import Foundation
import Testing
import TradepostCore
import TradepostStore
import TradepostTestSupport

/// S3 keys are the tenant's to manage: the service decides who may (tenant admins with a full
/// token), not the routes.
@Suite("S3 keys: the caller decides")
struct S3KeyServiceTests {
    @Test func onlyTenantAdminsWithAnAdminTokenManageKeys() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let (other, otherOwner) = try await store.tenantWithOwner("globex")
        let member = try await store.users.createUser(.system(tenant.id), NewUser(email: "m@acme.test", name: "M", password: "member-password"))

        let made = try await store.s3Keys.create(caller(tenant, owner), name: "backups")
        #expect(try await store.s3Keys.list(caller(tenant, owner)).map(\.accessKey) == [made.key.accessKey])
        #expect(made.key.createdBy == owner.email)

        for who in [caller(tenant, member.user), caller(tenant, owner, scopes: [.read, .write])] {
            for attempt in [
                { _ = try await store.s3Keys.create(who, name: "x") },
                { _ = try await store.s3Keys.list(who) },
                { try await store.s3Keys.revoke(who, accessKey: made.key.accessKey) },
            ] as [@Sendable () async throws -> Void] {
                let refused = await #expect(throws: AppError.self) { try await attempt() }
                #expect(refused?.code == .forbidden)
            }
        }
        // Another tenant's admin neither sees nor revokes it.
        #expect(try await store.s3Keys.list(caller(other, otherOwner)).isEmpty)
        let missing = await #expect(throws: AppError.self) { try await store.s3Keys.revoke(caller(other, otherOwner), accessKey: made.key.accessKey) }
        #expect(missing?.code == .notFound)
        #expect(try await store.s3Keys.grant(accessKey: made.key.accessKey) != nil)

        try await store.s3Keys.revoke(caller(tenant, owner), accessKey: made.key.accessKey)
        #expect(try await store.s3Keys.grant(accessKey: made.key.accessKey) == nil)
    }
}
