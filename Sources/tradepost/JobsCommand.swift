import ArgumentParser
import Foundation
import Logging
import TradepostCore
import TradepostHTTP
import TradepostJobs
import TradepostSearch
import TradepostStore
import TradepostWiring

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect and steer background jobs (works while the server runs).",
        discussion: "Jobs live in <data>/jobs.sqlite. A running server notices changes made here within seconds.",
        subcommands: [Stats.self, List.self, Show.self, Retry.self, Discard.self, Cancel.self, Pause.self, Resume.self, Enqueue.self])

    /// Runs `body` with the job service over the data dir's jobs database.
    static func withJobs<T>(_ global: GlobalOptions, _ body: (SQLiteJobService, Store) async throws -> T) async throws -> T {
        let config = try await global.load().config
        var snapshots = SnapshotJobs.Settings(config: config, version: TradepostVersion.current)
        snapshots.schedule = ""  // the server schedules; here the type only needs to be known
        return try await global.withStore { store in
            let registry = JobRegistry()
            try JobWiring.register(registry, config: config, version: TradepostVersion.current, store: store, search: SearchEngine(tenants: store.tenantDatabases), snapshots: snapshots)
            try TestProbe.registerIfAsked(registry)
            let jobs = try SQLiteJobService.standalone(host: JobsHost(store: store), registry: registry, logger: Logger(label: "tradepost-cli"))
            defer { jobs.close() }
            return try await body(jobs, store)
        }
    }

    /// `--tenant T` scopes to one tenant; without it, all jobs.
    struct Scope: ParsableArguments {
        @Option(help: "Only this tenant's jobs (slug or id).") var tenant: String?

        /// The system acting for one tenant (its jobs) or for the platform (all jobs).
        func resolve(_ store: Store) async throws -> Caller {
            guard let tenant else { return .platformSystem(audit: .cli) }
            return .system(try await resolveTenant(store, tenant).id, audit: .cli)
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts by queue and state.",
            discussion: "Examples:\n  tradepost jobs stats\n  tradepost jobs stats --tenant acme --json")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: Scope

        func run() async throws {
            try await runCommand {
                let stats = try await JobsCommand.withJobs(global) { jobs, store in try await jobs.stats(try await scope.resolve(store)) }
                if global.json { return try Output.json(stats) }
                Output.table(["QUEUE", "STATE", "PENDING", "RETRYING", "RUNNING", "SUCCEEDED", "DISCARDED", "CANCELLED", "OLDEST WAIT"],
                             stats.map { [$0.queue, $0.paused ? "paused" : "active", "\($0.pending)", "\($0.retrying)", "\($0.running)",
                                          "\($0.succeeded)", "\($0.discarded)", "\($0.cancelled)", String(format: "%.1fs", $0.oldestWaitingSeconds)] })
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Jobs, newest first.",
            discussion: "Examples:\n  tradepost jobs list --failing\n  tradepost jobs list --state discarded --queue default --limit 20 --json")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var scope: Scope
        @Option(help: "pending, running, succeeded, discarded or cancelled.") var state: JobState?
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "Only this job type.") var type: String?
        @Flag(help: "Only jobs that failed (waiting for a retry, or discarded).") var failing = false
        @Option(help: "How many (1–200).") var limit = 50

        func run() async throws {
            try await runCommand {
                let page = try await JobsCommand.withJobs(global) { jobs, store in
                    try await jobs.jobs(try await scope.resolve(store), filter: JobFilter(state: state, queue: queue, type: type, failing: failing),
                                        page: try PageRequest(limit: String(limit), cursor: nil))
                }
                if global.json { return try Output.json(page.items) }
                Output.table(["ID", "TYPE", "QUEUE", "STATE", "ATTEMPTS", "RUN AT", "LAST ERROR"],
                             page.items.map { ["\($0.id)", $0.type, $0.queue, $0.state.rawValue, "\($0.attempts)/\($0.maxAttempts)",
                                               Output.date($0.runAt), String(($0.lastError ?? "").prefix(60))] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One job with its payload and last error.",
                                                        discussion: "Examples:\n  tradepost jobs show 42 --json")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            try await runCommand {
                let job = try await JobsCommand.withJobs(global) { jobs, _ in try await jobs.job(.platformSystem(audit: .cli), id: id) }
                if global.json { return try Output.json(job) }
                Output.table(["FIELD", "VALUE"], [
                    ["id", "\(job.id)"], ["type", job.type], ["queue", job.queue], ["tenant", job.tenantId?.rawValue ?? "-"],
                    ["state", job.state.rawValue], ["attempts", "\(job.attempts)/\(job.maxAttempts)"], ["priority", "\(job.priority)"],
                    ["run at", Output.date(job.runAt)], ["created", Output.date(job.createdAt)], ["finished", Output.date(job.finishedAt)],
                    ["unique key", job.uniqueKey ?? "-"], ["last error", job.lastError ?? "-"], ["payload", job.payload],
                ])
            }
        }
    }

    /// retry, discard and cancel share their shape.
    static func act(_ global: GlobalOptions, _ id: Int64, _ verb: String,
                    _ action: @escaping (SQLiteJobService, Int64) async throws -> JobRecord) async throws {
        try await runCommand {
            let job = try await withJobs(global) { jobs, _ in try await action(jobs, id) }
            if global.json { return try Output.json(job) }
            Output.line("Job \(job.id) (\(job.type)) \(verb): now \(job.state.rawValue)\(job.cancelRequested ? ", asked to stop" : "")")
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a discarded, cancelled or waiting job again now, with fresh attempts.",
            discussion: "Examples:\n  tradepost jobs retry 42")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64
        func run() async throws { try await JobsCommand.act(global, id, "retried") { try await $0.retry(.platformSystem(audit: .cli), id: $1) } }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give up on a waiting job.", discussion: "Examples:\n  tradepost jobs discard 42")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64
        func run() async throws { try await JobsCommand.act(global, id, "discarded") { try await $0.discard(.platformSystem(audit: .cli), id: $1) } }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a waiting job, or ask a running one to stop.",
                                                        discussion: "Examples:\n  tradepost jobs cancel 42")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: Int64
        func run() async throws { try await JobsCommand.act(global, id, "cancelled") { try await $0.cancel(.platformSystem(audit: .cli), id: $1) } }
    }

    static func setPaused(_ global: GlobalOptions, _ queue: String, _ paused: Bool) async throws {
        try await runCommand {
            let stats = try await withJobs(global) { jobs, _ in try await jobs.setPaused(.platformSystem(audit: .cli), queue: queue, paused) }
            if global.json { return try Output.json(stats) }
            Output.line("Queue \(stats.queue) is \(stats.paused ? "paused" : "running") (\(stats.pending) pending, \(stats.running) running)")
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop handing out a queue's jobs; running ones finish.", discussion: "Examples:\n  tradepost jobs pause default")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The queue.") var queue: String
        func run() async throws { try await JobsCommand.setPaused(global, queue, true) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused queue.", discussion: "Examples:\n  tradepost jobs resume default")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The queue.") var queue: String
        func run() async throws { try await JobsCommand.setPaused(global, queue, false) }
    }

    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a job of a type that may be run by hand.",
            discussion: """
                Examples:
                  tradepost jobs enqueue tenant.maintenance --tenant acme
                  tradepost jobs enqueue auth.cleanup --delay 3600 --json
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job type.") var type: String
        @Option(help: "The payload as a JSON object.") var payload = "{}"
        @Option(help: "The tenant it runs for (slug or id).") var tenant: String?
        @Option(help: "Seconds to wait before it runs.") var delay: Double = 0
        @Option(help: "Higher runs first.") var priority: Int?
        @Option(help: "A second enqueue with this key is a no-op while the first is waiting or running.") var uniqueKey: String?

        func run() async throws {
            try await runCommand {
                let job = try await JobsCommand.withJobs(global) { jobs, store in
                    var tenantID: TenantID?
                    if let tenant { tenantID = try await resolveTenant(store, tenant).id }
                    return try await jobs.enqueue(.platformSystem(audit: .cli), ManualJob(type: type, payload: payload, tenant: tenantID, priority: priority,
                                                            delay: delay, uniqueKey: uniqueKey))
                }
                if global.json { return try Output.json(job) }
                Output.line("Queued job \(job.id) (\(job.type)) on \(job.queue), runs at \(Output.date(job.runAt))")
            }
        }
    }
}

extension JobState: ExpressibleByArgument {}
