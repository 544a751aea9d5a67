import Foundation
import GRDB
import Synchronization
import TradepostCore

/// Appends events to a tenant's outbox inside the caller's transaction: if the transaction rolls
/// back, the event never existed; once it commits, the jobs engine delivers it at least once.
public enum Outbox {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Appends one event. Call only inside a write transaction on a tenant database.
    public static func append(_ db: Database, topic: String, payload: some Encodable) throws {
        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO outbox (topic, payload, created_at) VALUES (?, ?, ?)",
            arguments: [topic, json, Date().timeIntervalSince1970])
    }

    /// The oldest undelivered events of a tenant.
    public static func pending(_ db: Database, tenant: TenantID, after: Int64 = 0, limit: Int) throws -> [OutboxEvent] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT ?"), arguments: [after, limit]).map {
            OutboxEvent(id: $0["id"], tenant: tenant, topic: $0["topic"], payload: $0["payload"],
                        createdAt: Date(timeIntervalSince1970: $0["created_at"]))
        }
    }

    /// Forgets delivered events (up to and including `id`).
    public static func remove(_ db: Database, upTo id: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM outbox WHERE id <= ?").execute(arguments: [id])
    }
}

/// Tells someone when a commit added outbox events (the jobs engine, to wake its dispatcher
/// without polling). Installed on every tenant database's writer.
final class OutboxObserver: TransactionObserver, @unchecked Sendable {
    private let onCommit: @Sendable () -> Void
    private var inserted = false  // touched only on the writer's queue

    init(onCommit: @escaping @Sendable () -> Void) { self.onCommit = onCommit }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "outbox" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        inserted = true
        stopObservingDatabaseChangesUntilNextTransaction()
    }

    func databaseDidCommit(_ db: Database) {
        if inserted {
            inserted = false
            onCommit()
        }
    }

    func databaseDidRollback(_ db: Database) { inserted = false }
}

/// Who to tell when a tenant's outbox grows: whoever delivers events (the server's jobs engine, or
/// the CLI, which leaves a signal for a running server) and the live socket's order feed.
public final class OutboxListener: Sendable {
    private let handlers = Mutex<[@Sendable (TenantID) -> Void]>([])

    public init() {}

    /// Adds a listener: the jobs engine's dispatcher, the live socket's order feed.
    public func add(_ handler: @escaping @Sendable (TenantID) -> Void) {
        handlers.withLock { $0.append(handler) }
    }

    func notify(_ tenant: TenantID) {
        for handler in handlers.withLock({ $0 }) { handler(tenant) }
    }
}
