import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import TradepostCore
@testable import TradepostJobs
import TradepostStore
import TradepostTestSupport

struct Echo: JobPayload {
    static let jobType = "test.echo"
    var n: Int
}

struct Flaky: JobPayload {
    static let jobType = "test.flaky"
    /// Fails this many times, then succeeds.
    var failures: Int
}

struct Slow: JobPayload {
    static let jobType = "test.slow"
    var ms: Int
}

struct Boom: JobPayload {
    static let jobType = "test.boom"
}

/// What the test handlers saw.
final class Recorder: Sendable {
    private let runs = Mutex<[String]>([])
    private let attempts = Mutex<[Int64: Int]>([:])

    func record(_ entry: String) { runs.withLock { $0.append(entry) } }
    var entries: [String] { runs.withLock { $0 } }
    func attempt(_ id: Int64) -> Int { attempts.withLock { $0[id, default: 0] += 1; return $0[id]! } }
}

struct Harness {
    let engine: JobsEngine
    let store: Store
    let recorder: Recorder

    /// Polls `condition` until it holds or `timeout` passes. The timeout is generous because it only
    /// matters when the test fails: a 2-core CI box running every suite at once took over 5 s to run
    /// 50 fsync'd no-op jobs, which passed a moment later.
    func eventually(_ timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }

    func job(_ id: Int64) async throws -> JobRecord { try await engine.service.job(.platformSystem(), id: id) }
}

func testOptions() -> JobsOptions {
    var options = JobsOptions()
    options.lease = .milliseconds(600)
    options.pollInterval = .milliseconds(200)
    options.shutdownGrace = .milliseconds(300)
    return options
}

/// Runs a real engine (in a ServiceGroup, as the server does) around `body`, then shuts it down gracefully.
func withEngine(
    options: JobsOptions = testOptions(),
    store existing: Store? = nil,
    configure: (JobRegistry, Recorder) throws -> Void = { _, _ in },
    _ body: @escaping @Sendable (Harness) async throws -> Void
) async throws {
    let store = if let existing { existing } else { try await makeStore(prefix: "tp-jobs") }
    let recorder = Recorder()
    let registry = JobRegistry()
    registry.queue("test", concurrency: 4)
    registry.register(Echo.self, queue: "test", manual: true) { echo, context in
        recorder.record("echo \(echo.n) tenant=\(context.tenant?.rawValue ?? "-")")
    }
    registry.register(Flaky.self, queue: "test", maxAttempts: 3, backoff: Backoff(base: .milliseconds(20), maximum: .milliseconds(50))) { flaky, context in
        let attempt = recorder.attempt(context.jobID)
        recorder.record("flaky \(context.jobID) attempt \(context.attempt)")
        if attempt <= flaky.failures { throw TestFailure(message: "failure \(attempt)") }
    }
    registry.register(Slow.self, queue: "test", maxAttempts: 2, timeout: .milliseconds(300),
                      backoff: Backoff(base: .milliseconds(20), maximum: .milliseconds(50))) { slow, context in
        recorder.record("slow start \(context.jobID)")
        try await Task.sleep(for: .milliseconds(slow.ms))
        recorder.record("slow end \(context.jobID)")
    }
    registry.register(Boom.self, queue: "test", maxAttempts: 5) { _, _ in throw PermanentJobError("no such thing") }
    try configure(registry, recorder)
    var logger = Logger(label: "jobs-tests")
    logger.logLevel = .critical
    let engine = try JobsEngine(host: JobsHost(dataDir: store.dataDir, tenantDatabases: store.tenantDatabases, tenants: store.tenants), registry: registry, options: options, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [engine], logger: logger))
    let harness = Harness(engine: engine, store: store, recorder: recorder)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            try await body(harness)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
    if existing == nil {
        await store.close()
        try? FileManager.default.removeItem(atPath: store.dataDir)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
