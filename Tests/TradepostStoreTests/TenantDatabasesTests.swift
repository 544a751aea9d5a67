import Foundation
import GRDB
import Synchronization
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostStore
import TradepostTestSupport

@Suite("Tenant databases: lazy open, LRU close")
struct TenantDatabasesTests {
    func openFileDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    @Test func aThousandTenantsNeverExhaustFileDescriptors() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-lru-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let databases = try TenantDatabases(dataDir: dir, maxOpen: 64)
        let ids = (0..<1000).map { _ in TenantID(Identifier.make()) }
        for id in ids { try await databases.create(id) }
        let before = openFileDescriptors()

        // Eight workers touch every tenant, writing one row each, in parallel.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for (index, id) in ids.enumerated() where index % 8 == worker {
                        try await databases.write(id) { db in
                            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('touched', ?)", arguments: [index])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(databases.openCount <= 64)
        let grown = openFileDescriptors() - before
        // Each open tenant holds a writer (db, -wal, -shm) and maybe a reader; 64 × 6 is a generous ceiling.
        #expect(grown <= 64 * 6, "file descriptors grew by \(grown)")

        // Every write landed, including in databases that were closed and reopened.
        for id in ids.prefix(50) + ids.suffix(50) {
            let value = try await databases.read(id) { db in
                try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'touched'")
            }
            #expect(value != nil)
        }
        await databases.closeAll()
        #expect(databases.openCount == 0)
    }

    @Test func closingCheckpointsAndTruncatesTheWAL() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-wal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let databases = try TenantDatabases(dataDir: dir, maxOpen: 1)
        let first = TenantID(Identifier.make()), second = TenantID(Identifier.make())
        try await databases.create(first)
        try await databases.create(second)
        try await databases.write(first) { db in
            for i in 0..<200 { try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?)", arguments: ["k\(i)", "v"]) }
        }
        let wal = databases.path(for: first) + "-wal"
        #expect(((try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0) > 0)
        // Opening a second tenant past the limit closes the first.
        _ = try await databases.read(second) { db in try Int.fetchOne(db, sql: "SELECT 1") }
        try await Task.sleep(for: .milliseconds(200))
        #expect(databases.openCount == 1)
        let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(size == 0, "WAL still holds \(size) bytes after close")
        // The 200 rows, beside the file's tenant id and the directory's generation (migration 14).
        #expect(try await databases.read(first) { try Int.fetchOne($0, sql: "SELECT count(*) FROM settings WHERE key LIKE 'k%'") } == 200)
    }

    @Test func idsThatAreNotIdentifiersNeverReachTheFilesystem() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-bad-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let databases = try TenantDatabases(dataDir: dir, maxOpen: 4)
        for bad in ["../control", "../../etc/passwd", "", "01ABCDEFGHJKMNPQRSTVWXYZ01"] {
            await #expect(throws: AppError.self) { try await databases.read(TenantID(bad)) { _ in 1 } }
            await #expect(throws: AppError.self) { try await databases.create(TenantID(bad)) }
        }
        // A well-formed id without a file is a plain not-found, and no file is created.
        let missing = TenantID(Identifier.make())
        await #expect(throws: AppError.self) { try await databases.read(missing) { _ in 1 } }
        #expect(!FileManager.default.fileExists(atPath: databases.path(for: missing)))
    }

    @Test func aFileOfAnotherTenantIsRefused() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-swap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let databases = try TenantDatabases(dataDir: dir, maxOpen: 4)
        let a = TenantID(Identifier.make()), b = TenantID(Identifier.make())
        try await databases.create(a)
        try FileManager.default.copyItem(atPath: databases.path(for: a), toPath: databases.path(for: b))
        // Refused as the domain's 503, with the reason kept for the log.
        let error = await #expect(throws: AppError.self) { try await databases.read(b) { _ in 1 } }
        #expect(error?.code == .unavailable && error?.cause?.contains("belongs to tenant \(a)") == true)
    }

    /// While `exclusive` swaps a tenant's file, no read runs against that tenant, and reads after
    /// it see the new file; reads that were in flight finish first.
    @Test func exclusiveWaitsForUsersBlocksNewOnesAndReopensTheSwappedFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-excl-\(UUID().uuidString)").path
        let dbs = try TenantDatabases(dataDir: dir, maxOpen: 4)
        let id = TenantID(Identifier.make())
        try await dbs.create(id)
        try await dbs.write(id) { try $0.execute(sql: "INSERT INTO settings (key, value) VALUES ('generation', 'old')") }
        // The replacement: a copy of the file with another generation, made while nobody writes.
        let replacement = dir + "/replacement.sqlite"
        try await dbs.withPool(id) { pool in try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
        try FileManager.default.copyItem(atPath: dbs.path(for: id), toPath: replacement)
        let copy = try DatabaseQueue(path: replacement)
        try await copy.write { try $0.execute(sql: "UPDATE settings SET value = 'new' WHERE key = 'generation'") }
        try copy.close()

        final class Flags: Sendable {
            let inBody = Mutex(false)
            let overlapped = Mutex(false)
        }
        let flags = Flags()
        let readers = (0..<8).map { _ in
            Task {
                var seen: [String] = []
                for _ in 0..<40 {
                    let value = try await dbs.read(id) { db -> String in
                        if flags.inBody.withLock({ $0 }) { flags.overlapped.withLock { $0 = true } }
                        return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'generation'") ?? "?"
                    }
                    seen.append(value)
                    try await Task.sleep(for: .milliseconds(2))
                }
                return seen
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        let path = dbs.path(for: id)
        try await dbs.exclusive(id) {
            flags.inBody.withLock { $0 = true }
            defer { flags.inBody.withLock { $0 = false } }
            for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
            guard rename(replacement, path) == 0 else { throw AppError.invalid("rename failed") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        var all: [String] = []
        for reader in readers {
            let seen = try await reader.value
            #expect(seen.drop { $0 == "old" }.allSatisfy { $0 == "new" }, "a read saw the old file after the new one")
            all += seen
        }
        #expect(!flags.overlapped.withLock { $0 })
        #expect(all.contains("old") && all.contains("new"))
        #expect(try await dbs.read(id) { try String.fetchOne($0, sql: "SELECT value FROM settings WHERE key = 'generation'") } == "new")
    }
}
