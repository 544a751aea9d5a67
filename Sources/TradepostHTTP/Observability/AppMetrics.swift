import Foundation
import Prometheus
import Synchronization
import TradepostCore

/// The server's Prometheus metrics, on a registry passed in (no global state, so tests can build
/// several applications in one process). Gauges that describe the process are sampled at scrape.
public final class AppMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let openTenants: Gauge
    private let residentMemory: Gauge
    private let busyErrors: Counter
    private let busySeen = Mutex<Int>(0)
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    private let requestCounters = Mutex<[String: Counter]>([:])
    private let latencyHistograms = Mutex<[String: DurationHistogram]>([:])

    static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tradepost", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests by route and status") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "tradepost", subsystem: "http", metricName: "request_duration", unitName: "seconds",
        helpText: "HTTP request latency by route") }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        openTenants = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "tradepost", metricName: "tenant_databases", unitName: "open", helpText: "Tenant databases open now"))
        residentMemory = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory size in bytes"))
        busyErrors = registry.makeCounter(descriptor: MetricNameDescriptor(
            namespace: "tradepost", subsystem: "sqlite", metricName: "busy_errors", unitName: "total",
            helpText: "SQLite busy or locked errors seen by requests"))
    }

    /// Counters and histograms are made once per label set and kept (the registry would hand back
    /// the same ones, after building their label keys on every request).
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let key = "\(method) \(route) \(status)"
        let counter = requestCounters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))])
            cache[key] = counter
            return counter
        }
        counter.increment()
        let histogram = latencyHistograms.withLock { cache in
            if let histogram = cache[route] { return histogram }
            let histogram = registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: Self.latencyBuckets)
            cache[route] = histogram
            return histogram
        }
        histogram.recordNanoseconds(duration.nanoseconds)
    }

    private let inboxHistograms = Mutex<[String: DurationHistogram]>([:])
    static let inboxBuckets: [Duration] = [.seconds(15), .seconds(30), .seconds(60), .seconds(120), .seconds(300), .seconds(900), .seconds(1800),
                                           .seconds(3600), .seconds(7200), .seconds(14400), .seconds(28800), .seconds(86400), .seconds(259200)]

    /// An inbox conversation's first reply (`first_response`) or resolution (`resolution`), seconds
    /// from its start, by channel kind. Per agent they are in `GET /inbox/measures` (agents as
    /// labels would grow without bound).
    func recordInbox(_ measure: String, channel: String, seconds: Double) {
        let key = measure + " " + channel
        let histogram = inboxHistograms.withLock { cache in
            if let histogram = cache[key] { return histogram }
            let histogram = registry.makeDurationHistogram(descriptor: MetricNameDescriptor(
                namespace: "tradepost", subsystem: "inbox", metricName: measure, unitName: "seconds",
                helpText: measure == "first_response" ? "Inbox conversations: start to first reply" : "Inbox conversations: start to resolved"),
                labels: [("channel", channel)], buckets: Self.inboxBuckets)
            cache[key] = histogram
            return histogram
        }
        histogram.recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    private let queueGauges = Mutex<[String: (depth: Gauge, oldest: Gauge, running: Gauge)]>([:])

    /// Samples the gauges and renders the registry in Prometheus text format.
    func render(store: any SystemStatus, jobs: any JobService) async -> [UInt8] {
        if let stats = try? await jobs.stats(.platformSystem()) {
            for queue in stats {
                let gauges = queueGauges.withLock { cache in
                    if let gauges = cache[queue.queue] { return gauges }
                    func gauge(_ name: String, _ unit: String, _ help: String) -> Gauge {
                        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "tradepost", subsystem: "jobs", metricName: name,
                                                                            unitName: unit, helpText: help),
                                           labels: [("queue", queue.queue)])
                    }
                    let made = (gauge("queue", "depth", "Pending jobs by queue"),
                                gauge("oldest_waiting", "seconds", "Age of the oldest due job waiting in the queue"),
                                gauge("running", "", "Jobs running now by queue"))
                    cache[queue.queue] = made
                    return made
                }
                gauges.depth.set(Int64(queue.pending))
                gauges.oldest.set(queue.oldestWaitingSeconds)
                gauges.running.set(Int64(queue.running))
            }
        }
        openTenants.set(Int64(store.openTenantDatabases))
        residentMemory.set(Int64(ProcessStats.residentMemoryBytes()))
        let busy = store.busyErrors
        let delta = busySeen.withLock { seen in
            defer { seen = busy }
            return busy - seen
        }
        if delta > 0 { busyErrors.increment(by: Int64(delta)) }
        return registry.emitToBuffer()
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
    var milliseconds: Double { Double(nanoseconds) / 1e6 }
}
