import Foundation
import Prometheus
import Synchronization
import TradepostCore

/// Feeds the jobs engine's events into Prometheus metrics and the live hub.
final class JobsTelemetry: JobObserver {
    private let registry: PrometheusCollectorRegistry
    private let hub: Mutex<LiveHub?> = Mutex(nil)
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: DurationHistogram]>([:])
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
        .seconds(30), .seconds(120), .seconds(600),
    ]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func attach(_ hub: LiveHub) { self.hub.withLock { $0 = hub } }

    private func counter(_ event: String, queue: String, type: String) -> Counter {
        let key = "\(event)|\(queue)|\(type)"
        return counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: MetricNameDescriptor(namespace: "tradepost", subsystem: "jobs", metricName: event, unitName: "total",
                                                 helpText: "Jobs \(event), by queue and type"),
                labels: [("queue", queue), ("type", type)])
            cache[key] = counter
            return counter
        }
    }

    func enqueued(queue: String, type: String, count: Int) { counter("enqueued", queue: queue, type: type).increment(by: Int64(count)) }
    func started(queue: String, type: String) { counter("started", queue: queue, type: type).increment() }

    func finished(queue: String, type: String, outcome: JobOutcome, duration: Duration) {
        counter(outcome == .released ? "released" : outcome.rawValue, queue: queue, type: type).increment()
        if outcome == .discarded { counter("failed", queue: queue, type: type).increment() }
        let key = "\(queue)|\(type)"
        let histogram = histograms.withLock { cache in
            if let histogram = cache[key] { return histogram }
            let histogram = registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(namespace: "tradepost", subsystem: "jobs", metricName: "run_duration", unitName: "seconds",
                                                 helpText: "How long job attempts ran"),
                labels: [("queue", queue), ("type", type)], buckets: Self.buckets)
            cache[key] = histogram
            return histogram
        }
        histogram.recordNanoseconds(duration.nanoseconds)
    }

    func changed(tenant: TenantID?) {
        hub.withLock { $0 }?.jobsChanged(tenant: tenant)
    }
}
