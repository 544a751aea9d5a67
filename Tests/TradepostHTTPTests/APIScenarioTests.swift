import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TradepostCore
@testable import TradepostHTTP

/// Table-driven API scenarios (after PocketBase's `tests.ApiScenario`): request, expected status,
/// expected problem code and text the body must or must not contain.
struct Scenario: CustomTestStringConvertible, Sendable {
    enum Caller: Sendable { case anonymous, platform, owner, member, readToken, raw(String) }

    var name: String
    var method: HTTPRequest.Method = .get
    var path: String
    var caller: Caller = .anonymous
    var contentType: String? = "application/json"
    var body: String?
    var status: Int
    var problem: AppError.Code?
    var contains: [String] = []
    var notContains: [String] = []

    var testDescription: String { name }

    func headers(_ f: Fixture) -> HTTPFields {
        var headers = HTTPFields()
        if let contentType, body != nil { headers[.contentType] = contentType }
        switch caller {
        case .anonymous: break
        case .platform: headers[.authorization] = "Bearer \(f.platformToken)"
        case .owner: headers[.authorization] = "Bearer \(f.ownerToken)"
        case .member: headers[.authorization] = "Bearer \(f.memberToken)"
        case .readToken: headers[.authorization] = "Bearer \(f.readToken)"
        case .raw(let value): headers[.authorization] = value
        }
        return headers
    }
}

@Suite("API scenarios")
struct APIScenarioTests {
    static let scenarios: [Scenario] = [
        Scenario(name: "health", path: "/healthz", status: 200, contains: ["\"ok\""]),
        Scenario(name: "readiness", path: "/readyz", status: 200, contains: ["control_db", "disk"]),
        Scenario(name: "metrics", path: "/metrics", status: 200, contains: ["process_resident_memory_bytes", "tradepost_tenant_databases_open"]),
        Scenario(name: "no credential", path: "/api/v1/me", status: 401, problem: .unauthenticated),
        Scenario(name: "unknown bearer token", path: "/api/v1/me", caller: .raw("Bearer tps_nope"), status: 401, problem: .unauthenticated),
        Scenario(name: "basic auth is not a thing here", path: "/api/v1/me", caller: .raw("Basic dXNlcjpwYXNz"), status: 401, problem: .unauthenticated),
        Scenario(name: "session state without a session", path: "/api/v1/auth/session", status: 200, contains: ["\"me\":null"]),
        Scenario(name: "me", path: "/api/v1/me", caller: .owner, status: 200, contains: ["owner@acme.test", "\"role\":\"owner\"", "users.manage"]),
        Scenario(name: "malformed JSON", method: .post, path: "/api/v1/auth/login", body: "{\"email\":", status: 400, problem: .invalid,
                 contains: ["not valid JSON"]),
        Scenario(name: "not an object", method: .post, path: "/api/v1/auth/login", body: "[1,2]", status: 400, problem: .invalid),
        Scenario(name: "wrong media type", method: .post, path: "/api/v1/auth/login", contentType: "text/plain", body: "email=x", status: 415,
                 problem: .unsupportedMediaType),
        Scenario(name: "unknown field", method: .post, path: "/api/v1/auth/login",
                 body: #"{"email":"a@b.c","password":"x","remember":true}"#, status: 400, problem: .invalid,
                 contains: ["\"field\":\"remember\"", "not a known field"]),
        Scenario(name: "wrong type", method: .post, path: "/api/v1/auth/login", body: #"{"email":5,"password":"x"}"#, status: 400,
                 problem: .invalid, contains: ["\"field\":\"email\"", "must be a string"]),
        Scenario(name: "missing field", method: .post, path: "/api/v1/auth/login", body: #"{"email":"a@b.c"}"#, status: 400,
                 problem: .invalid, contains: ["\"field\":\"password\"", "is required"]),
        Scenario(name: "oversized body", method: .post, path: "/api/v1/auth/login",
                 body: #"{"email":""# + String(repeating: "a", count: 1_100_000) + #""}"#, status: 413, problem: .payloadTooLarge),
        Scenario(name: "wrong password", method: .post, path: "/api/v1/auth/login",
                 body: #"{"tenant":"acme","email":"owner@acme.test","password":"wrong-password"}"#, status: 401,
                 problem: .unauthenticated, notContains: ["owner-password"]),
        Scenario(name: "login as token", method: .post, path: "/api/v1/auth/login",
                 body: #"{"tenant":"acme","email":"owner@acme.test","password":"owner-password"}"#, status: 200,
                 contains: ["\"token\":\"tps_", "\"session_id\""], notContains: ["csrf_token"]),
        Scenario(name: "unknown API path", path: "/api/v1/nope", status: 404, problem: .notFound),
        Scenario(name: "wrong method", method: .delete, path: "/api/v1/me", caller: .owner, status: 405, problem: .methodNotAllowed),
        Scenario(name: "member cannot add users", method: .post, path: "/api/v1/users", caller: .member,
                 body: #"{"email":"x@acme.test","name":"X"}"#, status: 403, problem: .forbidden),
        Scenario(name: "every bad field at once", method: .post, path: "/api/v1/users", caller: .owner,
                 body: #"{"email":"not-an-email","name":"  "}"#, status: 400, problem: .invalid,
                 contains: ["\"field\":\"email\"", "\"field\":\"name\""]),
        Scenario(name: "unknown enum value", method: .post, path: "/api/v1/users", caller: .owner,
                 body: #"{"email":"k@acme.test","name":"K","role":"king"}"#, status: 400, problem: .invalid, contains: ["\"field\":\"role\""]),
        Scenario(name: "platform admin has no tenant", path: "/api/v1/users", caller: .platform, status: 403, problem: .forbidden),
        Scenario(name: "tenant user is not a platform admin", path: "/api/v1/admin/tenants", caller: .owner, status: 403, problem: .forbidden),
        Scenario(name: "bad limit", path: "/api/v1/users?limit=0", caller: .owner, status: 400, problem: .invalid, contains: ["limit"]),
        Scenario(name: "bad cursor", path: "/api/v1/users?cursor=junk", caller: .owner, status: 400, problem: .invalid, contains: ["cursor"]),
        Scenario(name: "bad filter", path: "/api/v1/users?role=king", caller: .owner, status: 400, problem: .invalid),
        Scenario(name: "read token reads", path: "/api/v1/businesses", caller: .readToken, status: 200, contains: ["Acme Pharma"]),
        Scenario(name: "read token cannot write", method: .post, path: "/api/v1/businesses", caller: .readToken,
                 body: #"{"name":"X","type":"supplier","city":"Kyiv"}"#, status: 403, problem: .forbidden, contains: ["scope"]),
        Scenario(name: "malformed tenant id", path: "/api/v1/admin/tenants/..%2F..%2Fcontrol", caller: .platform, status: 404, problem: .notFound),
        Scenario(name: "tenant slug taken", method: .post, path: "/api/v1/admin/tenants", caller: .platform,
                 body: #"{"slug":"acme","name":"Again"}"#, status: 409, problem: .conflict),
        Scenario(name: "bad owner is reported under owner", method: .post, path: "/api/v1/admin/tenants", caller: .platform,
                 body: #"{"slug":"gamma","name":"Gamma","owner":{"email":"nope","name":"G"}}"#, status: 400, problem: .invalid,
                 contains: ["owner.email"]),
        Scenario(name: "unknown nested field", method: .post, path: "/api/v1/admin/tenants", caller: .platform,
                 body: #"{"slug":"gamma","name":"Gamma","owner":{"email":"g@g.test","name":"G","role":"owner"}}"#, status: 400,
                 problem: .invalid, contains: ["owner.role"]),
        Scenario(name: "openapi", path: "/api/openapi.json", status: 200, contains: ["\"openapi\":\"3.1.0\"", "/api/v1/users/{id}"]),
        Scenario(name: "app shell", path: "/", status: 200, contains: ["<!doctype html>", "/assets/"]),
        Scenario(name: "deep link", path: "/businesses/01abc", status: 200, contains: ["<!doctype html>"]),
    ]

    @Test(arguments: scenarios)
    func scenario(_ s: Scenario) async throws {
        try await withApp { client, f in
            let response = try await client.execute(
                uri: s.path, method: s.method, headers: s.headers(f), body: s.body.map { ByteBuffer(string: $0) })
            #expect(Int(response.status.code) == s.status, "\(response.text.prefix(300))")
            if let problem = s.problem {
                #expect(response.headers[.contentType] == "application/problem+json")
                let json = response.json
                #expect(json["code"] as? String == problem.rawValue)
                #expect(json["status"] as? Int == s.status)
                #expect(json["request_id"] as? String == response.headers[HTTPField.Name("X-Request-Id")!])
                #expect((json["detail"] as? String)?.isEmpty == false)
            }
            for text in s.contains { #expect(response.text.contains(text), "missing \(text)") }
            for text in s.notContains { #expect(!response.text.contains(text), "unexpected \(text)") }
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            // Each security header once, and Cache-Control once whether or not the route set it.
            for name in ["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy", "Cache-Control"] {
                #expect(response.headers[values: HTTPField.Name(name)!].count == 1, "\(name) in \(s.method) \(s.path)")
            }
        }
    }
}
