import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TradepostCore
@testable import TradepostHTTP

@Suite("API flows")
struct FlowTests {
    @Test func ownerManagesUsersAndAdminsCannotTouchOwners() async throws {
        try await withApp { client, f in
            let created = try await client.execute(
                uri: "/api/v1/users", method: .post, headers: .bearer(f.ownerToken).merging(.json),
                body: body(#"{"email":"Admin@Acme.test","name":"Ada","role":"admin"}"#))
            #expect(created.status == .created)
            let password = try #require(created.json["generated_password"] as? String)
            let adminID = try #require((created.json["user"] as? [String: Any])?["id"] as? String)

            let login = try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: .json,
                body: body(#"{"tenant":"acme","email":"admin@acme.test","password":"\#(password)"}"#))
            let adminToken = try #require(login.json["token"] as? String)

            let promote = try await client.execute(
                uri: "/api/v1/users/\(f.member.id)", method: .patch, headers: .bearer(adminToken).merging(.json),
                body: body(#"{"role":"owner"}"#))
            #expect(promote.status == .forbidden)
            let demoteOwner = try await client.execute(
                uri: "/api/v1/users/\(f.owner.id)", method: .patch, headers: .bearer(adminToken).merging(.json),
                body: body(#"{"role":"member"}"#))
            #expect(demoteOwner.status == .forbidden)
            let disable = try await client.execute(
                uri: "/api/v1/users/\(f.member.id)", method: .patch, headers: .bearer(adminToken).merging(.json),
                body: body(#"{"disabled":true}"#))
            #expect(disable.status == .ok)
            let memberNow = try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(f.memberToken))
            #expect(memberNow.status == .unauthorized, "a disabled user's session ends at once")
            let reset = try await client.execute(
                uri: "/api/v1/users/\(adminID)/password", method: .post, headers: .bearer(f.ownerToken).merging(.json),
                body: body(#"{"password":"short"}"#))
            #expect(reset.status == .badRequest)
        }
    }

    @Test func businessManagersEditTheirBusinessOnly() async throws {
        try await withApp { client, f in
            let patch = body(#"{"phone":"+380 32 000-00-00","description":null}"#)
            let before = try await client.execute(
                uri: "/api/v1/businesses/\(f.business.id)", method: .patch, headers: .bearer(f.memberToken).merging(.json), body: patch)
            #expect(before.status == .forbidden)
            let added = try await client.execute(
                uri: "/api/v1/businesses/\(f.business.id)/members/\(f.member.id)", method: .put,
                headers: .bearer(f.ownerToken).merging(.json), body: body(#"{"role":"manager"}"#))
            #expect(added.status == .ok)
            let after = try await client.execute(
                uri: "/api/v1/businesses/\(f.business.id)", method: .patch, headers: .bearer(f.memberToken).merging(.json), body: patch)
            #expect(after.status == .ok)
            #expect(after.json["phone"] as? String == "+380 32 000-00-00")
            #expect(after.json["name"] as? String == "Acme Pharma")
            let create = try await client.execute(
                uri: "/api/v1/businesses", method: .post, headers: .bearer(f.memberToken).merging(.json),
                body: body(#"{"name":"Mine","type":"supplier","city":"Odesa"}"#))
            #expect(create.status == .forbidden)
        }
    }

    @Test func platformAdminCreatesSuspendsAndResumesTenants() async throws {
        try await withApp { client, f in
            let created = try await client.execute(
                uri: "/api/v1/admin/tenants", method: .post, headers: .bearer(f.platformToken).merging(.json),
                body: body(#"{"slug":"gamma","name":"Gamma","plan":"free","time_zone":"Europe/Kyiv","owner":{"email":"g@gamma.test","name":"G"}}"#))
            #expect(created.status == .created)
            let tenant = try #require(created.json["tenant"] as? [String: Any])
            let id = try #require(tenant["id"] as? String)
            #expect(tenant["time_zone"] as? String == "Europe/Kyiv")
            #expect(((created.json["owner"] as? [String: Any])?["generated_password"] as? String)?.isEmpty == false)
            let suspended = try await client.execute(uri: "/api/v1/admin/tenants/\(id)/suspend", method: .post, headers: .bearer(f.platformToken))
            #expect(suspended.json["status"] as? String == "suspended")
            let list = try await client.execute(uri: "/api/v1/admin/tenants?status=suspended", method: .get, headers: .bearer(f.platformToken))
            #expect(((list.json["items"] as? [[String: Any]]) ?? []).map { $0["slug"] as? String } == ["gamma"])
            let resumed = try await client.execute(uri: "/api/v1/admin/tenants/\(id)/resume", method: .post, headers: .bearer(f.platformToken))
            #expect(resumed.json["status"] as? String == "active")
            let badZone = try await client.execute(
                uri: "/api/v1/admin/tenants/\(id)", method: .patch, headers: .bearer(f.platformToken).merging(.json),
                body: body(#"{"time_zone":"Mars/Olympus"}"#))
            #expect(badZone.status == .badRequest)
            let unchanged = try await f.store.tenants.tenant(id: TenantID(id))
            #expect(unchanged.timeZone == "Europe/Kyiv")
        }
    }

    @Test func passwordChangeEndsOtherSessions() async throws {
        try await withApp { client, f in
            let other = try await client.execute(
                uri: "/api/v1/auth/login", method: .post, headers: .json,
                body: body(#"{"tenant":"acme","email":"owner@acme.test","password":"owner-password"}"#))
            let otherToken = try #require(other.json["token"] as? String)
            let wrong = try await client.execute(
                uri: "/api/v1/me/password", method: .post, headers: .bearer(f.ownerToken).merging(.json),
                body: body(#"{"current_password":"nope","new_password":"brand-new-pass"}"#))
            #expect(wrong.status == .badRequest)
            let changed = try await client.execute(
                uri: "/api/v1/me/password", method: .post, headers: .bearer(f.ownerToken).merging(.json),
                body: body(#"{"current_password":"owner-password","new_password":"brand-new-pass"}"#))
            #expect(changed.status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(f.ownerToken)).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: .bearer(otherToken)).status == .unauthorized)
        }
    }

    @Test func listsPageWithCursors() async throws {
        try await withApp { client, f in
            for i in 0..<5 {
                _ = try await f.store.businesses.createBusiness(
                    .system(f.acme.id), BusinessInput(name: "B\(i)", type: .supplier, city: "Dnipro"))
            }
            var cursor: String?
            var names: [String] = []
            repeat {
                let uri = "/api/v1/businesses?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.execute(uri: uri, method: .get, headers: .bearer(f.ownerToken))
                names += ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(names.count == 6)
            #expect(Set(names).count == 6)
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var out = self
        for field in other { out.append(field) }
        return out
    }
}
