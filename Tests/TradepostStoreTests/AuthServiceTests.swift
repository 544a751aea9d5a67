import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Logins, sessions and tokens")
struct AuthServiceTests {
    @Test func loginOpensASessionStoredOnlyAsAHash() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let result = try await store.auth.login(LoginRequest(tenant: "ACME", email: "OWNER@acme.test", password: "owner-password"), client: client)
        #expect(result.token.hasPrefix("tps_"))
        #expect(result.token.count == 4 + 43)  // 256 bits in base64url
        #expect(result.principal.userID == owner.id)
        #expect(result.principal.tenantID == tenant.id)
        let stored = try await store.control.pool.read { try Data.fetchAll($0, sql: "SELECT token_hash FROM sessions") }
        #expect(stored == [Secrets.hash(result.token)])
        let dump = try await store.control.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions").map { "\($0)" }.joined()
        }
        #expect(!dump.contains(result.token))
        let principal = try await store.auth.authenticate(token: result.token)
        #expect(principal.role == .owner)
        #expect(principal.scopes == Set(Scope.allCases))
    }

    @Test func everyWrongCredentialGetsTheSameAnswer() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        _ = try await store.tenantWithOwner("acme")
        let attempts = [
            LoginRequest(tenant: "acme", email: "owner@acme.test", password: "wrong-password"),
            LoginRequest(tenant: "acme", email: "nobody@acme.test", password: "owner-password"),
            LoginRequest(tenant: "nosuch", email: "owner@acme.test", password: "owner-password"),
            LoginRequest(tenant: nil, email: "owner@acme.test", password: "owner-password"),
        ]
        for attempt in attempts {
            await #expect(throws: AppError(.unauthenticated, "Wrong tenant, email or password")) {
                try await store.auth.login(attempt, client: ClientInfo(ip: UUID().uuidString, userAgent: nil))
            }
        }
    }

    @Test func repeatedFailuresAreThrottledThenForgiven() async throws {
        let throttle = LoginThrottle(accountRule: .init(freeFailures: 2, baseDelay: 1), addressRule: .init(freeFailures: 50))
        let store = try await makeStore(throttle: throttle)
        defer { Task { await store.remove() } }
        _ = try await store.tenantWithOwner("acme")
        let bad = LoginRequest(tenant: "acme", email: "owner@acme.test", password: "nope-nope")
        for _ in 0..<3 { _ = try? await store.auth.login(bad, client: client) }
        do {
            _ = try await store.auth.login(LoginRequest(tenant: "acme", email: "owner@acme.test", password: "owner-password"), client: client)
            Issue.record("expected the account to be throttled")
        } catch let error as AppError {
            #expect(error.code == .rateLimited)
            #expect((error.retryAfter ?? 0) >= 1)
        }
        try await Task.sleep(for: .milliseconds(1100))
        let ok = try await store.auth.login(LoginRequest(tenant: "acme", email: "owner@acme.test", password: "owner-password"), client: client)
        #expect(ok.token.hasPrefix("tps_"))
    }

    @Test func suspensionAndDisablingTakeEffectAtOnce() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let member = try await store.users.createUser(.system(tenant.id, audit: .cli), NewUser(email: "m@acme.test", name: "M", password: "member-pass"))
        let ownerSession = try await store.auth.login(LoginRequest(tenant: "acme", email: owner.email, password: "owner-password"), client: client)
        let memberSession = try await store.auth.login(LoginRequest(tenant: "acme", email: "m@acme.test", password: "member-pass"), client: client)

        _ = try await store.tenants.setStatus(.platformSystem(audit: .cli), id: tenant.id, .suspended)
        await #expect(throws: AppError(.tenantSuspended, "This tenant is suspended. Contact your platform administrator.")) {
            try await store.auth.authenticate(token: ownerSession.token)
        }
        await #expect(throws: AppError.self) {
            try await store.auth.login(LoginRequest(tenant: "acme", email: owner.email, password: "owner-password"), client: client)
        }
        _ = try await store.tenants.setStatus(.platformSystem(audit: .cli), id: tenant.id, .active)
        #expect(try await store.auth.authenticate(token: ownerSession.token).userID == owner.id)

        _ = try await store.users.updateUser(.system(tenant.id, audit: .cli), id: member.user.id, UserUpdate(disabled: true))
        await #expect(throws: AppError.self) { try await store.auth.authenticate(token: memberSession.token) }
        _ = try await store.users.updateUser(.system(tenant.id, audit: .cli), id: member.user.id, UserUpdate(disabled: false))
        // The old session was revoked when the user was disabled; it stays dead.
        await #expect(throws: AppError.self) { try await store.auth.authenticate(token: memberSession.token) }
    }

    @Test func sessionsCanBeRevoked() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (_, owner) = try await store.tenantWithOwner("acme")
        let one = try await store.auth.login(LoginRequest(tenant: "acme", email: owner.email, password: "owner-password"), client: client)
        let two = try await store.auth.login(LoginRequest(tenant: "acme", email: owner.email, password: "owner-password"), client: client)
        let principal = try await store.auth.authenticate(token: one.token)
        let sessions = try await store.auth.sessions(of: principal)
        #expect(sessions.count == 2)
        #expect(sessions.filter(\.current).map(\.id) == [one.session.id])
        try await store.auth.revokeSession(id: two.session.id, of: principal)
        await #expect(throws: AppError.self) { try await store.auth.authenticate(token: two.token) }
        await #expect(throws: AppError.notFound("Session")) { try await store.auth.revokeSession(id: two.session.id, of: principal) }
        #expect(try await store.auth.authenticate(token: one.token).userID == owner.id)
    }

    /// Only waits past the lifetime: a loaded CI box may take longer than a second between a login
    /// and its first use, so nothing here assumes a session is still alive after a short TTL.
    @Test func sessionsExpire() async throws {
        let store = try await makeStore(sessionTTL: 1)
        defer { Task { await store.remove() } }
        let (_, owner) = try await store.tenantWithOwner("acme")
        let session = try await store.auth.login(LoginRequest(tenant: "acme", email: owner.email, password: "owner-password"), client: client)
        try await Task.sleep(for: .milliseconds(1100))
        await #expect(throws: AppError.self) { try await store.auth.authenticate(token: session.token) }
    }

    @Test func tokensCarryTheirScopesAndNeverExceedTheRole() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        _ = try await store.users.createUser(.system(tenant.id, audit: .cli), NewUser(email: "m@acme.test", name: "M", password: "member-pass"))
        let ownerPrincipal = try await store.auth.login(
            LoginRequest(tenant: "acme", email: owner.email, password: "owner-password"), client: client).principal
        let memberPrincipal = try await store.auth.login(
            LoginRequest(tenant: "acme", email: "m@acme.test", password: "member-pass"), client: client).principal

        let (token, secret) = try await store.auth.createToken(NewAPIToken(name: "sync", scopes: [.read]), for: ownerPrincipal)
        #expect(secret.hasPrefix("tpt_"))
        #expect(secret.hasPrefix(token.prefix))
        let viaToken = try await store.auth.authenticate(token: secret)
        #expect(viaToken.scopes == [.read])
        #expect(viaToken.credential == .apiToken(id: token.id))
        #expect(throws: AppError.self) { try Policy.authorize(viaToken, .usersManage) }

        await #expect(throws: AppError.self) {
            try await store.auth.createToken(NewAPIToken(name: "too much", scopes: [.admin]), for: memberPrincipal)
        }
        // A read-only token cannot mint a broader one.
        await #expect(throws: AppError.self) {
            try await store.auth.createToken(NewAPIToken(name: "escalate", scopes: [.write]), for: viaToken)
        }
        await #expect(throws: AppError.self) {
            try await store.auth.createToken(NewAPIToken(name: "", scopes: [], expiresInDays: 0), for: ownerPrincipal)
        }
        #expect(try await store.auth.tokens(of: ownerPrincipal).map(\.name) == ["sync"])
        try await store.auth.revokeToken(id: token.id, of: ownerPrincipal)
        await #expect(throws: AppError.self) { try await store.auth.authenticate(token: secret) }
        // Someone else's token id is not found.
        await #expect(throws: AppError.notFound("Token")) { try await store.auth.revokeToken(id: token.id, of: memberPrincipal) }
    }

    @Test func junkTokensAreRejectedWithoutALookup() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        for junk in ["", "Bearer x", "tps_", String(repeating: "x", count: 5000), "tps_" + String(repeating: "A", count: 200)] {
            await #expect(throws: AppError.self) { try await store.auth.authenticate(token: junk) }
        }
    }

    @Test func platformAdminsKeepOneActive() async throws {
        let store = try await makeStore()
        defer { Task { await store.remove() } }
        _ = try await store.admins.createAdmin(email: "root@x.test", name: "Root", password: "root-password", audit: .cli)
        await #expect(throws: AppError.self) { try await store.admins.setDisabled(email: "root@x.test", true, audit: .cli) }
        let login = try await store.auth.login(LoginRequest(tenant: nil, email: "ROOT@x.test", password: "root-password"), client: client)
        #expect(login.principal.isPlatformAdmin)
        try await store.admins.changePassword(email: "root@x.test", current: "root-password", new: "new-password", audit: .cli)
        await #expect(throws: AppError.self) {
            try await store.admins.changePassword(email: "root@x.test", current: "wrong", new: "new-password-2", audit: .cli)
        }
        try await store.admins.setPassword(email: "root@x.test", password: "another-one", audit: .cli)
        await #expect(throws: AppError.self) { try await store.auth.authenticate(token: login.token) }
    }
}
