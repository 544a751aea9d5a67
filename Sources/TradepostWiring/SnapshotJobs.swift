import Foundation
import TradepostCore
import TradepostDatabase
import TradepostJobs
import TradepostStore

/// `tradepost restore FILE --tenant T` while the server runs: the CLI copies the archive into
/// `<data>/restore-incoming/` and the server, which owns the tenant's open database, swaps it.
public struct TenantRestoreJob: JobPayload {
    public static let jobType = "tenant.restore"
    public static let folder = "restore-incoming"
    /// A file name inside `<data>/restore-incoming/` (never a path: the job reads nothing else).
    public var archive: String
    /// The tenant (slug or id) the archive must hold.
    public var tenant: String

    public init(archive: String, tenant: String) {
        self.archive = archive
        self.tenant = tenant
    }
}

/// A scheduled snapshot of the whole data dir, taken by the server itself.
public struct ScheduledSnapshot: JobPayload {
    public static let jobType = "snapshot.scheduled"
    public init() {}
}

/// Automatic snapshots through the jobs engine: on `snapshot.schedule` (cron, UTC) and on demand
/// (`tradepost jobs enqueue snapshot.scheduled`), into `snapshot.dir`, keeping `snapshot.keep`,
/// each also uploaded to `snapshot.s3_url` when set.
/// A failure is an ordinary failed job: retried with backoff, then discarded with its error, so it
/// shows in the jobs page and in `tradepost_jobs_*{type="snapshot.scheduled"}` metrics.
public enum SnapshotJobs {
    public struct Settings: Sendable {
        public var dataDir: String
        public var schedule: String
        public var directory: String
        public var keep: Int
        public var version: String
        /// Where each snapshot is also uploaded (snapshot.s3_url), or nil.
        var uploader: SnapshotUploader?

        public init(config: TradepostConfig, version: String) {
            dataDir = config.dataDir
            schedule = config.snapshotSchedule
            directory = config.snapshotDir.isEmpty ? (config.dataDir as NSString).appendingPathComponent("snapshots") : config.snapshotDir
            keep = config.snapshotKeep
            self.version = version
            // The URL was validated with the rest of the configuration.
            if !config.snapshotS3URL.isEmpty, let url = URL(string: config.snapshotS3URL) {
                uploader = SnapshotUploader(base: url, accessKey: config.snapshotS3AccessKey,
                                            secretKey: config.snapshotS3SecretKey, region: config.snapshotS3Region)
            }
        }
    }

    public static let prefix = "tradepost-auto-"

    public static func register(_ registry: JobRegistry, settings: Settings, store: Store) throws {
        registry.queue("snapshots", concurrency: 1)
        registry.register(TenantRestoreJob.self, queue: "snapshots", maxAttempts: 1, timeout: .seconds(6 * 3600), manual: true) { job, _ in
            let folder = (store.dataDir as NSString).appendingPathComponent(TenantRestoreJob.folder)
            guard !job.archive.isEmpty, !job.archive.contains("/"), job.archive != "..", job.archive != "." else {
                throw PermanentJobError("the archive must be a file name in \(TenantRestoreJob.folder)/")
            }
            let path = (folder as NSString).appendingPathComponent(job.archive)
            defer { try? FileManager.default.removeItem(atPath: path) }
            var importer = TenantImporter(archive: path, dataDir: store.dataDir)
            importer.replace = true
            importer.expected = job.tenant
            do {
                _ = try await importer.runLive(tenants: store.tenantDatabases, control: store.control)
            } catch let error as SnapshotError {
                throw PermanentJobError(error.description)
            }
        }
        registry.register(ScheduledSnapshot.self, queue: "snapshots", maxAttempts: 3, timeout: .seconds(6 * 3600), manual: true) { _, _ in
            try await run(settings)
        }
        if !settings.schedule.isEmpty {
            do {
                try registry.schedule("snapshot", cron: settings.schedule, job: ScheduledSnapshot.self) { _ in ScheduledSnapshot() }
            } catch {
                throw AppError.invalidField("snapshot.schedule", "is not a cron expression (\(error))")
            }
        }
    }

    /// Writes one snapshot, uploads it when `snapshot.s3_url` is set, then deletes the oldest
    /// automatic ones past `keep`. Writing is blocking file I/O, so it runs on its own thread, not
    /// on Swift's cooperative pool. A failed upload fails the job (and its retry takes a new one).
    static func run(_ s: Settings) async throws {
        let out = try await write(s)
        if let uploader = s.uploader {
            try await uploader.upload(out, as: (out as NSString).lastPathComponent)
        }
        prune(s.directory, keep: s.keep)
    }

    static func write(_ s: Settings) async throws -> String {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    try FileManager.default.createDirectory(atPath: s.directory, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o750])
                    let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
                    let out = (s.directory as NSString).appendingPathComponent("\(prefix)\(stamp).tar")
                    _ = try SnapshotWriter(dataDir: s.dataDir, version: s.version).write(to: out)
                    return out
                })
            }
        }
    }

    /// Automatic snapshots sort by their UTC time stamp; anything else in the folder is left alone.
    static func prune(_ directory: String, keep: Int) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(".tar") }.sorted()
        for name in names.dropLast(keep) { try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name)) }
    }
}
