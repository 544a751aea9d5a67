import Foundation
import GRDB
import Synchronization
import TradepostCore
import TradepostDatabase

/// Moves committed outbox events into jobs, one job per event and subscription, then deletes the
/// events. Woken in-process by the commit that added them; at start it looks at every tenant's
/// outbox once (events left by a crash); the safety poll picks up signals left by other processes.
///
/// The move spans two databases, so it is idempotent instead of atomic: each job carries the key
/// "evt:<tenant>:<event id>:<subscription>", and a job with that key is never inserted twice. A
/// crash between inserting the jobs and deleting the events re-inserts nothing.
final class OutboxDispatcher: Sendable {
    private let core: EngineCore
    private let host: JobsHost
    private let dirty = Mutex<Set<TenantID>>([])
    private let stopped = Mutex(false)
    private let wakeup = Wakeup()
    private let wakeQueue: @Sendable (String) -> Void

    init(core: EngineCore, host: JobsHost, wakeQueue: @escaping @Sendable (String) -> Void) {
        self.core = core
        self.host = host
        self.wakeQueue = wakeQueue
    }

    func notify(_ tenant: TenantID) {
        _ = dirty.withLock { $0.insert(tenant) }
        wakeup.signal()
    }

    func stop() {
        stopped.withLock { $0 = true }
        wakeup.signal()
    }

    func loop() async {
        await scanAllTenants()
        while !stopped.withLock({ $0 }) {
            let tenants = dirty.withLock { set in
                defer { set.removeAll() }
                return set
            }
            for tenant in tenants where !stopped.withLock({ $0 }) {
                do {
                    try await drain(tenant)
                } catch let error as AppError where error.code == .notFound {
                    // The tenant's database is gone (deleted tenant): nothing to deliver.
                } catch {
                    core.logger.error("outbox dispatch failed", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
                    _ = dirty.withLock { $0.insert(tenant) }
                }
            }
            if dirty.withLock({ $0.isEmpty }) {
                await wakeup.wait(timeout: core.options.pollInterval)
                collectSignals()
            } else if !tenants.isEmpty {
                await Task.yield()
            }
        }
    }

    /// Delivers a tenant's events in batches until its outbox is empty.
    func drain(_ tenant: TenantID) async throws {
        let batch = core.options.outboxBatch
        while true {
            let events = try await host.tenantDatabases.read(tenant) { db in try Outbox.pending(db, tenant: tenant, limit: batch) }
            guard let last = events.last else { return }
            var jobs: [JobSQL.NewJob] = []
            let now = Date().timeIntervalSince1970
            for event in events {
                for subscription in core.registry.subscriptions(for: event.topic) {
                    if let inline = subscription.inline {
                        do {
                            try await inline(event)
                            continue
                        } catch {
                            core.logger.warning("an inline handler failed; the event becomes a job", metadata: [
                                "tenant": "\(tenant)", "event": "\(event.id)", "subscription": "\(subscription.name)", "error": "\(error)",
                            ])
                        }
                    }
                    do {
                        guard let payload = try subscription.makePayload(event) else { continue }
                        jobs.append(try core.newJob(
                            type: subscription.jobType, payload: String(decoding: payload, as: UTF8.self), tenant: tenant, runAt: now,
                            priority: nil, uniqueKey: nil, dedupKey: "evt:\(tenant):\(event.id):\(subscription.name)"))
                    } catch {
                        core.logger.error("an outbox event could not become a job", metadata: [
                            "tenant": "\(tenant)", "event": "\(event.id)", "subscription": "\(subscription.name)", "error": "\(error)",
                        ])
                    }
                }
            }
            _ = try await core.insert(jobs)
            for queue in Set(jobs.map(\.queue)) { wakeQueue(queue) }
            if !jobs.isEmpty { core.observer.changed(tenant: tenant) }
            try await host.tenantDatabases.write(tenant) { db in try Outbox.remove(db, upTo: last.id) }
            if events.count < batch { return }
        }
    }

    /// At start: any tenant whose outbox still holds events (left by a crash) is dirty.
    private func scanAllTenants() async {
        do {
            for tenant in try await allPages({ try await host.tenants.tenants(.platformSystem(), $0, status: nil) }) {
                let pending = try? await host.tenantDatabases.read(tenant.id) { db in
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox LIMIT 1") ?? false
                }
                if pending == true { notify(tenant.id) }
            }
        } catch {
            core.logger.error("scanning outboxes at start failed", metadata: ["error": "\(error)"])
        }
        collectSignals()
    }

    /// Tenants another process (the CLI) wrote events for.
    private func collectSignals() {
        do {
            let tenants = try core.database.pool.readNow { db in try String.fetchAll(db, sql: "SELECT tenant_id FROM outbox_signals") }
            guard !tenants.isEmpty else { return }
            for tenant in tenants { notify(TenantID(tenant)) }
            core.committer.writeLater { db in
                try db.execute(sql: "DELETE FROM outbox_signals WHERE tenant_id IN (\(tenants.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments(tenants))
            }
        } catch {
            core.logger.error("reading outbox signals failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Leaves a note for a running server that `tenant`'s outbox grew (used by the CLI, which runs no engine).
public enum OutboxSignals {
    public static func record(_ tenant: TenantID, in database: JobsDatabase) {
        try? database.pool.write { db in
            try db.execute(sql: "INSERT INTO outbox_signals (tenant_id, at) VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET at = excluded.at",
                           arguments: [tenant.rawValue, Date().timeIntervalSince1970])
        }
    }
}
