import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase

/// The short reads made on every request run on read-only connections of their own
/// (`QuickReaders`), beside GRDB's pool: they must see every commit, never write, and follow the
/// file when a restore replaces it.
@Suite("Tenant databases: quick readers")
struct QuickReadersTests {
    func databases(readers: Int = 2) async throws -> (TenantDatabases, TenantID, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-quick-\(UUID().uuidString)").path
        let databases = try TenantDatabases(dataDir: dir, maxOpen: 4, readersPerTenant: readers)
        let id = TenantID(Identifier.make())
        try await databases.create(id)
        return (databases, id, dir)
    }

    func counter(_ databases: TenantDatabases, _ id: TenantID, oneStatement: Bool) async throws -> Int? {
        let body: @Sendable (Database) throws -> Int? = { db in
            try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'counter'")
        }
        return oneStatement ? try await databases.readOneStatement(id, body) : try await databases.read(id, body)
    }

    func setCounter(_ databases: TenantDatabases, _ id: TenantID, _ value: Int) async throws {
        try await databases.write(id) { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('counter', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           arguments: [String(value)])
        }
    }

    @Test func everyReadSeesEveryWriteCommittedBeforeIt() async throws {
        let (databases, id, dir) = try await databases()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for value in 1...50 {
            try await setCounter(databases, id, value)
            #expect(try await counter(databases, id, oneStatement: true) == value)
            #expect(try await counter(databases, id, oneStatement: false) == value)
        }
        // Readers racing a writer never see a value go back, and see the last one once it is written.
        let (writer, readers) = (Task { for value in 51...400 { try await setCounter(databases, id, value) } }, (0..<4).map { index in
            Task { () -> Bool in
                var last = 0
                for _ in 0..<300 {
                    let seen = try await counter(databases, id, oneStatement: index % 2 == 0) ?? 0
                    if seen < last { return false }
                    last = seen
                }
                return true
            }
        })
        try await writer.value
        for reader in readers { #expect(try await reader.value) }
        #expect(try await counter(databases, id, oneStatement: true) == 400)
        await databases.closeAll()
    }

    @Test func aReadCannotWrite() async throws {
        let (databases, id, dir) = try await databases()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        await #expect(throws: DatabaseError.self) {
            try await databases.read(id) { db in try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('sneaky', '1')") }
        }
        await #expect(throws: DatabaseError.self) {
            try await databases.readOneStatement(id) { db in try db.execute(sql: "DELETE FROM settings") }
        }
        let tenant = try await databases.read(id) { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'tenant_id'") }
        #expect(tenant == id.rawValue)
        #expect(try await databases.read(id) { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM settings WHERE key = 'sneaky'") } == 0)
        await databases.closeAll()
    }

    @Test func moreConcurrentReadsThanQuickReadersAllSucceed() async throws {
        let (databases, id, dir) = try await databases(readers: 1)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await setCounter(databases, id, 7)
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<16 { group.addTask { try await counter(databases, id, oneStatement: index % 2 == 0) } }
            for try await value in group { #expect(value == 7) }
        }
        await databases.closeAll()
    }

    @Test func aFileReplacedWhileExclusiveIsWhatTheNextReadSees() async throws {
        let (databases, id, dir) = try await databases()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await setCounter(databases, id, 1)
        #expect(try await counter(databases, id, oneStatement: true) == 1)  // a quick reader is open on the old file
        let path = databases.path(for: id)
        let copy = dir + "/copy.sqlite"
        try await databases.exclusive(id) {
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let queue = try DatabaseQueue(path: copy)
            try queue.write { db in try db.execute(sql: "UPDATE settings SET value = '2' WHERE key = 'counter'") }
            try queue.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FileManager.default.moveItem(atPath: copy, toPath: path)
        }
        #expect(try await counter(databases, id, oneStatement: true) == 2)
        #expect(try await counter(databases, id, oneStatement: false) == 2)
        #expect(!filesOpen(under: dir).isEmpty)
        await databases.closeAll()
        // Nothing still holds the replaced file (or the new one) open.
        #expect(filesOpen(under: dir).isEmpty, "\(filesOpen(under: dir))")
    }

    func filesOpen(under dir: String) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }.filter { $0.hasPrefix(dir) }
    }
}
