import Foundation
import TradepostCore
import TradepostStore

/// Helpers every test target shares (issue 20: one copy instead of one per target).

/// A store in a fresh temporary directory, with a fast bcrypt cost (production enforces ≥ 12).
public func makeStore(
    prefix: String = "tp-test", maxOpenTenants: Int = 64, sessionTTL: TimeInterval = 3600, throttle: LoginThrottle = LoginThrottle()
) async throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    return try await Store(Store.Options(
        dataDir: dir, maxOpenTenants: maxOpenTenants, sessionTTL: sessionTTL, hasher: BcryptHasher(cost: 4), throttle: throttle))
}

extension Store {
    /// A tenant with an owner whose password is "owner-password".
    public func tenantWithOwner(_ slug: String, plan: String = "standard") async throws -> (Tenant, User) {
        let tenant = try await tenants.createTenant(.platformSystem(), NewTenant(slug: slug, name: slug.capitalized, plan: plan))
        let owner = try await users.createUser(.system(tenant.id), NewUser(email: "owner@\(slug).test", name: "Owner", password: "owner-password", role: .owner))
        return (tenant, owner.user)
    }

    /// Closes the store and deletes its data dir.
    public func remove() async {
        await close()
        try? FileManager.default.removeItem(atPath: dataDir)
    }
}

/// The client the service tests sign in from.
public let client = ClientInfo(ip: "192.0.2.1", userAgent: "tests")

/// The caller `user` of `tenant` is, as the authentication middleware makes it (a session carries every scope).
public func caller(_ tenant: Tenant, _ user: User, scopes: Set<Scope> = Set(Scope.allCases)) -> Caller {
    Caller(Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant.id, tenantSlug: tenant.slug,
                     role: user.role, userKind: user.kind, locale: user.locale, scopes: scopes, credential: .session(id: "test")),
           ip: client.ip)
}
