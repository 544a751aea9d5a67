import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostStore
import TradepostTestSupport

@Suite("Notifications: who hears, once, on which channel")
struct NotificationFanoutTests {
    struct World {
        let store: Store
        let tenant: Tenant
        let owner: User
        let manager: User
        let staff: User
        let business: Business
    }

    func world() async throws -> World {
        let store = try await makeStore()
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let system = Caller.system(tenant.id)
        let business = try await store.businesses.createBusiness(system, BusinessInput(name: "Farm", type: .wholesaler, city: "Kyiv"))
        let manager = try await store.users.createUser(system, NewUser(email: "m@acme.test", name: "M", password: "manager-pass-1")).user
        let staff = try await store.users.createUser(system, NewUser(email: "s@acme.test", name: "S", password: "staffer-pass-1")).user
        _ = try await store.businesses.setMember(system, businessID: business.id, userID: manager.id, role: .manager)
        _ = try await store.businesses.setMember(system, businessID: business.id, userID: staff.id, role: .staff)
        return World(store: store, tenant: tenant, owner: owner, manager: manager, staff: staff, business: business)
    }

    func event(_ w: World, _ id: Int64, _ topic: String, _ payload: String) -> OutboxEvent {
        OutboxEvent(id: id, tenant: w.tenant.id, topic: topic, payload: payload, createdAt: Date())
    }

    @Test func managersHearOfALinkRequestOnceEvenWhenTheJobRunsTwice() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let e = event(w, 9001, "salesperson_link.requested", #"{"business_id":"\#(w.business.id)","user_id":"x"}"#)
        let first = try await w.store.notifications.fanOut(e)
        let again = try await w.store.notifications.fanOut(e)
        #expect(first.notifications == 1 && again.notifications == 0)
        let page = try await w.store.notifications.list(caller(w.tenant, w.manager), before: nil, unreadOnly: false, limit: 10)
        #expect(page.items.map(\.kind) == ["salesperson_link.requested"] && page.unread == 1 && page.items[0].link == "/salespeople")
        #expect(try await w.store.notifications.list(caller(w.tenant, w.staff), before: nil, unreadOnly: false, limit: 10).items.isEmpty)
        #expect(try await w.store.notifications.list(caller(w.tenant, w.owner), before: nil, unreadOnly: false, limit: 10).items.isEmpty)
        // One email delivery for the manager (email is on by default for this kind).
        let deliveries = try await w.store.notifications.deliveries(caller(w.tenant, w.owner), channel: .email, status: nil, limit: 10)
        #expect(deliveries.map(\.userId) == [w.manager.id] && deliveries[0].status == .pending)
    }

    @Test func adminsHearOfFailuresUrgentlyEvenInQuietHoursAndDigestsKeepTheRest() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let owner = caller(w.tenant, w.owner)
        // Quiet all day long, and a daily digest.
        let now = Date()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let hour = calendar.component(.hour, from: now)
        let start = String(format: "%02d:00", hour), end = String(format: "%02d:00", (hour + 2) % 24)
        _ = try await w.store.notifications.updateSettings(owner, NotificationSettingsInput(timeZone: "UTC", quietStart: start, quietEnd: end))
        _ = try await w.store.notifications.fanOut(event(w, 1, "webhook.disabled", #"{"endpoint_id":"ep","reason":"410"}"#))
        var d = try await w.store.notifications.deliveries(owner, channel: .email, status: nil, limit: 10)
        #expect(d.count == 1 && d[0].notBefore == nil)  // urgent: not held
        _ = try await w.store.notifications.fanOut(event(w, 2, "job.failed", #"{"job_id":1,"type":"x","error":"boom"}"#))
        d = try await w.store.notifications.deliveries(owner, channel: .email, status: nil, limit: 10)
        #expect(d.count == 2 && d.allSatisfy { $0.notBefore == nil })
        _ = try await w.store.notifications.updateSettings(owner, NotificationSettingsInput(digest: .daily))
        // A non-urgent kind for the owner: make them a manager of the business and raise a link request.
        _ = try await w.store.businesses.setMember(.system(w.tenant.id), businessID: w.business.id, userID: w.owner.id, role: .manager)
        _ = try await w.store.notifications.fanOut(event(w, 3, "salesperson_link.requested", #"{"business_id":"\#(w.business.id)","user_id":"x"}"#))
        let mine = try await w.store.notifications.deliveries(owner, channel: .email, status: .digest, limit: 10)
        #expect(mine.count == 1 && mine[0].userId == w.owner.id)
        // Back to no digest: what was kept goes out one by one.
        _ = try await w.store.notifications.updateSettings(owner, NotificationSettingsInput(digest: .off))
        #expect(try await w.store.notifications.deliveries(owner, channel: .email, status: .digest, limit: 10).isEmpty)
    }

    @Test func aKindTurnedOffInTheAppIsStoredReadAndSettingsNameEveryBadField() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let m = caller(w.tenant, w.manager)
        do {
            _ = try await w.store.notifications.updateSettings(m, NotificationSettingsInput(
                choices: [.init(kind: "nope", channel: .email, enabled: true)], timeZone: "Nowhere/Else", quietStart: "9:00", quietEnd: "07:00", phone: "0501"))
            Issue.record("accepted bad settings")
        } catch let e as AppError {
            #expect(Set(e.fields.map(\.field)) == ["choices[0].kind", "time_zone", "quiet_start", "phone"])
        }
        _ = try await w.store.notifications.updateSettings(m, NotificationSettingsInput(choices: [.init(kind: "salesperson_link.requested", channel: .inApp, enabled: false)]))
        _ = try await w.store.notifications.fanOut(event(w, 5, "salesperson_link.requested", #"{"business_id":"\#(w.business.id)","user_id":"x"}"#))
        let page = try await w.store.notifications.list(m, before: nil, unreadOnly: false, limit: 10)
        #expect(page.items.count == 1 && page.items[0].readAt != nil && page.unread == 0)
        // A kind off everywhere is not stored; one the user turned on by mail only is (read, with its delivery).
        _ = try await w.store.notifications.updateSettings(m, NotificationSettingsInput(choices: [
            .init(kind: "salesperson_link.requested", channel: .email, enabled: false), .init(kind: "salesperson_link.requested", channel: .telegram, enabled: false),
            .init(kind: "product.approved", channel: .inApp, enabled: false), .init(kind: "product.approved", channel: .email, enabled: true)]))
        _ = try await w.store.notifications.fanOut(event(w, 6, "salesperson_link.requested", #"{"business_id":"\#(w.business.id)","user_id":"x"}"#))
        _ = try await w.store.notifications.fanOut(event(w, 7, "product.approved", #"{"business_id":"\#(w.business.id)","product_id":"p","sku":"S","name":"N"}"#))
        let kinds = try await w.store.notifications.list(m, before: nil, unreadOnly: false, limit: 10).items.map(\.kind)
        #expect(kinds == ["product.approved", "salesperson_link.requested"])
        // Nobody else's notification can be marked read.
        await #expect(throws: AppError.self) { _ = try await w.store.notifications.markRead(caller(w.tenant, w.staff), id: page.items[0].id) }
    }
}
