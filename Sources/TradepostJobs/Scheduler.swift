import Foundation
import GRDB
import Synchronization
import TradepostCore
import TradepostDatabase

/// Enqueues recurring jobs. Each schedule (and, for tenant-time schedules, each tenant) remembers
/// the last slot it enqueued; after downtime only the latest missed slot runs, once, and a job
/// with the key "sched:<name>:<tenant>:<slot>" is inserted in the same commit that advances the
/// slot, so no slot is ever enqueued twice. A schedule first seen now starts from now.
final class Scheduler: Sendable {
    private let core: EngineCore
    private let host: JobsHost
    private let wakeQueue: @Sendable (String) -> Void
    private let stopped = Mutex(false)
    private let wakeup = Wakeup()
    /// (schedule, tenant or "") → last slot enqueued, mirrored from `schedule_runs`.
    private let lastSlots = Mutex<[String: Double]>([:])

    init(core: EngineCore, host: JobsHost, wakeQueue: @escaping @Sendable (String) -> Void) {
        self.core = core
        self.host = host
        self.wakeQueue = wakeQueue
    }

    func stop() {
        stopped.withLock { $0 = true }
        wakeup.signal()
    }

    func loop() async {
        guard !core.registry.schedules.isEmpty else { return }
        do {
            let rows = try core.database.pool.readNow { db in try Row.fetchAll(db, sql: "SELECT * FROM schedule_runs") }
            lastSlots.withLock { slots in
                for row in rows { slots[Self.key(row["schedule"], row["tenant_id"])] = row["last_slot"] }
            }
        } catch {
            core.logger.error("loading schedules failed", metadata: ["error": "\(error)"])
        }
        while !stopped.withLock({ $0 }) {
            var nextWake = Date().addingTimeInterval(60)
            do {
                nextWake = try await tick(now: Date())
            } catch {
                core.logger.error("scheduling failed", metadata: ["error": "\(error)"])
            }
            let wait = max(0.05, min(nextWake.timeIntervalSinceNow + 0.01, 60))
            await wakeup.wait(timeout: .seconds(wait))
        }
    }

    static func key(_ schedule: String, _ tenant: String) -> String { "\(schedule)|\(tenant)" }

    /// Enqueues every due slot; returns when the next one is due.
    func tick(now: Date) async throws -> Date {
        var nextWake = now.addingTimeInterval(60)
        var tenants: [Tenant]?
        for schedule in core.registry.schedules {
            var targets: [(tenant: TenantID?, zone: TimeZone)] = []
            switch schedule.zone {
            case .utc:
                targets = [(nil, TimeZone(identifier: "UTC")!)]
            case .named(let name):
                targets = [(nil, TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")!)]
            case .eachTenant:
                if tenants == nil { tenants = try await activeTenants() }
                targets = tenants!.map { ($0.id, TimeZone(identifier: $0.timeZone) ?? TimeZone(identifier: "UTC")!) }
            }
            for target in targets {
                if let due = try await fire(schedule, tenant: target.tenant, zone: target.zone, now: now), due < nextWake {
                    nextWake = due
                }
            }
        }
        return nextWake
    }

    /// Enqueues the latest slot at or before `now`, if it is newer than the last one; returns the next slot.
    private func fire(_ schedule: JobRegistry.Schedule, tenant: TenantID?, zone: TimeZone, now: Date) async throws -> Date? {
        let key = Self.key(schedule.name, tenant?.rawValue ?? "")
        guard let last = lastSlots.withLock({ $0[key] }) else {
            try await record(schedule.name, tenant: tenant, slot: now.timeIntervalSince1970, job: nil)
            return schedule.cron.next(after: now, in: zone)
        }
        guard var slot = schedule.cron.next(after: Date(timeIntervalSince1970: last), in: zone) else { return nil }
        guard slot <= now else { return slot }
        var steps = 0
        while let following = schedule.cron.next(after: slot, in: zone), following <= now, steps < 1_000_000 {
            slot = following
            steps += 1
        }
        let payload = try schedule.makePayload(tenant)
        let job = try core.newJob(
            type: schedule.jobType, payload: String(decoding: payload, as: UTF8.self), tenant: tenant, runAt: now.timeIntervalSince1970,
            priority: nil, uniqueKey: nil, dedupKey: "sched:\(schedule.name):\(tenant?.rawValue ?? ""):\(Int64(slot.timeIntervalSince1970))")
        try await record(schedule.name, tenant: tenant, slot: slot.timeIntervalSince1970, job: job)
        core.observer.enqueued(queue: job.queue, type: job.type, count: 1)
        wakeQueue(job.queue)
        return schedule.cron.next(after: now, in: zone)
    }

    private func record(_ name: String, tenant: TenantID?, slot: Double, job: JobSQL.NewJob?) async throws {
        let now = Date().timeIntervalSince1970
        try await core.committer.write { db in
            if let job { _ = try JobSQL.insert(db, job, now: now) }
            try db.execute(sql: """
                INSERT INTO schedule_runs (schedule, tenant_id, last_slot) VALUES (?, ?, ?)
                ON CONFLICT (schedule, tenant_id) DO UPDATE SET last_slot = excluded.last_slot
                """, arguments: [name, tenant?.rawValue ?? "", slot])
        }
        lastSlots.withLock { $0[Self.key(name, tenant?.rawValue ?? "")] = slot }
    }

    private func activeTenants() async throws -> [Tenant] {
        try await allPages { try await host.tenants.tenants(.platformSystem(), $0, status: .active) }
    }
}
