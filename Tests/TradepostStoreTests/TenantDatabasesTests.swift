import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore

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
        #expect(try await databases.read(first) { try Int.fetchOne($0, sql: "SELECT count(*) FROM settings") } == 201)
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
        await #expect(throws: MigrationError.self) { try await databases.read(b) { _ in 1 } }
    }
}
