import Crypto
import Foundation
import GRDB
import TradepostCore

/// One schema change. Shipped migrations are append-only: never edit one, add the next number.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    /// Rebuilds tables others reference (SQLite changes a CHECK only by copying the table): run with
    /// foreign keys off, as SQLite's own procedure says, and checked before the commit.
    public let rebuildsTables: Bool

    public init(_ version: Int, _ name: String, rebuildsTables: Bool = false, _ sql: String) {
        self.version = version
        self.name = name
        self.rebuildsTables = rebuildsTables
        self.sql = sql
    }

    /// SHA-256 of the SQL text, recorded when applied and compared at every open.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Applies numbered migrations at open, one transaction each, recording version, name and checksum
/// in `schema_migrations`. Refuses a database whose applied migrations differ from the binary's
/// (an edited migration) or that is newer than the binary (a downgrade).
public struct Migrator: Sendable {
    public let schema: String
    public let migrations: [Migration]

    public init(schema: String, migrations: [Migration]) {
        precondition(
            migrations.enumerated().allSatisfy { $0.offset + 1 == $0.element.version },
            "\(schema) migrations must be numbered 1, 2, 3, … without gaps"
        )
        self.schema = schema
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.count }

    public struct Applied: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let checksum: String
        public let appliedAt: Date
    }

    /// Brings the database to the latest version; returns the versions it applied now.
    @discardableResult
    public func migrate(_ writer: some DatabaseWriter) throws -> [Int] {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    checksum TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """)
            let applied = try appliedMigrations(db)
            try verify(applied)
            var done: [Int] = []
            for migration in migrations.dropFirst(applied.count) {
                // A pragma without effect inside a transaction: set before it, restored after.
                if migration.rebuildsTables { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                defer { if migration.rebuildsTables { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
                try db.inTransaction {
                    try db.execute(sql: migration.sql)
                    if migration.rebuildsTables, let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                        throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY,
                                            message: "migration \(migration.version) leaves a dangling reference in \(broken[0] as String? ?? "?")")
                    }
                    try db.execute(
                        sql: "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                        arguments: [migration.version, migration.name, migration.checksum, Date()]
                    )
                    return .commit
                }
                done.append(migration.version)
            }
            return done
        }
    }

    public func appliedMigrations(_ db: Database) throws -> [Applied] {
        guard try db.tableExists("schema_migrations") else { return [] }
        return try Row.fetchAll(db, sql: "SELECT * FROM schema_migrations ORDER BY version").map {
            Applied(version: $0["version"], name: $0["name"], checksum: $0["checksum"], appliedAt: $0["applied_at"])
        }
    }

    /// Why this binary would refuse the database (see `verify`), or nil when it can open it,
    /// applying its newer migrations first if any. Reads only: for `tradepost doctor`.
    public func problem(_ db: Database) throws -> String? {
        do {
            try verify(try appliedMigrations(db))
            return nil
        } catch let error as MigrationError {
            return error.description
        }
    }

    /// The schema version of a database (0 when nothing is applied).
    public func currentVersion(_ reader: some DatabaseReader) throws -> Int {
        try reader.read { db in try appliedMigrations(db).last?.version ?? 0 }
    }

    func verify(_ applied: [Applied]) throws {
        if let newest = applied.last, newest.version > latestVersion {
            throw MigrationError(
                "The \(schema) database is at schema version \(newest.version), newer than this tradepost binary "
                    + "(\(latestVersion)). Upgrade tradepost or restore a matching snapshot."
            )
        }
        for (index, record) in applied.enumerated() {
            let known = migrations[index]
            guard record.version == known.version else {
                throw MigrationError(
                    "The \(schema) database records migration \(record.version) (\(record.name)) but not \(known.version) "
                        + "(\(known.name)): its record was changed outside tradepost. Restore a snapshot."
                )
            }
            guard record.checksum == known.checksum else {
                throw MigrationError(
                    "The \(schema) migration \(record.version) (\(record.name)) that was applied differs from the one "
                        + "in this binary (\(known.name)). Shipped migrations must never change."
                )
            }
        }
    }
}

public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
