import Foundation
import Logging
import Synchronization
import TradepostCore

/// Runs one queue's jobs, at most `concurrency` at a time: claims due jobs in priority order,
/// runs each in a task of its own, and records the outcome. Sleeps until woken by an enqueue,
/// a finished job, the next due time, or the safety poll.
final class QueueWorker: Sendable {
    struct Running: Sendable {
        let job: JobSQL.Claimed
        let task: Task<Void, Never>
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        var running: [Int64: Running] = [:]
        var cancelRequested: Set<Int64> = []
        var timedOut: Set<Int64> = []
        var stopping = false
    }

    let queue: JobRegistry.Queue
    private let engine: EngineCore
    private let state = Mutex(State())
    let wakeup = Wakeup()
    /// Free slots are refilled in chunks, so a busy queue claims many jobs per commit instead of
    /// one commit per finished job.
    private var refillAt: Int { max(1, queue.concurrency / 4) }

    init(queue: JobRegistry.Queue, engine: EngineCore) {
        self.queue = queue
        self.engine = engine
    }

    var runningIDs: [Int64] { state.withLock { Array($0.running.keys) } }
    var runningCount: Int { state.withLock { $0.running.count } }

    func loop() async {
        while !state.withLock({ $0.stopping }) {
            var wait = engine.options.pollInterval
            let running = runningCount
            let free = queue.concurrency - running
            if free > 0 && (free >= refillAt || running == 0) && !engine.isPaused(queue.name) {
                do {
                    let now = Date().timeIntervalSince1970
                    let claimed = try await engine.committer.write { [queue, engine] db in
                        try JobSQL.claim(db, queue: queue.name, limit: free, owner: engine.owner, now: now, lease: engine.options.lease.seconds)
                    }
                    for job in claimed { start(job) }
                    if !claimed.isEmpty { engine.observer.changed(tenant: nil) }
                    if claimed.count < free, let due = try engine.database.pool.readNow({ [queue] db in try JobSQL.nextDue(db, queue: queue.name) }) {
                        wait = min(wait, .seconds(max(due - Date().timeIntervalSince1970, 0.001)))
                    }
                } catch {
                    engine.logger.error("claiming jobs failed", metadata: ["queue": "\(queue.name)", "error": "\(error)"])
                    wait = .seconds(1)
                }
            }
            await wakeup.wait(timeout: wait)
        }
    }

    private func start(_ job: JobSQL.Claimed) {
        let type = engine.registry.types[job.type]
        var logger = engine.logger
        logger[metadataKey: "job_id"] = "\(job.id)"
        logger[metadataKey: "job_type"] = "\(job.type)"
        if let tenant = job.tenant { logger[metadataKey: "tenant"] = "\(tenant)" }
        // The entry is in place before the task can finish and remove it.
        state.withLock { state in
            state.running[job.id] = Running(job: job, task: makeTask(job, type, logger), deadline: .now + job.timeout)
        }
        engine.observer.started(queue: queue.name, type: job.type)
    }

    private func makeTask(_ job: JobSQL.Claimed, _ type: JobRegistry.JobType?, _ logger: Logger) -> Task<Void, Never> {
        Task { await self.execute(job, type: type, logger: logger) }
    }

    /// Runs the handler and records what happened. The job is released only once its handler has
    /// really returned (a timed-out handler is cancelled, then awaited), so one job never runs twice at once.
    private func execute(_ job: JobSQL.Claimed, type: JobRegistry.JobType?, logger: Logger) async {
        let started = ContinuousClock.now
        let context = JobContext(jobID: job.id, tenant: job.tenant, attempt: job.attempt, logger: logger)
        var failure: (any Error)?
        do {
            guard let type else { throw PermanentJobError("no handler is registered for job type \(job.type)") }
            try await type.run(Data(job.payload.utf8), context)
        } catch {
            failure = error
        }
        let duration = ContinuousClock.now - started
        let now = Date().timeIntervalSince1970
        let (cancelRequested, timedOut, stopping) = state.withLock {
            ($0.cancelRequested.contains(job.id), $0.timedOut.contains(job.id), $0.stopping)
        }
        let outcome: JobSQL.Outcome
        let kind: JobOutcome
        if let error = failure {
            if cancelRequested {
                (outcome, kind) = (.cancelled, .cancelled)
            } else if stopping && error is CancellationError && !timedOut {
                (outcome, kind) = (.released, .released)
            } else {
                let message = timedOut ? "timed out after \(job.timeout)" : String(describing: error)
                if error is PermanentJobError || job.attempt >= job.maxAttempts {
                    (outcome, kind) = (.failed(error: message, retryAt: nil), .discarded)
                    logger.error("job discarded", metadata: ["attempt": "\(job.attempt)", "error": "\(message)"])
                    if let tenant = job.tenant { engine.registry.onDiscard?(tenant, job.id, job.type, message) }
                } else {
                    var random = SystemRandomNumberGenerator()
                    let wait = (error as? RetryLater)?.delay ?? (type?.backoff ?? Backoff()).delay(afterAttempt: job.attempt, using: &random).seconds
                    (outcome, kind) = (.failed(error: message, retryAt: now + wait), .failed)
                    logger.warning("job failed; will retry", metadata: ["attempt": "\(job.attempt)", "error": "\(message)"])
                }
            }
        } else {
            (outcome, kind) = (.succeeded, .succeeded)
        }
        engine.committer.writeLater({ [engine] db in
            try JobSQL.finish(db, id: job.id, owner: engine.owner, outcome: outcome, now: now, queue: job.queue, tenant: job.tenant)
        }, onError: { [engine] error in
            engine.logger.error("recording a job outcome failed", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
        })
        engine.observer.finished(queue: queue.name, type: job.type, outcome: kind, duration: duration)
        engine.observer.changed(tenant: job.tenant)
        state.withLock { state in
            state.running[job.id] = nil
            state.cancelRequested.remove(job.id)
            state.timedOut.remove(job.id)
        }
        wakeup.signal()
    }

    /// Cancels the handlers of jobs past their attempt timeout (called every few milliseconds).
    func enforceTimeouts(now: ContinuousClock.Instant) {
        let late = state.withLock { state in
            state.running.values.filter { $0.deadline <= now && !state.timedOut.contains($0.job.id) }.map { running in
                state.timedOut.insert(running.job.id)
                return running.task
            }
        }
        for task in late { task.cancel() }
    }

    /// Asks running jobs to stop because someone cancelled them.
    func cancel(_ ids: [Int64]) {
        let tasks = state.withLock { state in
            ids.compactMap { id -> Task<Void, Never>? in
                guard let running = state.running[id] else { return nil }
                state.cancelRequested.insert(id)
                return running.task
            }
        }
        for task in tasks { task.cancel() }
    }

    /// Stops claiming; running jobs carry on until `drain` gives up on them.
    func stop() {
        state.withLock { $0.stopping = true }
        wakeup.signal()
    }

    /// Waits up to `grace` for running jobs, then cancels the rest and waits a little more.
    /// Returns the jobs still running after that (their handlers ignore cancellation).
    func drain(grace: Duration) async -> [JobSQL.Claimed] {
        let deadline = ContinuousClock.now + grace
        while runningCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for task in state.withLock({ Array($0.running.values.map(\.task)) }) { task.cancel() }
        let second = ContinuousClock.now + .seconds(2)
        while runningCount > 0 && ContinuousClock.now < second {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return state.withLock { Array($0.running.values.map(\.job)) }
    }
}
