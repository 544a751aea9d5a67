import Foundation
import GRDB
import TradepostCore

/// One SQLite file per tenant (`tenants/<id>.sqlite`), opened on first use and closed
/// least-recently-used past `maxOpen`, so a thousand tenants never exhaust file descriptors.
///
/// A pool is lent out for the length of one operation (`withPool`); only pools nobody is using
/// are closed, after a `checkpoint(TRUNCATE)`. Opening and closing happen off the actor so one
/// slow tenant never holds up the others.
public actor TenantDatabases {
    public nonisolated let directory: String
    public nonisolated let maxOpen: Int
    private let readersPerTenant: Int

    private enum State {
        case opening(Task<DatabasePool, any Error>)
        case open(DatabasePool)
        case closing(Task<Void, Never>)
    }
    private struct Entry {
        var state: State
        var leases = 0
        var lastUsed: UInt64 = 0
    }
    private var entries: [TenantID: Entry] = [:]
    private var tick: UInt64 = 0

    public init(dataDir: String, maxOpen: Int, readersPerTenant: Int = 2) throws {
        directory = (dataDir as NSString).appendingPathComponent("tenants")
        self.maxOpen = max(1, maxOpen)
        self.readersPerTenant = readersPerTenant
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public nonisolated func path(for id: TenantID) -> String {
        (directory as NSString).appendingPathComponent("\(id.rawValue).sqlite")
    }

    /// Number of tenant databases open right now (for metrics).
    public var openCount: Int {
        entries.values.filter { if case .closing = $0.state { false } else { true } }.count
    }

    /// Creates and migrates a new tenant's file, stamping the tenant id into it.
    /// Throws `.conflict` when the file already exists.
    public nonisolated func create(_ id: TenantID) async throws {
        guard Identifier.isValid(id.rawValue) else { throw AppError.invalidField("id", "is not a valid tenant id") }
        let path = path(for: id)
        guard !FileManager.default.fileExists(atPath: path) else {
            throw AppError.conflict("A database for tenant \(id) already exists")
        }
        let readers = readersPerTenant
        try await Task.detached {
            let pool = try DatabaseOpener.openPool(path: path, label: "tenant-\(id)", readers: readers)
            defer { pool.checkpointAndClose() }
            try TenantMigrations.migrator.migrate(pool)
            try pool.write { db in
                try db.execute(sql: "INSERT INTO settings (key, value) VALUES ('tenant_id', ?)", arguments: [id.rawValue])
            }
        }.value
    }

    /// Removes a tenant's file (and its WAL) after closing it. Used to undo a failed creation.
    public func remove(_ id: TenantID) async {
        await closeNow(id)
        let path = path(for: id)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Runs `body` with the tenant's pool, which stays open until `body` returns.
    /// Throws `.notFound` when the tenant has no database file.
    public nonisolated func withPool<T>(_ id: TenantID, _ body: (DatabasePool) async throws -> T) async throws -> T {
        let pool = try await acquire(id)
        do {
            let result = try await body(pool)
            await release(id)
            return result
        } catch {
            await release(id)
            throw error
        }
    }

    public nonisolated func read<T: Sendable>(_ id: TenantID, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withPool(id) { try await $0.read(body) }
    }

    public nonisolated func write<T: Sendable>(_ id: TenantID, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withPool(id) { try await $0.write(body) }
    }

    private func acquire(_ id: TenantID) async throws -> DatabasePool {
        while true {
            switch entries[id]?.state {
            case .open(let pool):
                tick += 1
                entries[id]!.leases += 1
                entries[id]!.lastUsed = tick
                return pool
            case .opening(let task):
                _ = try await task.value
            case .closing(let task):
                await task.value
            case nil:
                let path = path(for: id), readers = readersPerTenant
                let task = Task.detached { try Self.open(path: path, id: id, readers: readers) }
                entries[id] = Entry(state: .opening(task))
                do {
                    let pool = try await task.value
                    entries[id]!.state = .open(pool)
                    evictIfNeeded(keeping: id)
                } catch {
                    entries[id] = nil
                    throw error
                }
            }
        }
    }

    private func release(_ id: TenantID) {
        entries[id]?.leases -= 1
        evictIfNeeded(keeping: nil)
    }

    private static func open(path: String, id: TenantID, readers: Int) throws -> DatabasePool {
        // Ids become file names: anything but a well-formed id could point outside the directory.
        guard Identifier.isValid(id.rawValue), FileManager.default.fileExists(atPath: path) else { throw AppError.notFound("Tenant database") }
        let pool = try DatabaseOpener.openPool(path: path, label: "tenant-\(id)", readers: readers)
        do {
            try TenantMigrations.migrator.migrate(pool)
            let stamped = try pool.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'tenant_id'")
            }
            guard stamped == id.rawValue else {
                throw MigrationError("\(path) belongs to tenant \(stamped ?? "?"), not \(id)")
            }
            return pool
        } catch {
            try? pool.close()
            throw error
        }
    }

    /// Closes idle pools, least recently used first, until at most `maxOpen` remain.
    private func evictIfNeeded(keeping: TenantID?) {
        var open = entries.filter { if case .open = $0.value.state { true } else { false } }
        let opening = entries.values.filter { if case .opening = $0.state { true } else { false } }.count
        while open.count + opening > maxOpen {
            guard let victim = open.filter({ $0.value.leases == 0 && $0.key != keeping })
                .min(by: { $0.value.lastUsed < $1.value.lastUsed })
            else { return }  // every open pool is in use; retry when one is released
            open[victim.key] = nil
            beginClose(victim.key)
        }
    }

    private func beginClose(_ id: TenantID) {
        guard case .open(let pool) = entries[id]?.state else { return }
        let task = Task.detached {
            pool.checkpointAndClose()
            await self.finishClose(id)
        }
        entries[id]!.state = .closing(task)
    }

    private func finishClose(_ id: TenantID) {
        if case .closing = entries[id]?.state { entries[id] = nil }
    }

    private func closeNow(_ id: TenantID) async {
        if case .open = entries[id]?.state { beginClose(id) }
        if case .closing(let task) = entries[id]?.state { await task.value }
    }

    /// Closes every idle pool (at shutdown, after the server stopped taking requests).
    public func closeAll() async {
        for id in Array(entries.keys) { await closeNow(id) }
    }
}
