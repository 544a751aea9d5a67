import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TradepostCore
import TradepostDatabase

/// The durable in-process job engine: enqueue, workers per queue, the outbox dispatcher, the
/// scheduler, lease renewal and crash recovery. Runs as a ServiceLifecycle service: on graceful
/// shutdown it stops claiming, gives running jobs `shutdownGrace`, then puts the rest back.
public final class JobsEngine: Service, Sendable {
    let core: EngineCore
    let host: JobsHost
    let workers: [String: QueueWorker]
    let dispatcher: OutboxDispatcher
    let scheduler: Scheduler
    public let service: SQLiteJobService

    public var registry: JobRegistry { core.registry }
    public var database: JobsDatabase { core.database }

    public init(
        host: JobsHost, registry: JobRegistry, options: JobsOptions = JobsOptions(), logger: Logger,
        observer: any JobObserver = NoJobObserver()
    ) throws {
        registry.freeze()
        let database = try JobsDatabase(dataDir: host.dataDir)
        let core = EngineCore(database: database, registry: registry, options: options, logger: logger, observer: observer)
        self.core = core
        self.host = host
        var workers: [String: QueueWorker] = [:]
        for queue in registry.queues.values { workers[queue.name] = QueueWorker(queue: queue, engine: core) }
        self.workers = workers
        let wake: @Sendable (String) -> Void = { [workers] queue in workers[queue]?.wakeup.signal() }
        dispatcher = OutboxDispatcher(core: core, host: host, wakeQueue: wake)
        scheduler = Scheduler(core: core, host: host, wakeQueue: wake)
        service = SQLiteJobService(core: core, host: host, wakeQueue: wake)
        host.tenantDatabases.outboxListener.add { [dispatcher] tenant in dispatcher.notify(tenant) }
    }

    /// Enqueues a job now, at a time or after a delay. Returns its id once it is durably stored;
    /// with a `uniqueKey` that a pending or running job already has, returns that job's id instead.
    @discardableResult
    public func enqueue<P: JobPayload>(
        _ payload: P, tenant: TenantID? = nil, at: Date? = nil, delay: Duration? = nil, priority: Int? = nil,
        uniqueKey: String? = nil
    ) async throws -> Int64 {
        let runAt = at?.timeIntervalSince1970 ?? (Date().timeIntervalSince1970 + (delay?.seconds ?? 0))
        let job = try core.newJob(type: P.jobType, payload: try JobRegistry.encode(payload), tenant: tenant, runAt: runAt,
                                  priority: priority, uniqueKey: uniqueKey)
        let id = try await core.insert([job])[0].id
        if !core.isPaused(job.queue) { workers[job.queue]?.wakeup.signal() }
        core.observer.changed(tenant: tenant)
        return id
    }

    public func run() async throws {
        try core.refreshPaused()
        _ = try await core.committer.write { db in try JobSQL.reap(db, now: Date().timeIntervalSince1970) }
        await withTaskGroup(of: Void.self) { group in
            for worker in workers.values { group.addTask { await worker.loop() } }
            group.addTask { await self.dispatcher.loop() }
            group.addTask { await self.scheduler.loop() }
            group.addTask { await self.maintenance() }
            group.addTask { await self.watchTimeouts() }
            group.addTask {
                try? await gracefulShutdown()
                await self.shutdown()
            }
            await group.waitForAll()
        }
        core.committer.stop()
        core.database.close()
        core.logger.info("jobs engine stopped")
    }

    private let stopping = Mutex(false)

    private func shutdown() async {
        stopping.withLock { $0 = true }
        dispatcher.stop()
        scheduler.stop()
        maintenanceWakeup.signal()
        for worker in workers.values { worker.stop() }
        var stuck: [JobSQL.Claimed] = []
        await withTaskGroup(of: [JobSQL.Claimed].self) { group in
            for worker in workers.values { group.addTask { await worker.drain(grace: self.core.options.shutdownGrace) } }
            for await ids in group { stuck += ids }
        }
        if !stuck.isEmpty {
            core.logger.warning("jobs ignored cancellation at shutdown; releasing them", metadata: ["jobs": "\(stuck.map(\.id))"])
            let owner = core.owner, jobs = stuck
            _ = try? await core.committer.write { db in
                for job in jobs {
                    try JobSQL.finish(db, id: job.id, owner: owner, outcome: .released, now: Date().timeIntervalSince1970,
                                      queue: job.queue, tenant: job.tenant)
                }
            }
        }
    }

    private let maintenanceWakeup = Wakeup()

    /// Attempt timeouts are enforced here, every 50 ms, rather than by a timer task per job.
    private func watchTimeouts() async {
        while !stopping.withLock({ $0 }) {
            let now = ContinuousClock.now
            for worker in workers.values { worker.enforceTimeouts(now: now) }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Renews the leases of running jobs, cancels jobs someone asked to cancel, takes back jobs
    /// whose worker died, and refreshes which queues are paused.
    private func maintenance() async {
        let interval = core.options.lease / 3
        var lastPrune = ContinuousClock.now - .seconds(3600)
        while !stopping.withLock({ $0 }) {
            do {
                if ContinuousClock.now - lastPrune > .seconds(600) {
                    lastPrune = .now
                    let cutoff = Date().timeIntervalSince1970 - core.options.retention.seconds
                    let pruned = try await core.committer.write { db in try JobSQL.prune(db, finishedBefore: cutoff) }
                    if pruned > 0 { core.logger.info("pruned finished jobs", metadata: ["count": "\(pruned)"]) }
                }
                let ids = workers.values.flatMap(\.runningIDs)
                let owner = core.owner, until = Date().timeIntervalSince1970 + core.options.lease.seconds
                let (cancel, reaped) = try await core.committer.write { db in
                    (try JobSQL.renew(db, ids: ids, owner: owner, until: until), try JobSQL.reap(db, now: Date().timeIntervalSince1970))
                }
                if !cancel.isEmpty { for worker in workers.values { worker.cancel(cancel) } }
                let wasPaused = workers.keys.filter(core.isPaused)
                try core.refreshPaused()
                if reaped > 0 || wasPaused.contains(where: { !core.isPaused($0) }) {
                    for worker in workers.values { worker.wakeup.signal() }
                }
            } catch {
                core.logger.error("job maintenance failed", metadata: ["error": "\(error)"])
            }
            await maintenanceWakeup.wait(timeout: min(interval, core.options.pollInterval))
        }
    }
}
