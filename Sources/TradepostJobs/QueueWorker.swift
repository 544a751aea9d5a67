import Foundation
import Logging
import Synchronization
import TradepostCore

/// Runs one queue's jobs, at most `concurrency` at a time: claims due jobs in priority order,
/// runs each with its attempt timeout, and records the outcome. Sleeps until woken by an enqueue,
/// a finished job, the next due time, or the safety poll.
final class QueueWorker: Sendable {
    struct Running: Sendable {
        let handler: Task<Void, any Error>
    }

    private struct State {
        var running: [Int64: Running] = [:]
        var cancelRequested: Set<Int64> = []
        var stopping = false
    }

    let queue: JobRegistry.Queue
    private let engine: EngineCore
    private let state = Mutex(State())
    let wakeup = Wakeup()

    init(queue: JobRegistry.Queue, engine: EngineCore) {
        self.queue = queue
        self.engine = engine
    }

    var runningIDs: [Int64] { state.withLock { Array($0.running.keys) } }
    var runningCount: Int { state.withLock { $0.running.count } }

    func loop() async {
        while !state.withLock({ $0.stopping }) {
            var wait = engine.options.pollInterval
            let free = queue.concurrency - runningCount
            if free > 0 && !engine.isPaused(queue.name) {
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
        let context = JobContext(jobID: job.id, tenant: job.tenant, attempt: job.attempt, logger: logger)
        let payload = Data(job.payload.utf8)
        let handler = Task<Void, any Error> {
            guard let type else { throw PermanentJobError("no handler is registered for job type \(job.type)") }
            try await type.run(payload, context)
        }
        state.withLock { $0.running[job.id] = Running(handler: handler) }
        engine.observer.started(queue: queue.name, type: job.type)
        Task { await self.supervise(job, type: type, handler: handler, logger: logger) }
    }

    /// Waits for the handler, cancelling it at its timeout, and records what happened. The job is
    /// only released once its handler has really returned, so one job never runs twice at once.
    private func supervise(_ job: JobSQL.Claimed, type: JobRegistry.JobType?, handler: Task<Void, any Error>, logger: Logger) async {
        let started = ContinuousClock.now
        let timedOut = Mutex(false)
        let timer = Task {
            try await Task.sleep(for: job.timeout)
            timedOut.withLock { $0 = true }
            handler.cancel()
        }
        let result = await handler.result
        timer.cancel()
        let duration = ContinuousClock.now - started
        let now = Date().timeIntervalSince1970
        let (cancelRequested, stopping) = state.withLock { ($0.cancelRequested.contains(job.id), $0.stopping) }
        let outcome: JobSQL.Outcome
        let kind: JobOutcome
        switch result {
        case .success:
            outcome = .succeeded
            kind = .succeeded
        case .failure(let error):
            if cancelRequested {
                outcome = .cancelled
                kind = .cancelled
            } else if stopping && error is CancellationError && !timedOut.withLock({ $0 }) {
                outcome = .released
                kind = .released
            } else {
                let message = timedOut.withLock({ $0 }) ? "timed out after \(job.timeout)" : String(describing: error)
                let permanent = error is PermanentJobError
                if permanent || job.attempt >= job.maxAttempts {
                    outcome = .failed(error: message, retryAt: nil)
                    kind = .discarded
                    logger.error("job discarded", metadata: ["attempt": "\(job.attempt)", "error": "\(message)"])
                } else {
                    var random = SystemRandomNumberGenerator()
                    let backoff = (type?.backoff ?? Backoff()).delay(afterAttempt: job.attempt, using: &random)
                    outcome = .failed(error: message, retryAt: now + backoff.seconds)
                    kind = .failed
                    logger.warning("job failed; will retry", metadata: ["attempt": "\(job.attempt)", "error": "\(message)"])
                }
            }
        }
        engine.committer.writeLater({ [engine] db in
            try JobSQL.finish(db, id: job.id, owner: engine.owner, outcome: outcome, now: now)
        }, onError: { [engine] error in
            engine.logger.error("recording a job outcome failed", metadata: ["job_id": "\(job.id)", "error": "\(error)"])
        })
        engine.observer.finished(queue: queue.name, type: job.type, outcome: kind, duration: duration)
        engine.observer.changed(tenant: job.tenant)
        state.withLock { state in
            state.running[job.id] = nil
            state.cancelRequested.remove(job.id)
        }
        wakeup.signal()
    }

    /// Asks running jobs to stop because someone cancelled them.
    func cancel(_ ids: [Int64]) {
        let handlers = state.withLock { state in
            ids.compactMap { id -> Task<Void, any Error>? in
                guard let running = state.running[id] else { return nil }
                state.cancelRequested.insert(id)
                return running.handler
            }
        }
        for handler in handlers { handler.cancel() }
    }

    /// Stops claiming; running jobs carry on until `drain` gives up on them.
    func stop() {
        state.withLock { $0.stopping = true }
        wakeup.signal()
    }

    /// Waits up to `grace` for running jobs, then cancels the rest and waits a little more.
    /// Returns the ids still running after that (their handlers ignore cancellation).
    func drain(grace: Duration) async -> [Int64] {
        let deadline = ContinuousClock.now + grace
        while runningCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let handlers = state.withLock { Array($0.running.values.map(\.handler)) }
        for handler in handlers { handler.cancel() }
        let second = ContinuousClock.now + .seconds(2)
        while runningCount > 0 && ContinuousClock.now < second {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return runningIDs
    }
}
