import Foundation
import GRDB
import Synchronization
import TradepostCore

/// One SQLite file per tenant (`tenants/<id>.sqlite`), opened on first use and closed
/// least-recently-used past `maxOpen`, so a thousand tenants never exhaust file descriptors.
///
/// A pool is lent out for the length of one operation (`withPool`); only pools nobody is using
/// are closed, after a `checkpoint(TRUNCATE)`. Taking an open pool is a lock and a counter, with no
/// thread hop (it happens on every request); opening and closing run in tasks of their own so one
/// slow tenant never holds up the others.
public final class TenantDatabases: Sendable {
    public let directory: String
    public let maxOpen: Int
    /// Told (with the tenant's id) after every commit that added outbox events.
    public let outboxListener = OutboxListener()
    private let readersPerTenant: Int
    /// Bumped after commits that change users (the credential cache rests on them) and after a restore.
    private let epoch: AuthEpoch

    private enum Phase {
        case opening(Task<DatabasePool, any Error>)
        case open(Connections)
        case closing(Task<Void, Never>)
    }
    /// An open tenant: GRDB's pool (the writer, and readers for long reads) and the quick readers
    /// for the short reads made on every request.
    private struct Connections: Sendable {
        let pool: DatabasePool
        let quick: QuickReaders

        func close() {
            quick.close()
            pool.checkpointAndClose()
        }
    }
    private struct Entry {
        var phase: Phase
        var leases = 0
        var lastUsed: UInt64 = 0
    }
    private struct State {
        var entries: [TenantID: Entry] = [:]
        var tick: UInt64 = 0
    }
    private let state = Mutex(State())

    public init(dataDir: String, maxOpen: Int, readersPerTenant: Int = 2) throws {
        directory = (dataDir as NSString).appendingPathComponent("tenants")
        epoch = AuthEpoch.at(dataDir: dataDir)
        self.maxOpen = max(1, maxOpen)
        self.readersPerTenant = readersPerTenant
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    public func path(for id: TenantID) -> String {
        (directory as NSString).appendingPathComponent("\(id.rawValue).sqlite")
    }

    /// Number of tenant databases open (or opening) right now, for metrics.
    public var openCount: Int {
        state.withLock { $0.entries.values.filter { if case .closing = $0.phase { false } else { true } }.count }
    }

    /// Creates and migrates a new tenant's file, stamping the tenant id into it.
    /// Throws `.invalid` for a malformed id and `.conflict` when the file already exists.
    public func create(_ id: TenantID) async throws {
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
    public func withPool<T>(_ id: TenantID, _ body: (DatabasePool) async throws -> T) async throws -> T {
        try await withConnections(id) { try await body($0.pool) }
    }

    private func withConnections<T>(_ id: TenantID, _ body: (Connections) async throws -> T) async throws -> T {
        let connections = try await acquire(id)
        defer { release(id) }
        return try await body(connections)
    }

    /// A read transaction on the calling thread, on a quick reader (`QuickReaders`): tenant
    /// lookups are short, and skipping the hop to GRDB's queue and back is most of their cost.
    /// Long reads should use `withPool` and an async read.
    public func read<T: Sendable>(_ id: TenantID, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withConnections(id) { connections in
            try connections.quick.read({ db in
                var result: T?
                try db.inTransaction(.deferred) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }, otherwise: { try connections.pool.readNow(body) })
        }
    }

    /// `read` without the surrounding transaction (BEGIN and COMMIT are a third of a one-row
    /// lookup), for a body that runs exactly one statement: one statement reads one consistent
    /// snapshot by itself.
    public func readOneStatement<T: Sendable>(_ id: TenantID, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withConnections(id) { connections in
            try connections.quick.read(body, otherwise: { try connections.pool.readOneStatementNow(body) })
        }
    }

    public func write<T: Sendable>(_ id: TenantID, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withPool(id) { try await $0.write(body) }
    }

    /// `write` whose commit is on disk before it returns (`synchronous = FULL` for this one
    /// transaction; the rest run NORMAL): for records that name blob files already made durable,
    /// so an acknowledged upload survives a power cut, not only a crash.
    public func durableWrite<T: Sendable>(_ id: TenantID, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withPool(id) { pool in
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    private enum Step {
        case ready(Connections)
        case wait(Task<DatabasePool, any Error>)
        case waitClose(Task<Void, Never>)
    }

    private func acquire(_ id: TenantID) async throws -> Connections {
        while true {
            let step: Step = state.withLock { state in
                switch state.entries[id]?.phase {
                case .open(let connections):
                    state.tick += 1
                    state.entries[id]!.leases += 1
                    state.entries[id]!.lastUsed = state.tick
                    return .ready(connections)
                case .opening(let task):
                    return .wait(task)
                case .closing(let task):
                    return .waitClose(task)
                case nil:
                    let path = path(for: id), readers = readersPerTenant, listener = outboxListener, epoch = epoch
                    let task = Task.detached {
                        let pool = try Self.open(path: path, id: id, readers: readers, epoch: epoch)
                        pool.add(transactionObserver: OutboxObserver { listener.notify(id) }, extent: .databaseLifetime)
                        return pool
                    }
                    state.entries[id] = Entry(phase: .opening(task))
                    return .wait(task)
                }
            }
            switch step {
            case .ready(let connections):
                return connections
            case .wait(let task):
                // Whoever sees the open finish installs the pool: waiters must never depend on the
                // opener being scheduled (with every thread busy waiting, it might never run).
                do {
                    settle(id, task, .success(try await task.value))
                } catch {
                    settle(id, task, .failure(error))
                    throw error
                }
            case .waitClose(let task):
                await task.value  // the close task forgets the entry before it ends
            }
        }
    }

    /// Moves an entry out of `.opening(task)` once `task` finished; a no-op if someone already did.
    private func settle(_ id: TenantID, _ task: Task<DatabasePool, any Error>, _ result: Result<DatabasePool, any Error>) {
        state.withLock { state in
            guard case .opening(let current) = state.entries[id]?.phase, current == task else { return }
            switch result {
            case .success(let pool):
                state.entries[id]!.phase = .open(Connections(
                    pool: pool, quick: QuickReaders(path: path(for: id), label: "tenant-\(id)", limit: readersPerTenant)))
                evict(&state, keeping: id)
            case .failure:
                state.entries[id] = nil
            }
        }
    }

    private func release(_ id: TenantID) {
        state.withLock { state in
            state.entries[id]?.leases -= 1
            evict(&state, keeping: nil)
        }
    }

    private static func open(path: String, id: TenantID, readers: Int, epoch: AuthEpoch) throws -> DatabasePool {
        // Ids become file names: anything but a well-formed id could point outside the directory.
        guard Identifier.isValid(id.rawValue), FileManager.default.fileExists(atPath: path) else {
            throw AppError.notFound("Tenant database")
        }
        let pool = try DatabaseOpener.openPool(path: path, label: "tenant-\(id)", readers: readers)
        pool.add(transactionObserver: epoch.observer(), extent: .databaseLifetime)
        do {
            try TenantMigrations.migrator.migrate(pool)
            let stamped = try pool.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'tenant_id'")
            }
            guard stamped == id.rawValue else {
                throw MigrationError("\(path) belongs to tenant \(stamped ?? "?"), not \(id)")
            }
            return pool
        } catch let error as MigrationError {
            // Reported as the domain's error: callers (the API among them) need nothing of the store's types.
            try? pool.close()
            throw AppError.databaseRefused(error.description)
        } catch {
            try? pool.close()
            throw error
        }
    }

    /// Starts closing idle pools, least recently used first, until at most `maxOpen` remain.
    /// The close runs in its own task; whoever needs that tenant meanwhile waits for it.
    private func evict(_ state: inout State, keeping: TenantID?) {
        var live = state.entries.values.filter { if case .closing = $0.phase { false } else { true } }.count
        while live > maxOpen {
            let idle = state.entries.filter { entry in
                if case .open = entry.value.phase { entry.value.leases == 0 && entry.key != keeping } else { false }
            }
            guard let (id, entry) = idle.min(by: { $0.value.lastUsed < $1.value.lastUsed }),
                case .open(let connections) = entry.phase
            else { return }  // every open pool is in use; retried when one is released
            state.entries[id]!.phase = .closing(closeTask(id, connections))
            live -= 1
        }
    }

    private func closeTask(_ id: TenantID, _ connections: Connections) -> Task<Void, Never> {
        Task.detached { [weak self] in
            connections.close()
            self?.forget(id)
        }
    }

    private func forget(_ id: TenantID) {
        state.withLock { state in
            if case .closing = state.entries[id]?.phase { state.entries[id] = nil }
        }
    }

    private func closeNow(_ id: TenantID) async {
        let task: Task<Void, Never>? = state.withLock { state in
            switch state.entries[id]?.phase {
            case .open(let connections) where state.entries[id]!.leases == 0:
                let task = closeTask(id, connections)
                state.entries[id]!.phase = .closing(task)
                return task
            case .closing(let task):
                return task
            default:
                return nil
            }
        }
        await task?.value
    }

    /// Runs `body` while nobody uses the tenant's database: new users wait, current ones finish,
    /// the pool is checkpointed and closed, `body` runs (it may replace the files), and the next
    /// use opens whatever file is then in place. For restoring one tenant in a running server.
    public func exclusive(_ id: TenantID, _ body: @escaping @Sendable () throws -> Void) async throws {
        while true {
            let next: ExclusiveStep = state.withLock { state in
                switch state.entries[id]?.phase {
                case .closing(let task):
                    return .wait(task)
                case .opening(let task):
                    return .waitOpen(task)
                case .open(let connections):
                    let (gate, task) = exclusiveTask(id, connections, body)
                    state.entries[id]!.phase = .closing(gate)
                    return .run(task)
                case nil:
                    let (gate, task) = exclusiveTask(id, nil, body)
                    state.entries[id] = Entry(phase: .closing(gate))
                    return .run(task)
                }
            }
            switch next {
            case .wait(let task): await task.value
            case .waitOpen(let task): _ = try? await task.value; try? await Task.sleep(for: .milliseconds(5))
            case .run(let task): return try await task.value.get()
            }
        }
    }

    /// The gate others wait on (`.closing`) and the task that drains, closes, runs and forgets.
    private enum ExclusiveStep {
        case wait(Task<Void, Never>)
        case waitOpen(Task<DatabasePool, any Error>)
        case run(Task<Result<Void, any Error>, Never>)
    }

    private func exclusiveTask(_ id: TenantID, _ connections: Connections?, _ body: @escaping @Sendable () throws -> Void)
        -> (Task<Void, Never>, Task<Result<Void, any Error>, Never>) {
        let work = Task.detached { [weak self] () -> Result<Void, any Error> in
            while (self?.state.withLock { $0.entries[id]?.leases ?? 0 } ?? 0) > 0 {
                try? await Task.sleep(for: .milliseconds(5))
            }
            connections?.close()
            let result = Result { try body() }
            self?.epoch.bump()  // the file in place now may hold other users
            self?.forget(id)
            return result
        }
        return (Task { _ = await work.value }, work)
    }

    /// Closes every idle pool (at shutdown, after the server stopped taking requests).
    public func closeAll() async {
        let ids = state.withLock { Array($0.entries.keys) }
        for id in ids { await closeNow(id) }
    }
}
