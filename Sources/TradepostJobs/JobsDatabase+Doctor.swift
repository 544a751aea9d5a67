import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

extension JobsDatabase {
    /// `tradepost doctor`'s view of the queue, read-only: jobs whose lease ran out long ago (stuck:
    /// nobody will finish them until a server runs), jobs overdue in a queue that is not paused
    /// (no server, or workers saturated), and discarded jobs waiting for a decision.
    public static func doctor(dataDir: String, now: Date = Date(), serverRunning: Bool) -> [DoctorFinding] {
        let path = (dataDir as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        do {
            let db = try DatabaseQueue(path: path, configuration: config)
            defer { try? db.close() }
            let t = now.timeIntervalSince1970
            let (stuck, overdue, discarded) = try db.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND lease_until < ?", arguments: [t - 300]) ?? 0,
                 try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM jobs WHERE state = 'pending' AND run_at < ?
                    AND queue NOT IN (SELECT queue FROM queue_settings WHERE paused = 1)
                    """, arguments: [t - 600]) ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM jobs WHERE state = 'discarded'") ?? 0)
            }
            var out: [DoctorFinding] = []
            if stuck > 0 {
                out.append(.init("jobs", .warning, "\(stuck) job(s) still marked running although their lease ran out over 5 minutes ago",
                                 fix: serverRunning ? "tradepost jobs list --state running; a running server retries them, so check its log"
                                                    : "start the server: it retries jobs whose lease ran out"))
            }
            if overdue > 0 {
                out.append(.init("jobs", .warning, "\(overdue) job(s) waiting more than 10 minutes past their time",
                                 fix: serverRunning ? "tradepost jobs stats: a queue may be saturated or a handler slow" : "start the server"))
            }
            if discarded > 0 {
                out.append(.init("jobs", .warning, "\(discarded) discarded job(s) keep their last error",
                                 fix: "tradepost jobs list --state discarded, then retry or discard each"))
            }
            return out.isEmpty ? [.init("jobs", .ok, "no stuck, overdue or discarded jobs")] : out
        } catch {
            return [.init("jobs", .error, "jobs.sqlite cannot be read: \(error)", fix: "check its owner and mode")]
        }
    }
}
