import Foundation
import Prometheus
import Synchronization
import TradepostStore

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

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        openTenants = registry.makeGauge(name: "tradepost_tenant_databases_open", help: "Tenant databases open now")
        residentMemory = registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory size in bytes")
        busyErrors = registry.makeCounter(name: "tradepost_sqlite_busy_errors_total", help: "SQLite busy or locked errors seen by requests")
    }

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "tradepost_http_requests_total",
            labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests by route and status"
        ).increment()
        registry.makeDurationHistogram(
            name: "tradepost_http_request_duration_seconds", labels: [("route", route)], buckets: Self.latencyBuckets,
            help: "HTTP request latency by route"
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Samples the gauges and renders the registry in Prometheus text format.
    func render(store: Store) async -> [UInt8] {
        openTenants.set(Int64(store.tenantDatabases.openCount))
        residentMemory.set(Int64(ProcessStats.residentMemoryBytes()))
        let busy = store.stats.busyErrors
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
