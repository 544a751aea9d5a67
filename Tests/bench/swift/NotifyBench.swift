import Foundation
import TradepostCore
import TradepostStore

/// Prepares a data dir for `Tests/bench/notify_bench.py` (issue 23) through the store with a fast
/// bcrypt cost: tenant `bench` with a wholesaler managed by `managers` users (each with an API token:
/// every one of them hears of a salesperson asking to link), a salesperson and an admin with tokens.
/// Prints JSON the Python side reads.
enum NotifyBench {
    static func run(dir: String, managers: Int) async throws {
        let store = try await Store(Store.Options(dataDir: dir, hasher: BcryptHasher(cost: 4)))
        let tenant = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "bench", name: "Bench", plan: "unlimited"), owner: nil).tenant
        let system = Caller.system(tenant.id)
        let business = try await store.businesses.createBusiness(system, BusinessInput(name: "Wholesale", type: .wholesaler, city: "Kyiv"))
        func token(_ email: String, role: TenantRole = .member, kind: UserKind = .member) async throws -> (String, String) {
            let user = try await store.users.createUser(system, NewUser(email: email, name: email, password: "bench-pass-1", role: role, kind: kind)).user
            let principal = Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant.id, tenantSlug: "bench",
                                      role: user.role, userKind: user.kind, locale: nil, scopes: Set(Scope.allCases), credential: .session(id: "bench"))
            let scopes: [Scope] = role >= .admin ? [.read, .write, .admin] : [.read, .write]
            return (user.id, try await store.auth.createToken(NewAPIToken(name: "bench", scopes: scopes), for: principal).secret)
        }
        var tokens: [String] = []
        for i in 0..<managers {
            let (id, secret) = try await token("m\(i)@bench.test")
            _ = try await store.businesses.setMember(system, businessID: business.id, userID: id, role: .manager)
            tokens.append(secret)
        }
        let (_, admin) = try await token("admin@bench.test", role: .admin)
        let (_, rep) = try await token("rep@bench.test", kind: .salesperson)
        await store.close()
        let json = try JSONSerialization.data(withJSONObject: ["business": business.id, "managers": tokens, "admin": admin, "rep": rep], options: [.sortedKeys])
        FileHandle.standardOutput.write(json)
    }
}
