import Foundation

/// Where a job is in its life. A failed attempt goes back to `pending` with a later `runAt` and
/// its error kept, until its attempts run out: then it is `discarded` (the dead state).
public enum JobState: String, Codable, Sendable, CaseIterable {
    case pending, running, succeeded, discarded, cancelled

    public var isFinished: Bool { self == .succeeded || self == .discarded || self == .cancelled }
}

/// A job as stored, for the jobs page, the CLI and the API.
public struct JobRecord: Codable, Sendable, Equatable {
    public var id: Int64
    public var type: String
    public var queue: String
    public var tenantId: TenantID?
    public var state: JobState
    public var priority: Int
    public var attempts: Int
    public var maxAttempts: Int
    public var runAt: Date
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var lastError: String?
    public var uniqueKey: String?
    public var cancelRequested: Bool
    /// The payload as JSON text.
    public var payload: String

    public init(
        id: Int64, type: String, queue: String, tenantId: TenantID?, state: JobState, priority: Int, attempts: Int,
        maxAttempts: Int, runAt: Date, createdAt: Date, startedAt: Date?, finishedAt: Date?, lastError: String?,
        uniqueKey: String?, cancelRequested: Bool, payload: String
    ) {
        self.id = id
        self.type = type
        self.queue = queue
        self.tenantId = tenantId
        self.state = state
        self.priority = priority
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.lastError = lastError
        self.uniqueKey = uniqueKey
        self.cancelRequested = cancelRequested
        self.payload = payload
    }
}

/// Counts for one queue. Finished counts are all-time totals: they survive pruning.
public struct QueueStats: Codable, Sendable, Equatable {
    public var queue: String
    public var paused: Bool
    public var concurrency: Int
    public var pending: Int
    /// Pending jobs that already failed at least once (waiting for a retry).
    public var retrying: Int
    public var running: Int
    public var succeeded: Int
    public var discarded: Int
    public var cancelled: Int
    /// Seconds the oldest due pending job has waited, 0 when none is waiting.
    public var oldestWaitingSeconds: Double

    public init(queue: String, paused: Bool, concurrency: Int, pending: Int = 0, retrying: Int = 0, running: Int = 0,
                succeeded: Int = 0, discarded: Int = 0, cancelled: Int = 0, oldestWaitingSeconds: Double = 0) {
        self.queue = queue
        self.paused = paused
        self.concurrency = concurrency
        self.pending = pending
        self.retrying = retrying
        self.running = running
        self.succeeded = succeeded
        self.discarded = discarded
        self.cancelled = cancelled
        self.oldestWaitingSeconds = oldestWaitingSeconds
    }
}

public struct JobFilter: Sendable, Equatable {
    public var state: JobState?
    public var queue: String?
    public var type: String?
    /// Only jobs that failed at least once (pending retries and discarded jobs).
    public var failing: Bool

    public init(state: JobState? = nil, queue: String? = nil, type: String? = nil, failing: Bool = false) {
        self.state = state
        self.queue = queue
        self.type = type
        self.failing = failing
    }
}

/// Which jobs a caller may see: all of them (platform admin, CLI) or one tenant's.
public enum JobScope: Sendable, Equatable {
    case all
    case tenant(TenantID)

    public var tenant: TenantID? {
        if case .tenant(let id) = self { return id }
        return nil
    }
}

/// A request to run a registered job type now or later (admin "run now", the CLI, tests).
public struct ManualJob: Sendable {
    public var type: String
    /// JSON text of the payload; decoded and checked against the type before anything is stored.
    public var payload: String
    public var tenant: TenantID?
    public var priority: Int?
    public var delay: TimeInterval
    public var uniqueKey: String?

    public init(type: String, payload: String = "{}", tenant: TenantID? = nil, priority: Int? = nil, delay: TimeInterval = 0, uniqueKey: String? = nil) {
        self.type = type
        self.payload = payload
        self.tenant = tenant
        self.priority = priority
        self.delay = delay
        self.uniqueKey = uniqueKey
    }
}

/// Inspecting and steering the job queue.
public protocol JobService: Sendable {
    /// Per-queue counts of the jobs the caller sees (`jobs.read`: all of them for a platform admin,
    /// their tenant's for a tenant admin). Throws `.forbidden`.
    func stats(_ caller: Caller) async throws -> [QueueStats]

    /// Jobs the caller sees, newest first. Throws `.forbidden`, `.invalid` for a bad cursor.
    func jobs(_ caller: Caller, filter: JobFilter, page: PageRequest) async throws -> Page<JobRecord>

    /// Throws `.forbidden`, `.notFound` (also for a job the caller does not see).
    func job(_ caller: Caller, id: Int64) async throws -> JobRecord

    /// Runs a discarded, cancelled or waiting job again now, with a fresh set of attempts (`jobs.manage`).
    /// Throws `.forbidden`, `.notFound`, or `.conflict` when it is running or succeeded.
    func retry(_ caller: Caller, id: Int64) async throws -> JobRecord

    /// Gives up on a pending job (it becomes discarded; `jobs.manage`). Throws `.forbidden`, `.notFound` or `.conflict`.
    func discard(_ caller: Caller, id: Int64) async throws -> JobRecord

    /// Cancels a pending job at once, or asks a running one to stop (`jobs.manage`).
    /// Throws `.forbidden`, `.notFound` or `.conflict`.
    func cancel(_ caller: Caller, id: Int64) async throws -> JobRecord

    /// Stops (or restarts) handing out a queue's jobs; running ones finish (`queues.manage`, platform
    /// admins). Throws `.forbidden`, `.notFound` (no such queue).
    func setPaused(_ caller: Caller, queue: String, _ paused: Bool) async throws -> QueueStats

    /// Enqueues a registered job type that allows it (`queues.manage`). Throws `.forbidden` (also
    /// when the type cannot be run by hand) or `.invalid` (unknown type, bad payload). Returns once
    /// the job is durably stored.
    func enqueue(_ caller: Caller, _ job: ManualJob) async throws -> JobRecord
}
