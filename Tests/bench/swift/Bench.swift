import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization
import TradepostCore
import TradepostDatabase
import TradepostJobs
import TradepostStore

// Jobs engine benchmark (issue 3). Usage: tradepost-bench jobs [DIR]
// All figures come from one run on one machine, against the disk's own commit rate measured first.

struct NoOp: JobPayload {
    static let jobType = "bench.noop"
    var n: Int
}

struct EventSeen: JobPayload {
    static let jobType = "bench.event"
    var sentAt: Double
}

struct SentAt: Codable {
    var sentAt: Double
}

func now() -> Double { Date().timeIntervalSince1970 }

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

/// Single-row commits per second with synchronous=FULL (WAL, as jobs.sqlite), each its own transaction.
func diskProbe(_ dir: String, seconds: Double = 3) throws -> Double {
    let path = (dir as NSString).appendingPathComponent("probe.sqlite")
    let queue = try DatabaseQueue(path: path)
    try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    }
    var commits = 0
    let start = now()
    while now() - start < seconds {
        try queue.write { db in try db.execute(sql: "INSERT INTO t (v) VALUES ('x')") }
        commits += 1
    }
    return Double(commits) / (now() - start)
}

final class Counter: Sendable {
    let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

final class Latencies: Sendable {
    let values = Mutex<[Double]>([])
    func add(_ v: Double) { values.withLock { $0.append(v) } }
    var all: [Double] { values.withLock { $0 } }
}

@main
struct Bench {
    static func main() async throws {
        let args = CommandLine.arguments
        if args.count == 2, args[1] == "invoice-pdf" { return InvoicePDFBench.run() }
        if args.count == 6, args[1] == "talk-setup" {
            return try await TalkBench.run(dir: args[2], conversations: Int(args[3])!, perSide: Int(args[4])!, messages: Int(args[5])!)
        }
        if args.count == 4, args[1] == "notify-setup" { return try await NotifyBench.run(dir: args[2], managers: Int(args[3])!) }
        if args.count == 3, args[1] == "reads" { return try await ReadsBench.run(dir: args[2]) }
        if args.count == 5, args[1] == "search" {
            return try await SearchBench.run(dir: args[2], products: args[3], queries: args[4])
        }
        guard args.count >= 2, args[1] == "jobs" else {
            print("usage: tradepost-bench jobs [DIR] | tradepost-bench search DIR PRODUCTS.tsv QUERIES.tsv | tradepost-bench reads DIR | tradepost-bench invoice-pdf")
            exit(2)
        }
        let dir = args.count > 2 ? args[2] : FileManager.default.temporaryDirectory.appendingPathComponent("tp-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await jobs(dir)
    }

    static func jobs(_ dir: String) async throws {
        let limit = try diskProbe(dir)
        line(String(format: "disk: %.0f single-row commits/s (WAL, synchronous=FULL, one transaction each): the limit below", limit))

        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let store = try await Store(Store.Options(dataDir: (dir as NSString).appendingPathComponent("data"), hasher: BcryptHasher(cost: 4)))
        let tenant = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "bench", name: "Bench"))
        let done = Counter()
        let latencies = Latencies()
        let registry = JobRegistry()
        registry.queue("bench", concurrency: 64)
        registry.register(NoOp.self, queue: "bench") { _, _ in done.add() }
        registry.register(EventSeen.self, queue: "bench") { event, _ in latencies.add(now() - event.sentAt) }
        registry.subscribe("bench", topic: "bench.event", job: EventSeen.self) { event in
            EventSeen(sentAt: try event.decode(SentAt.self).sentAt)
        }
        let engine = try JobsEngine(host: JobsHost(dataDir: store.dataDir, tenantDatabases: store.tenantDatabases, tenants: store.tenants), registry: registry, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [engine], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(200))

            // 1. Durable enqueue, one producer (queue paused: enqueue alone is measured).
            _ = try await engine.service.setPaused(.platformSystem(), queue: "bench", true)
            let only = ProcessInfo.processInfo.environment["BENCH_ONLY"]
            let single = only == "multi" ? 10 : 4000
            var start = now()
            for n in 0..<single { try await engine.enqueue(NoOp(n: n)) }
            let singleRate = Double(single) / (now() - start)
            line(String(format: "enqueue, 1 producer:   %7.0f jobs/s  = %.2f x disk   [bar: >= 0.5 x]", singleRate, singleRate / limit))

            // 2. Durable enqueue, 16 concurrent producers (group commit).
            let perProducer = 5000
            start = now()
            try await withThrowingTaskGroup(of: Void.self) { producers in
                for p in 0..<16 {
                    producers.addTask { for n in 0..<perProducer { try await engine.enqueue(NoOp(n: p * perProducer + n)) } }
                }
                try await producers.waitForAll()
            }
            let multiRate = Double(16 * perProducer) / (now() - start)
            line(String(format: "enqueue, 16 producers: %7.0f jobs/s  = %.2f x disk   [bar: >= 10 x]", multiRate, multiRate / limit))
            if only == "multi" { exit(0) }

            // 3. No-op jobs end to end: every queued job run and its success durably recorded.
            let total = single + 16 * perProducer
            start = now()
            _ = try await engine.service.setPaused(.platformSystem(), queue: "bench", false)
            while true {
                let succeeded = try await engine.database.pool.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE state = 'succeeded'") ?? 0
                }
                if succeeded >= total { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let runRate = Double(total) / (now() - start)
            line(String(format: "no-op jobs end to end: %7.0f jobs/s (%d jobs, completions on disk)   [bar: >= 5000/s]", runRate, total))

            // 4. Outbox event -> handler start, at 1,000 events/s for 10 s, one transaction per event.
            let events = 10_000
            start = now()
            for n in 0..<events {
                let due = start + Double(n) / 1000
                let wait = due - now()
                if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
                try await store.tenantDatabases.write(tenant.id) { db in
                    try Outbox.append(db, topic: "bench.event", payload: SentAt(sentAt: now()))
                }
            }
            let produced = Double(events) / (now() - start)
            while latencies.all.count < events { try await Task.sleep(for: .milliseconds(20)) }
            let ms = latencies.all.map { $0 * 1000 }
            line(String(format: "outbox event -> handler start at %.0f events/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms   [bar: p99 <= 50 ms]",
                        produced, percentile(ms, 0.5), percentile(ms, 0.99), ms.max() ?? 0))
            _ = done.count
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await store.close()
    }
}
