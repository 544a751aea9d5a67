import Foundation
import GRDB
import TradepostCore

/// The SQL of the jobs table, each function run inside the committer's transaction (writes) or a
/// read. Times are Unix seconds.
enum JobSQL {
    struct NewJob: Sendable {
        var type: String
        var queue: String
        var tenant: TenantID?
        var payload: String
        var priority: Int
        var maxAttempts: Int
        var timeout: Duration
        var runAt: Double
        var uniqueKey: String?
        var dedupKey: String?
    }

    /// Inserts the job unless a live job has its unique key, or any job has its dedup key.
    /// Returns the job's id and whether it was created now.
    static func insert(_ db: Database, _ job: NewJob, now: Double) throws -> (id: Int64, created: Bool) {
        if let key = job.uniqueKey,
            let existing = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM jobs WHERE unique_key = ? AND state IN ('pending', 'running')"), arguments: [key])
        {
            return (existing, false)
        }
        if let key = job.dedupKey,
            let existing = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM jobs WHERE dedup_key = ? AND dedup_key IS NOT NULL"), arguments: [key])
        {
            return (existing, false)
        }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO jobs (type, queue, tenant_id, payload, priority, state, max_attempts, timeout_ms, run_at,
                              unique_key, dedup_key, created_at)
            VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [job.type, job.queue, job.tenant?.rawValue, job.payload, job.priority, job.maxAttempts,
                                          Int(job.timeout.seconds * 1000), job.runAt, job.uniqueKey, job.dedupKey, now])
        return (db.lastInsertedRowID, true)
    }

    struct Claimed: Sendable {
        var id: Int64
        var type: String
        var queue: String
        var tenant: TenantID?
        var payload: String
        var attempt: Int
        var maxAttempts: Int
        var timeout: Duration
    }

    /// Takes up to `limit` due jobs of `queue`, highest priority first, leasing them to `owner`.
    /// A paused queue gives out nothing, even if this process has not heard of the pause yet
    /// (another process, the CLI, may have just paused it).
    static func claim(_ db: Database, queue: String, limit: Int, owner: String, now: Double, lease: Double) throws -> [Claimed] {
        // Every hot statement here is prepared once per connection: compiling one costs more than running it.
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, type, tenant_id, payload, attempts, max_attempts, timeout_ms FROM jobs
            WHERE state = 'pending' AND queue = ? AND run_at <= ?
              AND NOT EXISTS (SELECT 1 FROM queue_settings s WHERE s.queue = jobs.queue AND s.paused = 1)
            ORDER BY priority DESC, run_at, id LIMIT ?
            """), arguments: [queue, now, limit])
        guard !rows.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, lease_owner = ?, started_at = ?,
            cancel_requested = 0 WHERE id = ?
            """)
        return try rows.map { row in
            let id: Int64 = row["id"]
            try statement.execute(arguments: [now + lease, owner, now, id])
            return Claimed(
                id: id, type: row["type"], queue: queue, tenant: (row["tenant_id"] as String?).map(TenantID.init(rawValue:)),
                payload: row["payload"], attempt: (row["attempts"] as Int) + 1, maxAttempts: row["max_attempts"],
                timeout: .milliseconds(row["timeout_ms"] as Int))
        }
    }

    enum Outcome: Sendable {
        case succeeded
        /// Retry at `retryAt`, or discard when nil.
        case failed(error: String, retryAt: Double?)
        case cancelled
        /// Shutdown: back to pending without counting the attempt.
        case released
    }

    /// Records how an attempt ended. Only the lease owner may finish a job: a job taken back from a
    /// worker presumed dead is not that worker's to finish.
    static func finish(_ db: Database, id: Int64, owner: String, outcome: Outcome, now: Double, queue: String, tenant: TenantID?) throws {
        let sql: String
        var arguments: StatementArguments
        var counted: JobState?
        switch outcome {
        case .succeeded:
            sql = "UPDATE jobs SET state = 'succeeded', finished_at = ?, lease_owner = NULL, lease_until = NULL"
            arguments = [now]
            counted = .succeeded
        case .failed(let error, let retryAt?):
            sql = "UPDATE jobs SET state = 'pending', run_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL"
            arguments = [retryAt, String(error.prefix(2000))]
        case .failed(let error, nil):
            sql = "UPDATE jobs SET state = 'discarded', finished_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL"
            arguments = [now, String(error.prefix(2000))]
            counted = .discarded
        case .cancelled:
            sql = "UPDATE jobs SET state = 'cancelled', finished_at = ?, last_error = 'cancelled', lease_owner = NULL, lease_until = NULL"
            arguments = [now]
            counted = .cancelled
        case .released:
            sql = "UPDATE jobs SET state = 'pending', run_at = ?, attempts = max(attempts - 1, 0), lease_owner = NULL, lease_until = NULL"
            arguments = [now]
        }
        arguments += [id, owner]
        try db.cachedStatement(sql: sql + " WHERE id = ? AND state = 'running' AND lease_owner = ?").execute(arguments: arguments)
        if let counted, db.changesCount == 1 {
            try count(db, queue: queue, tenant: tenant?.rawValue ?? "", state: counted)
        }
    }

    static func count(_ db: Database, queue: String, tenant: String, state: JobState) throws {
        try db.cachedStatement(sql: """
            INSERT INTO job_totals (queue, tenant_id, state, count) VALUES (?, ?, ?, 1)
            ON CONFLICT (queue, tenant_id, state) DO UPDATE SET count = count + 1
            """).execute(arguments: [queue, tenant, state.rawValue])
    }

    /// Extends the leases of jobs still running here; returns those that were asked to cancel.
    static func renew(_ db: Database, ids: [Int64], owner: String, until: Double) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        let list = ids.map(String.init).joined(separator: ",")
        try db.execute(sql: "UPDATE jobs SET lease_until = ? WHERE lease_owner = ? AND state = 'running' AND id IN (\(list))",
                       arguments: [until, owner])
        return try Int64.fetchAll(db, sql: "SELECT id FROM jobs WHERE cancel_requested = 1 AND state = 'running' AND id IN (\(list))")
    }

    /// Running jobs whose lease ran out (their worker died): back to pending, or discarded when
    /// they have used every attempt. Returns how many were taken back.
    static func reap(_ db: Database, now: Double) throws -> Int {
        let expired = try Row.fetchAll(db, sql: """
            SELECT id, queue, tenant_id, attempts, max_attempts FROM jobs WHERE state = 'running' AND lease_until < ?
            """, arguments: [now])
        for row in expired {
            let id: Int64 = row["id"]
            if (row["attempts"] as Int) >= (row["max_attempts"] as Int) {
                try db.execute(sql: """
                    UPDATE jobs SET state = 'discarded', finished_at = ?, lease_owner = NULL, lease_until = NULL,
                    last_error = 'the worker stopped (lease expired) on the last attempt' WHERE id = ?
                    """, arguments: [now, id])
                try count(db, queue: row["queue"], tenant: row["tenant_id"] ?? "", state: .discarded)
            } else {
                try db.execute(sql: """
                    UPDATE jobs SET state = 'pending', run_at = ?, lease_owner = NULL, lease_until = NULL,
                    last_error = 'the worker stopped (lease expired); retrying' WHERE id = ?
                    """, arguments: [now, id])
            }
        }
        return expired.count
    }

    /// When the next pending job of a queue becomes due (nil when none is waiting).
    static func nextDue(_ db: Database, queue: String) throws -> Double? {
        try Double.fetchOne(db.cachedStatement(sql: "SELECT min(run_at) FROM jobs WHERE state = 'pending' AND queue = ?"), arguments: [queue])
    }

    static func pausedQueues(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT queue FROM queue_settings WHERE paused = 1"))
    }

    /// Deletes finished jobs older than the retention; their counts stay in `job_totals`. The newest
    /// job is always kept, so a new job never gets the id of a deleted one.
    static func prune(_ db: Database, finishedBefore: Double) throws -> Int {
        try db.execute(sql: """
            DELETE FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? AND id < (SELECT max(id) FROM jobs)
            """, arguments: [finishedBefore])
        return db.changesCount
    }

    static func record(_ row: Row) -> JobRecord {
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Date.init(timeIntervalSince1970:)) }
        return JobRecord(
            id: row["id"], type: row["type"], queue: row["queue"],
            tenantId: (row["tenant_id"] as String?).map(TenantID.init(rawValue:)),
            state: JobState(rawValue: row["state"]) ?? .pending, priority: row["priority"], attempts: row["attempts"],
            maxAttempts: row["max_attempts"], runAt: date("run_at")!, createdAt: date("created_at")!,
            startedAt: date("started_at"), finishedAt: date("finished_at"), lastError: row["last_error"],
            uniqueKey: row["unique_key"], cancelRequested: row["cancel_requested"], payload: row["payload"])
    }
}
