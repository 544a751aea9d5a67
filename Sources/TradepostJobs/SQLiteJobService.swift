import Foundation
import GRDB
import Logging
import TradepostCore
import TradepostDatabase

/// Inspecting and steering jobs: the API, the jobs page and `tradepost jobs` use this. Works with
/// the engine running (in the server) or alone (in the CLI, next to a running server).
public final class SQLiteJobService: JobService {
    let core: EngineCore
    let host: JobsHost
    let wakeQueue: @Sendable (String) -> Void

    init(core: EngineCore, host: JobsHost, wakeQueue: @escaping @Sendable (String) -> Void) {
        self.core = core
        self.host = host
        self.wakeQueue = wakeQueue
    }

    /// For the CLI: the service over `jobs.sqlite` without workers. Call `close()` when done.
    public static func standalone(host: JobsHost, registry: JobRegistry, logger: Logger) throws -> SQLiteJobService {
        registry.freeze()
        let core = EngineCore(database: try JobsDatabase(dataDir: host.dataDir), registry: registry, options: JobsOptions(),
                              logger: logger, observer: NoJobObserver())
        return SQLiteJobService(core: core, host: host, wakeQueue: { _ in })
    }

    /// The jobs the caller sees once `action` is allowed: all for a platform admin, their tenant's otherwise.
    static func scope(_ caller: Caller, _ action: Action) throws -> JobScope {
        try Policy.authorize(caller.principal, action)
        return caller.principal.jobScope
    }

    public func close() {
        core.committer.stop()
        core.database.close()
    }

    public func stats(_ caller: Caller) async throws -> [QueueStats] {
        try await stats(scope: try Self.scope(caller, .jobsRead))
    }

    /// Counts for a scope decided earlier: the live socket's, whose subscriber was authorized when it subscribed.
    public func stats(scope: JobScope) async throws -> [QueueStats] {
        let tenant = scope.tenant?.rawValue
        let now = Date().timeIntervalSince1970
        return try await core.database.pool.read { [core] db in
            let paused = try JobSQL.pausedQueues(db)
            var stats: [String: QueueStats] = [:]
            for queue in core.registry.queues.values.sorted(by: { $0.name < $1.name }) {
                stats[queue.name] = QueueStats(queue: queue.name, paused: paused.contains(queue.name), concurrency: queue.concurrency)
            }
            func entry(_ queue: String) -> QueueStats {
                stats[queue] ?? QueueStats(queue: queue, paused: paused.contains(queue), concurrency: 0)
            }
            let filter = tenant == nil ? "" : " AND tenant_id = ?"
            let args: StatementArguments = tenant.map { [$0] } ?? []
            for row in try Row.fetchAll(db, sql: """
                SELECT queue, state, count(*) AS n, sum(attempts > 0 AND last_error IS NOT NULL) AS retrying,
                       min(CASE WHEN state = 'pending' AND run_at <= \(now) THEN run_at END) AS oldest
                FROM jobs WHERE state IN ('pending', 'running')\(filter) GROUP BY queue, state
                """, arguments: args)
            {
                var s = entry(row["queue"])
                if row["state"] == "pending" {
                    s.pending = row["n"]
                    s.retrying = row["retrying"] ?? 0
                    if let oldest: Double = row["oldest"] { s.oldestWaitingSeconds = max(0, now - oldest) }
                } else {
                    s.running = row["n"]
                }
                stats[s.queue] = s
            }
            let totalsFilter = tenant == nil ? "" : " WHERE tenant_id = ?"
            for row in try Row.fetchAll(db, sql: "SELECT queue, state, sum(count) AS n FROM job_totals\(totalsFilter) GROUP BY queue, state",
                                        arguments: args)
            {
                var s = entry(row["queue"])
                switch JobState(rawValue: row["state"]) {
                case .succeeded: s.succeeded = row["n"]
                case .discarded: s.discarded = row["n"]
                case .cancelled: s.cancelled = row["n"]
                default: break
                }
                stats[s.queue] = s
            }
            return stats.values.sorted { $0.queue < $1.queue }
        }
    }

    public func jobs(_ caller: Caller, filter: JobFilter, page: PageRequest) async throws -> Page<JobRecord> {
        let scope = try Self.scope(caller, .jobsRead)
        var cursorID: Int64?
        if let cursor = page.after {
            guard let id = Int64(cursor) else { throw AppError.invalidField("cursor", "is not a valid cursor") }
            cursorID = id
        }
        let after = cursorID
        let rows = try await core.database.pool.read { db in
            var sql = "SELECT * FROM jobs WHERE 1"
            var args: StatementArguments = []
            if let after { sql += " AND id < ?"; args += [after] }
            if let tenant = scope.tenant { sql += " AND tenant_id = ?"; args += [tenant.rawValue] }
            if let state = filter.state { sql += " AND state = ?"; args += [state.rawValue] }
            if let queue = filter.queue { sql += " AND queue = ?"; args += [queue] }
            if let type = filter.type { sql += " AND type = ?"; args += [type] }
            if filter.failing { sql += " AND last_error IS NOT NULL AND state IN ('pending', 'discarded')" }
            sql += " ORDER BY id DESC LIMIT ?"
            args += [page.limit + 1]
            return try Row.fetchAll(db, sql: sql, arguments: args).map(JobSQL.record)
        }
        return Page(fetched: rows, limit: page.limit) { String($0.id) }
    }

    public func job(_ caller: Caller, id: Int64) async throws -> JobRecord {
        let scope = try Self.scope(caller, .jobsRead)
        guard let job = try await core.database.pool.read({ db in try Self.fetch(db, scope, id) }) else {
            throw AppError.notFound("Job")
        }
        return job
    }

    public func retry(_ caller: Caller, id: Int64) async throws -> JobRecord {
        let scope = try Self.scope(caller, .jobsManage)
        let job = try await change(scope, id) { db, job in
            guard [.discarded, .cancelled, .pending].contains(job.state) else {
                throw AppError.conflict("A \(job.state.rawValue) job cannot be retried")
            }
            if let key = job.uniqueKey, job.state != .pending,
                try Int64.fetchOne(db, sql: "SELECT id FROM jobs WHERE unique_key = ? AND state IN ('pending', 'running') AND id != ?",
                                   arguments: [key, id]) != nil
            {
                throw AppError.conflict("Another job with the same unique key is already waiting or running")
            }
            try db.execute(sql: """
                UPDATE jobs SET state = 'pending', run_at = ?, attempts = 0, finished_at = NULL, cancel_requested = 0 WHERE id = ?
                """, arguments: [Date().timeIntervalSince1970, id])
        }
        wakeQueue(job.queue)
        return job
    }

    public func discard(_ caller: Caller, id: Int64) async throws -> JobRecord {
        let scope = try Self.scope(caller, .jobsManage)
        return try await change(scope, id) { db, job in
            guard job.state == .pending else {
                throw AppError.conflict(job.state == .running ? "The job is running: cancel it instead" : "The job has already finished")
            }
            try db.execute(sql: "UPDATE jobs SET state = 'discarded', finished_at = ?, last_error = coalesce(last_error, 'discarded by hand') WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, id])
            try JobSQL.count(db, queue: job.queue, tenant: job.tenantId?.rawValue ?? "", state: .discarded)
        }
    }

    public func cancel(_ caller: Caller, id: Int64) async throws -> JobRecord {
        let scope = try Self.scope(caller, .jobsManage)
        return try await change(scope, id) { db, job in
            switch job.state {
            case .pending:
                try db.execute(sql: "UPDATE jobs SET state = 'cancelled', finished_at = ?, last_error = 'cancelled' WHERE id = ?",
                               arguments: [Date().timeIntervalSince1970, id])
                try JobSQL.count(db, queue: job.queue, tenant: job.tenantId?.rawValue ?? "", state: .cancelled)
            case .running:
                // The worker holding it notices at its next lease renewal and stops the handler.
                try db.execute(sql: "UPDATE jobs SET cancel_requested = 1 WHERE id = ?", arguments: [id])
            default:
                throw AppError.conflict("The job has already finished")
            }
        }
    }

    public func setPaused(_ caller: Caller, queue: String, _ paused: Bool) async throws -> QueueStats {
        try Policy.authorize(caller.principal, .queuesManage)
        guard core.registry.queues[queue] != nil else { throw AppError.notFound("Queue") }
        try await core.committer.write { db in
            try db.execute(sql: """
                INSERT INTO queue_settings (queue, paused) VALUES (?, ?) ON CONFLICT (queue) DO UPDATE SET paused = excluded.paused
                """, arguments: [queue, paused])
        }
        try core.refreshPaused()
        if !paused { wakeQueue(queue) }
        core.observer.changed(tenant: nil)
        return try await stats(caller).first { $0.queue == queue }!
    }

    public func enqueue(_ caller: Caller, _ manual: ManualJob) async throws -> JobRecord {
        try Policy.authorize(caller.principal, .queuesManage)
        guard let type = core.registry.types[manual.type] else { throw AppError.invalidField("type", "is not a registered job type") }
        guard type.manual else { throw AppError.forbidden("Jobs of type \(manual.type) cannot be started by hand") }
        do {
            try type.validate(Data(manual.payload.utf8))
        } catch {
            throw AppError.invalidField("payload", "does not fit job type \(manual.type)")
        }
        guard manual.delay >= 0, manual.delay <= 366 * 86400 else { throw AppError.invalidField("delay_seconds", "must be from 0 to a year") }
        if let tenant = manual.tenant { _ = try await host.tenants.tenant(id: tenant) }
        let job = try core.newJob(
            type: manual.type, payload: manual.payload, tenant: manual.tenant, runAt: Date().timeIntervalSince1970 + manual.delay,
            priority: manual.priority, uniqueKey: manual.uniqueKey)
        // Read back in the enqueue's own transaction: the answer is the state it committed (or the
        // unique job it matched), not whatever a worker made of it a moment later.
        let now = Date().timeIntervalSince1970
        let (record, created) = try await core.committer.write { db in
            let result = try JobSQL.insert(db, job, now: now)
            return (try Self.fetch(db, .all, result.id)!, result.created)
        }
        if created { core.observer.enqueued(queue: job.queue, type: job.type, count: 1) }
        wakeQueue(job.queue)
        core.observer.changed(tenant: manual.tenant)
        return record
    }

    // MARK: - Helpers

    private func change(_ scope: JobScope, _ id: Int64, _ body: @escaping @Sendable (Database, JobRecord) throws -> Void) async throws -> JobRecord {
        let job = try await core.committer.write { db -> JobRecord in
            guard let job = try Self.fetch(db, scope, id) else { throw AppError.notFound("Job") }
            try body(db, job)
            return try Self.fetch(db, scope, id)!
        }
        core.observer.changed(tenant: job.tenantId)
        return job
    }

    static func fetch(_ db: Database, _ scope: JobScope, _ id: Int64) throws -> JobRecord? {
        var sql = "SELECT * FROM jobs WHERE id = ?"
        var args: StatementArguments = [id]
        if let tenant = scope.tenant {
            sql += " AND tenant_id = ?"
            args += [tenant.rawValue]
        }
        return try Row.fetchOne(db, sql: sql, arguments: args).map(JobSQL.record)
    }
}
