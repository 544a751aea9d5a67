import Foundation
import Logging
import TradepostCore

/// A job's payload: a Codable value with the job type's name.
public protocol JobPayload: Codable, Sendable {
    /// e.g. "search.reindex". Stored with the job; renaming it orphans queued jobs.
    static var jobType: String { get }
}

/// What a running job knows about itself.
public struct JobContext: Sendable {
    public let jobID: Int64
    public let tenant: TenantID?
    /// 1 for the first attempt.
    public let attempt: Int
    public let logger: Logger
}

/// Thrown by a handler to give up at once: no retries (bad payload, a thing that no longer exists).
public struct PermanentJobError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Thrown by a handler that knows when it should run again (a `Retry-After`, a webhook's schedule,
/// quiet hours): the job is retried after `delay` instead of its type's backoff, while attempts remain.
public struct RetryLater: Error, CustomStringConvertible {
    public let delay: TimeInterval
    public let description: String
    public init(after delay: TimeInterval, _ description: String) {
        self.delay = max(0, delay)
        self.description = description
    }
}

/// Exponential backoff with full jitter between half and all of the step, capped.
public struct Backoff: Sendable, Equatable {
    public var base: Duration
    public var maximum: Duration

    public init(base: Duration = .seconds(2), maximum: Duration = .seconds(3600)) {
        self.base = base
        self.maximum = maximum
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failures (1-based), before jitter.
    public func step(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let seconds = base.seconds * pow(2, Double(exponent))
        return .seconds(min(seconds, maximum.seconds))
    }

    public func delay<R: RandomNumberGenerator>(afterAttempt attempt: Int, using random: inout R) -> Duration {
        let step = self.step(afterAttempt: attempt).seconds
        return .seconds(step * Double.random(in: 0.5...1.0, using: &random))
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Every job type, queue, outbox subscription and schedule, registered in one place before the
/// engine starts (see `TradepostJobs.registerBuiltins` and the app's own registrations).
public final class JobRegistry: @unchecked Sendable {
    public struct Queue: Sendable {
        public let name: String
        public let concurrency: Int
    }

    public struct JobType: Sendable {
        public let name: String
        public let queue: String
        public let maxAttempts: Int
        public let timeout: Duration
        public let backoff: Backoff
        public let priority: Int
        /// Admins may enqueue it by hand (API, CLI).
        public let manual: Bool
        let validate: @Sendable (Data) throws -> Void
        let run: @Sendable (Data, JobContext) async throws -> Void
    }

    /// An outbox topic turned into jobs: one job per subscription per event.
    public struct Subscription: Sendable {
        public let name: String
        public let topic: String
        public let jobType: String
        let makePayload: @Sendable (OutboxEvent) throws -> Data?
        /// Run by the dispatcher itself, before any job: a subscription whose handler is quick and
        /// idempotent skips the engine's two commits. When it throws, the job is made as usual.
        let inline: (@Sendable (OutboxEvent) async throws -> Void)?
    }

    public enum Zone: Sendable, Equatable {
        case utc
        case named(String)
        /// Once per active tenant, in that tenant's time zone.
        case eachTenant
    }

    public struct Schedule: Sendable {
        public let name: String
        public let cron: CronExpression
        public let zone: Zone
        public let jobType: String
        let makePayload: @Sendable (TenantID?) throws -> Data
    }

    public private(set) var queues: [String: Queue] = [:]
    public private(set) var types: [String: JobType] = [:]
    public private(set) var subscriptions: [Subscription] = []
    public private(set) var schedules: [Schedule] = []
    private var frozen = false
    /// Told when a tenant's job is given up for good (its last attempt failed, or it failed
    /// permanently): the domain raises its tenant's `job.failed` event, so admins hear of it.
    public private(set) var onDiscard: (@Sendable (_ tenant: TenantID, _ jobID: Int64, _ type: String, _ error: String) -> Void)?

    public func whenDiscarded(_ handler: @escaping @Sendable (_ tenant: TenantID, _ jobID: Int64, _ type: String, _ error: String) -> Void) {
        precondition(!frozen, "register before the engine starts")
        onDiscard = handler
    }

    /// Payload JSON as the types spell their keys (declare snake_case CodingKeys where it matters):
    /// no key conversion or sorting, which would cost every enqueue.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    public init() {
        queue("default", concurrency: 4)
    }

    /// A named queue; its jobs run at most `concurrency` at a time.
    public func queue(_ name: String, concurrency: Int) {
        precondition(!frozen, "register before the engine starts")
        queues[name] = Queue(name: name, concurrency: max(1, concurrency))
    }

    public func register<P: JobPayload>(
        _ type: P.Type, queue: String = "default", maxAttempts: Int = 10, timeout: Duration = .seconds(60),
        backoff: Backoff = Backoff(), priority: Int = 0, manual: Bool = false,
        run: @escaping @Sendable (P, JobContext) async throws -> Void
    ) {
        precondition(!frozen, "register before the engine starts")
        precondition(queues[queue] != nil, "unknown queue \(queue)")
        precondition(types[P.jobType] == nil, "job type \(P.jobType) registered twice")
        types[P.jobType] = JobType(
            name: P.jobType, queue: queue, maxAttempts: max(1, maxAttempts), timeout: timeout, backoff: backoff,
            priority: priority, manual: manual,
            validate: { data in _ = try Self.decoder.decode(P.self, from: data) },
            run: { data, context in
                let payload: P
                do { payload = try Self.decoder.decode(P.self, from: data) } catch {
                    throw PermanentJobError("the payload does not decode as \(P.jobType): \(error)")
                }
                try await run(payload, context)
            })
    }

    /// Turns every event of `topic` ("*" for all) into a job of type `P`; `payload` returns nil to skip an event.
    public func subscribe<P: JobPayload>(
        _ name: String, topic: String, job: P.Type, payload: @escaping @Sendable (OutboxEvent) throws -> P?
    ) {
        precondition(!frozen, "register before the engine starts")
        precondition(types[P.jobType] != nil, "register \(P.jobType) before subscribing it")
        subscriptions.append(Subscription(name: name, topic: topic, jobType: P.jobType, makePayload: { event in
            try payload(event).map { try Self.encoder.encode($0) }
        }, inline: nil))
    }

    /// Like `subscribe`, but the dispatcher first runs `inline` with the event itself (for handlers on
    /// the path people wait on: a notification to push); only if that fails does the event become a
    /// job of type `P`, which must do the same, idempotently.
    public func subscribeInline<P: JobPayload>(
        _ name: String, topic: String, job: P.Type, payload: @escaping @Sendable (OutboxEvent) throws -> P?,
        inline: @escaping @Sendable (OutboxEvent) async throws -> Void
    ) {
        precondition(!frozen, "register before the engine starts")
        precondition(types[P.jobType] != nil, "register \(P.jobType) before subscribing it")
        subscriptions.append(Subscription(name: name, topic: topic, jobType: P.jobType, makePayload: { event in
            try payload(event).map { try Self.encoder.encode($0) }
        }, inline: inline))
    }

    /// A recurring job. `cron` is a five-field expression or @hourly, @daily, @weekly, @monthly, @yearly.
    public func schedule<P: JobPayload>(
        _ name: String, cron: String, zone: Zone = .utc, job: P.Type, payload: @escaping @Sendable (TenantID?) -> P
    ) throws {
        precondition(!frozen, "register before the engine starts")
        precondition(types[P.jobType] != nil, "register \(P.jobType) before scheduling it")
        let expression = try CronExpression(cron)
        schedules.append(Schedule(name: name, cron: expression, zone: zone, jobType: P.jobType) { tenant in
            try Self.encoder.encode(payload(tenant))
        })
    }

    func freeze() { frozen = true }

    func subscriptions(for topic: String) -> [Subscription] {
        subscriptions.filter { $0.topic == topic || $0.topic == "*" }
    }

    /// Encodes a typed payload for storage.
    static func encode<P: JobPayload>(_ payload: P) throws -> String {
        String(decoding: try encoder.encode(payload), as: UTF8.self)
    }
}
