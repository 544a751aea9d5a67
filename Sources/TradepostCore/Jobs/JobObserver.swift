/// Hears what the engine does, for metrics and live updates. Called on engine threads: keep it cheap.
public protocol JobObserver: Sendable {
    func enqueued(queue: String, type: String, count: Int)
    func started(queue: String, type: String)
    func finished(queue: String, type: String, outcome: JobOutcome, duration: Duration)
    /// Some job changed state (the jobs page refreshes); `tenant` is nil for platform jobs.
    func changed(tenant: TenantID?)
}

public enum JobOutcome: String, Sendable {
    case succeeded
    /// The attempt failed and the job will be retried.
    case failed
    case discarded
    case cancelled
    /// Interrupted by shutdown and put back.
    case released
}

/// Observes nothing.
public struct NoJobObserver: JobObserver {
    public init() {}
    public func enqueued(queue: String, type: String, count: Int) {}
    public func started(queue: String, type: String) {}
    public func finished(queue: String, type: String, outcome: JobOutcome, duration: Duration) {}
    public func changed(tenant: TenantID?) {}
}
