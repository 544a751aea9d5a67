import Foundation
import Synchronization
import TradepostCore
import TradepostJobs

#if DEBUG
/// Jobs for the end-to-end crash test, registered only when TRADEPOST_TEST_PROBE names a file.
/// Compiled into debug builds only (the end-to-end suite runs one); the shipped release binary has
/// none of it.
/// Each run appends plain lines to that file, which survive a kill -9 (they are in the page cache):
///   start <job> <attempt> <pid> <tag> / end <job> <pid> / event <tenant> <topic> <event id> <payload>
/// and "overlap <job>" if the same job were ever started while a run of it is still going.
enum TestProbe {
    struct Probe: JobPayload {
        static let jobType = "test.probe"
        var tag: String
        var sleepMs: Int?
        /// Fail for good (a tenant's admins then hear of it).
        var fail: Bool?
        enum CodingKeys: String, CodingKey {
            case tag, fail
            case sleepMs = "sleep_ms"
        }
    }

    struct EventProbe: JobPayload {
        static let jobType = "test.event"
        var topic: String
        var eventId: Int64
        var payload: String
        enum CodingKeys: String, CodingKey {
            case topic, payload
            case eventId = "event_id"
        }
    }

    final class Log: Sendable {
        let handle: FileHandle
        let running = Mutex<Set<Int64>>([])
        let lock = Mutex(())

        init(path: String) throws {
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
        }

        func write(_ line: String) {
            lock.withLock { _ in handle.write(Data((line + "\n").utf8)) }
        }
    }

    /// Registers the probe jobs when TRADEPOST_TEST_PROBE names the log file.
    static func registerIfAsked(_ registry: JobRegistry) throws {
        guard let path = ProcessInfo.processInfo.environment["TRADEPOST_TEST_PROBE"], !path.isEmpty else { return }
        try register(registry, path: path)
    }

    static func register(_ registry: JobRegistry, path: String) throws {
        let log = try Log(path: path)
        let pid = ProcessInfo.processInfo.processIdentifier
        registry.queue("probe", concurrency: 8)
        registry.register(Probe.self, queue: "probe", maxAttempts: 50, timeout: .seconds(30),
                          backoff: Backoff(base: .milliseconds(100), maximum: .seconds(1)), manual: true) { probe, context in
            let first = log.running.withLock { $0.insert(context.jobID).inserted }
            if !first { log.write("overlap \(context.jobID)") }
            log.write("start \(context.jobID) \(context.attempt) \(pid) \(probe.tag)")
            if let ms = probe.sleepMs, ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
            log.write("end \(context.jobID) \(pid)")
            _ = log.running.withLock { $0.remove(context.jobID) }
            if probe.fail == true { throw PermanentJobError("the probe failed as asked") }
        }
        registry.register(EventProbe.self, queue: "probe", maxAttempts: 50,
                          backoff: Backoff(base: .milliseconds(100), maximum: .seconds(1))) { event, context in
            log.write("event \(context.tenant?.rawValue ?? "-") \(event.topic) \(event.eventId) \(event.payload)")
        }
        registry.subscribe("test-probe", topic: "*", job: EventProbe.self) { event in
            EventProbe(topic: event.topic, eventId: event.id, payload: event.payload)
        }
    }
}
#else
/// Release builds carry no test jobs.
enum TestProbe {
    static func registerIfAsked(_ registry: JobRegistry) throws {}
}
#endif
