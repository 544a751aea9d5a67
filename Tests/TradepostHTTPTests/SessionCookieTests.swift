import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TradepostCore
@testable import TradepostHTTP

@Suite("Cookie sessions, CSRF and request ids")
struct SessionCookieTests {
    static let login = #"{"tenant":"acme","email":"owner@acme.test","password":"owner-password","mode":"cookie"}"#

    func cookieLogin(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String, setCookie: String) {
        let response = try await client.execute(uri: "/api/v1/auth/login", method: .post, headers: .json, body: body(Self.login))
        #expect(response.status == .ok)
        let setCookie = try #require(response.headers[.setCookie])
        let pair = String(setCookie.split(separator: ";")[0])
        let json = response.json
        #expect(json["token"] == nil, "cookie mode must not expose the token to scripts")
        return (pair, try #require(json["csrf_token"] as? String), setCookie)
    }

    @Test func cookieIsHttpOnlyLaxAndCSRFIsEnforced() async throws {
        try await withApp { client, _ in
            let (cookie, csrf, setCookie) = try await cookieLogin(client)
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(!setCookie.contains("Secure"))
            #expect(cookie.hasPrefix("tp_session=tps_"))

            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
            #expect(me.status == .ok)
            #expect(me.json["csrf_token"] as? String == csrf)

            let tokenBody = body(#"{"name":"t","scopes":["read"]}"#)
            let noCSRF = try await client.execute(
                uri: "/api/v1/me/tokens", method: .post, headers: [.cookie: cookie, .contentType: "application/json"], body: tokenBody)
            #expect(noCSRF.status == .forbidden)
            let wrongCSRF = try await client.execute(
                uri: "/api/v1/me/tokens", method: .post,
                headers: [.cookie: cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: String(csrf.reversed())],
                body: tokenBody)
            #expect(wrongCSRF.status == .forbidden)
            let crossOrigin = try await client.execute(
                uri: "/api/v1/me/tokens", method: .post,
                headers: [.cookie: cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: csrf,
                          .origin: "https://evil.example"],
                body: tokenBody)
            #expect(crossOrigin.status == .forbidden)
            let ok = try await client.execute(
                uri: "/api/v1/me/tokens", method: .post,
                headers: [.cookie: cookie, .contentType: "application/json", HTTPField.Name("X-CSRF-Token")!: csrf],
                body: tokenBody)
            #expect(ok.status == .created)

            // A bearer token needs no CSRF token: it is not sent by browsers on their own.
            let logout = try await client.execute(
                uri: "/api/v1/auth/logout", method: .post, headers: [.cookie: cookie, HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(logout.status == .noContent)
            #expect(logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
            #expect(after.status == .unauthorized)
        }
    }

    @Test func crossSiteLoginIsRefused() async throws {
        try await withApp { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/auth/login", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("Sec-Fetch-Site")!: "cross-site"], body: body(Self.login))
            #expect(response.status == .forbidden)
        }
    }

    @Test func cookiesAreSecureBehindHTTPS() async throws {
        try await withApp(configure: { $0.publicURL = "https://trade.example.com" }) { client, _ in
            let (cookie, _, setCookie) = try await cookieLogin(client)
            #expect(setCookie.contains("; Secure"))
            #expect(cookie.hasPrefix("__Host-tp_session="))
        }
    }

    @Test func requestIDsAreEchoedOrMinted() async throws {
        try await withApp { client, _ in
            let given = try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "proxy-123.abc"])
            #expect(given.headers[HTTPField.Name("X-Request-Id")!] == "proxy-123.abc")
            let junk = try await client.execute(uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-Id")!: "bad id\u{7}<script>"])
            let minted = try #require(junk.headers[HTTPField.Name("X-Request-Id")!])
            #expect(Identifier.isValid(minted))
        }
    }

    @Test func suspendedTenantsGetAClear403AndKeepTheirData() async throws {
        try await withApp { client, f in
            _ = try await f.store.tenants.setStatus(.platformSystem(), id: f.acme.id, .suspended)
            let response = try await client.execute(uri: "/api/v1/businesses", method: .get, headers: .bearer(f.ownerToken))
            #expect(response.status == .forbidden)
            #expect(response.json["code"] as? String == "tenant_suspended")
            let other = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(f.betaOwnerToken))
            #expect(other.status == .ok)
            _ = try await f.store.tenants.setStatus(.platformSystem(), id: f.acme.id, .active)
            let back = try await client.execute(uri: "/api/v1/businesses", method: .get, headers: .bearer(f.ownerToken))
            #expect(back.text.contains("Acme Pharma"))
        }
    }
}
