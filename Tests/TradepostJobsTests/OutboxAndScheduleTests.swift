import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostJobs
import TradepostStore
import TradepostTestSupport

struct SeenEvent: JobPayload {
    static let jobType = "test.seen"
    var topic: String
    var eventId: Int64
}

struct Tick: JobPayload {
    static let jobType = "test.tick"
    var tenant: String?
}

@Suite("Outbox and schedules", .serialized)
struct OutboxAndScheduleTests {
    static func subscribe(_ registry: JobRegistry, _ recorder: Recorder) {
        registry.register(SeenEvent.self, queue: "test") { seen, context in
            recorder.record("\(context.tenant?.rawValue ?? "-") \(seen.topic) \(seen.eventId)")
        }
        registry.subscribe("seen", topic: Topic.businessCreated, job: SeenEvent.self) { SeenEvent(topic: $0.topic, eventId: $0.id) }
    }

    @Test func committedEventsReachTheirHandlerAndRolledBackOnesNeverExist() async throws {
        try await withEngine(configure: Self.subscribe) { h in
            let tenant = try await h.store.tenants.createTenant(.platformSystem(), NewTenant(slug: "acme", name: "Acme"))
            let business = try await h.store.businesses.createBusiness(
                .system(tenant.id), BusinessInput(name: "Pharma", type: .pharmacy, city: "Lviv"))
            // An event appended in a transaction that then fails.
            await #expect(throws: TestFailure.self) {
                try await h.store.tenantDatabases.write(tenant.id) { db in
                    try Outbox.append(db, topic: Topic.businessCreated, payload: BusinessEvent(business))
                    throw TestFailure(message: "rolled back")
                }
            }
            #expect(try await h.eventually { h.recorder.entries.count == 1 })
            #expect(h.recorder.entries == ["\(tenant.id) business.created 1"])
            try await Task.sleep(for: .milliseconds(300))
            #expect(h.recorder.entries.count == 1, "the rolled-back event never existed")
            // Delivered events leave the outbox; other topics produced no job.
            let left = try await h.store.tenantDatabases.read(tenant.id) { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox") }
            #expect(left == 0)
        }
    }

    @Test func eventsLeftByACrashAreDeliveredAtStartOnce() async throws {
        let store = try await makeStore(prefix: "tp-jobs")
        defer { Task { await store.close(); try? FileManager.default.removeItem(atPath: store.dataDir) } }
        let tenant = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "acme", name: "Acme"))
        // Written while no engine listened (as after a crash between commit and dispatch).
        for i in 0..<3 {
            _ = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(name: "B\(i)", type: .supplier, city: "Kyiv"))
        }
        // And one event already turned into a job before the "crash", but not yet deleted.
        let jobs = try JobsDatabase(dataDir: store.dataDir)
        try await jobs.pool.write { db in
            try db.execute(sql: """
                INSERT INTO jobs (type, queue, tenant_id, payload, state, max_attempts, timeout_ms, run_at, dedup_key, created_at, finished_at)
                VALUES ('test.seen', 'test', ?, '{"topic":"business.created","event_id":1}', 'succeeded', 3, 1000, 0, ?, 0, 0)
                """, arguments: [tenant.id.rawValue, "evt:\(tenant.id):1:seen"])
        }
        jobs.close()
        try await withEngine(store: store, configure: Self.subscribe) { h in
            #expect(try await h.eventually { h.recorder.entries.count == 2 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(h.recorder.entries.sorted() == ["\(tenant.id) business.created 2", "\(tenant.id) business.created 3"])
        }
    }

    @Test func aMissedScheduleRunsOnceNotOncePerMissedSlot() async throws {
        let store = try await makeStore(prefix: "tp-jobs")
        defer { Task { await store.close(); try? FileManager.default.removeItem(atPath: store.dataDir) } }
        let acme = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "acme", name: "Acme", timeZone: "Europe/Kyiv"))
        // Hourly at a minute half an hour away: three hours of downtime miss three slots, and no new
        // slot can fall due while the test runs (an every-minute schedule did when the test
        // straddled a minute boundary, and rightly ran that new slot too).
        let minute = (Calendar(identifier: .gregorian).component(.minute, from: Date()) + 30) % 60
        let configure: (JobRegistry, Recorder) throws -> Void = { registry, recorder in
            registry.register(Tick.self, queue: "test") { tick, context in recorder.record("tick \(context.tenant?.rawValue ?? "-")") }
            try registry.schedule("hourly", cron: "\(minute) * * * *", job: Tick.self) { _ in Tick(tenant: nil) }
            try registry.schedule("nightly", cron: "0 2 * * *", zone: .eachTenant, job: Tick.self) { Tick(tenant: $0?.rawValue) }
        }
        // Pretend the server was down for three hours, and three days for the nightly one.
        let jobs = try JobsDatabase(dataDir: store.dataDir)
        let now = Date().timeIntervalSince1970
        try await jobs.pool.write { db in
            try db.execute(sql: "INSERT INTO schedule_runs VALUES ('hourly', '', ?), ('nightly', ?, ?)",
                           arguments: [now - 3 * 3600, acme.id.rawValue, now - 3 * 86400])
        }
        jobs.close()
        try await withEngine(store: store, configure: configure) { h in
            #expect(try await h.eventually { h.recorder.entries.count == 2 })
            try await Task.sleep(for: .milliseconds(400))
            #expect(h.recorder.entries.sorted() == ["tick -", "tick \(acme.id)"])
            let slots = try await h.engine.database.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM schedule_runs ORDER BY schedule").map { ($0["schedule"] as String, $0["last_slot"] as Double) }
            }
            #expect(slots.count == 2)
            #expect(slots.allSatisfy { now - $0.1 < 86400 }, "the slots moved up to the latest one")
        }
    }

    @Test func aNewScheduleDoesNotRunForThePast() async throws {
        try await withEngine(configure: { registry, recorder in
            registry.register(Tick.self, queue: "test") { _, _ in recorder.record("tick") }
            try registry.schedule("yearly", cron: "@yearly", job: Tick.self) { _ in Tick(tenant: nil) }
        }) { h in
            try await Task.sleep(for: .milliseconds(300))
            #expect(h.recorder.entries.isEmpty)
            let recorded = try await h.engine.database.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM schedule_runs") }
            #expect(recorded == 1)
        }
    }
}
