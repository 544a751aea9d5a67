import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TradepostCore
@testable import TradepostHTTP
import TradepostStore
import TradepostTestSupport

/// A tenant "acme" with an owner and a member, a second tenant "beta", a platform admin, one business.
struct Fixture {
    var store: Store
    var acme: Tenant
    var beta: Tenant
    var owner: User
    var member: User
    var business: Business
    var platformToken: String
    var ownerToken: String
    var memberToken: String
    var betaOwnerToken: String
    var readToken: String

    static func make(_ store: Store) async throws -> Fixture {
        _ = try await store.admins.createAdmin(email: "root@x.test", name: "Root", password: "root-password", audit: .system)
        let acme = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "acme", name: "Acme"))
        let beta = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "beta", name: "Beta"))
        let owner = try await store.users.createUser(.system(acme.id), NewUser(email: "owner@acme.test", name: "Owner", password: "owner-password", role: .owner)).user
        let member = try await store.users.createUser(.system(acme.id), NewUser(email: "member@acme.test", name: "Member", password: "member-password")).user
        _ = try await store.users.createUser(.system(beta.id), NewUser(email: "owner@beta.test", name: "Beta", password: "owner-password", role: .owner))
        let business = try await store.businesses.createBusiness(.system(acme.id), BusinessInput(name: "Acme Pharma", type: .pharmacy, city: "Lviv"))
        func login(_ tenant: String?, _ email: String, _ password: String) async throws -> LoginResult {
            try await store.auth.login(LoginRequest(tenant: tenant, email: email, password: password), client: ClientInfo(ip: "198.51.100.7", userAgent: nil))
        }
        let ownerLogin = try await login("acme", "owner@acme.test", "owner-password")
        let read = try await store.auth.createToken(NewAPIToken(name: "ro", scopes: [.read]), for: ownerLogin.principal)
        return Fixture(
            store: store, acme: acme, beta: beta, owner: owner, member: member, business: business,
            platformToken: try await login(nil, "root@x.test", "root-password").token, ownerToken: ownerLogin.token,
            memberToken: try await login("acme", "member@acme.test", "member-password").token,
            betaOwnerToken: try await login("beta", "owner@beta.test", "owner-password").token, readToken: read.secret)
    }
}

/// Runs `body` against the real application, in process, with a fresh store.
func withApp(
    configure: (inout TradepostConfig) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol, Fixture) async throws -> Void
) async throws {
    let store = try await makeStore(prefix: "tp-http")
    let fixture = try await Fixture.make(store)
    var config = TradepostConfig()
    config.dataDir = store.dataDir
    config.port = 0
    config.s3Port = -1
    configure(&config)
    var logger = Logger(label: "tests")
    logger.logLevel = .critical
    let app = try await buildApplication(config: config, logger: logger, store: store)
    try await app.test(.router) { client in try await body(client, fixture) }
    try? FileManager.default.removeItem(atPath: store.dataDir)
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
    var text: String { String(buffer: body) }
}

extension HTTPFields {
    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
    static let json: HTTPFields = [.contentType: "application/json"]
}

func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
