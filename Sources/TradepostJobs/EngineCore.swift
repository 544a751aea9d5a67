import Foundation
import Logging
import Synchronization
import TradepostCore

/// Tuning of the engine. Tests shorten the times.
public struct JobsOptions: Sendable {
    /// How long a claimed job is leased; renewed every third of it while the job runs. A job whose
    /// worker died is retried once its lease has run out.
    public var lease: Duration = .seconds(30)
    /// The safety net when nothing wakes a loop: jobs enqueued by another process (the CLI),
    /// outbox signals from the CLI, paused queues.
    public var pollInterval: Duration = .seconds(5)
    /// On shutdown, how long running jobs may finish before they are cancelled and put back.
    public var shutdownGrace: Duration = .seconds(10)
    /// Finished jobs are deleted after this (their counts are kept).
    public var retention: Duration = .seconds(7 * 86400)
    public var outboxBatch = 500

    public init() {}
}

/// What the workers, the dispatcher and the scheduler share.
final class EngineCore: Sendable {
    let database: JobsDatabase
    let committer: GroupCommitter
    let registry: JobRegistry
    let options: JobsOptions
    let logger: Logger
    let observer: any JobObserver
    /// This process's lease owner name: leases of other owners are not ours to finish.
    let owner: String
    private let paused = Mutex<Set<String>>([])

    init(database: JobsDatabase, registry: JobRegistry, options: JobsOptions, logger: Logger, observer: any JobObserver) {
        self.database = database
        committer = GroupCommitter(pool: database.pool, path: database.path)
        self.registry = registry
        self.options = options
        self.logger = logger
        self.observer = observer
        owner = "\(ProcessInfo.processInfo.processIdentifier)-\(Identifier.make())"
    }

    func isPaused(_ queue: String) -> Bool { paused.withLock { $0.contains(queue) } }

    func refreshPaused() throws {
        let current = try database.pool.readNow { try JobSQL.pausedQueues($0) }
        paused.withLock { $0 = current }
    }

    /// Validates and inserts jobs of registered types, durably, in one commit.
    func insert(_ jobs: [JobSQL.NewJob]) async throws -> [(id: Int64, created: Bool)] {
        guard !jobs.isEmpty else { return [] }
        let now = Date().timeIntervalSince1970
        let results = try await committer.write { db in try jobs.map { try JobSQL.insert(db, $0, now: now) } }
        for (job, result) in zip(jobs, results) where result.created {
            observer.enqueued(queue: job.queue, type: job.type, count: 1)
        }
        return results
    }

    func newJob(type name: String, payload: String, tenant: TenantID?, runAt: Double, priority: Int?, uniqueKey: String?,
                dedupKey: String? = nil) throws -> JobSQL.NewJob {
        guard let type = registry.types[name] else { throw AppError.invalidField("type", "is not a registered job type") }
        return JobSQL.NewJob(
            type: name, queue: type.queue, tenant: tenant, payload: payload, priority: priority ?? type.priority,
            maxAttempts: type.maxAttempts, timeout: type.timeout, runAt: runAt, uniqueKey: uniqueKey, dedupKey: dedupKey)
    }
}
