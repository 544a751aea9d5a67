import Foundation
import GRDB
import Testing
import TradepostDatabase
@testable import TradepostJobs
import TradepostStore

@Suite("Jobs database migrations")
struct JobsMigrationTests {
    /// Shipped migrations must never change: add a new one instead, and pin its checksum here.
    static let shipped: [Int: String] = [
        1: "14d59f62beaeaf21f0aaa40262ad0e7f8774cd3a3982de9b62d9058f601810a7",
        2: "0cae748b1342512cb3391c476c64a43a0f1f6845a035161dda59f0dd45cc7b67",
    ]

    @Test func shippedMigrationsAreUnchanged() {
        for migration in JobsMigrations.migrator.migrations {
            #expect(Self.shipped[migration.version] == migration.checksum, "jobs migration \(migration.version) changed or is not pinned")
        }
    }

    /// Migration 2 rebuilds `jobs`: a version-1 file keeps its jobs, indexes and the state check.
    @Test func rebuildingJobsKeepsRowsIndexesAndCheck() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-jobs-mig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pool = try SQLiteFiles.openPool(path: dir + "/jobs.sqlite", label: "jobs", readers: 1)
        try Migrator(schema: "jobs", migrations: [JobsMigrations.migrator.migrations[0]]).migrate(pool)
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO jobs (id, type, queue, payload, state, max_attempts, timeout_ms, run_at, unique_key, created_at)
                VALUES (7, 't', 'q', '{}', 'pending', 3, 1000, 1, 'k', 1), (8, 't', 'q', '{}', 'succeeded', 3, 1000, 1, NULL, 1)
                """)
        }
        #expect(try JobsMigrations.migrator.migrate(pool) == [2])
        try pool.write { db in
            #expect(try Int.fetchAll(db, sql: "SELECT id FROM jobs ORDER BY id") == [7, 8])
            let indexes = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs' AND sql IS NOT NULL ORDER BY name")
            #expect(indexes == ["jobs_by_tenant", "jobs_dedup", "jobs_due", "jobs_finished", "jobs_leases", "jobs_unique_live"])
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO jobs (type, queue, payload, state, max_attempts, timeout_ms, run_at, created_at) VALUES ('t', 'q', '{}', 'bogus', 3, 1000, 1, 1)")
            }
            #expect(throws: DatabaseError.self) {  // the live unique key still holds
                try db.execute(sql: "INSERT INTO jobs (type, queue, payload, state, max_attempts, timeout_ms, run_at, unique_key, created_at) VALUES ('t', 'q', '{}', 'running', 3, 1000, 1, 'k', 1)")
            }
        }
        SQLiteFiles.checkpointAndClose(pool)
    }
}
