import Foundation
import GRDB
import TradepostCore

/// Opens every SQLite file the same way: `busy_timeout` first, then WAL with `synchronous=NORMAL`,
/// `foreign_keys=ON` (GRDB's `DatabasePool` applies them in that order on every connection);
/// one writer and a bounded number of concurrent readers.
enum DatabaseOpener {
    static let busyTimeout: TimeInterval = 5

    static func configuration(label: String, readers: Int) -> Configuration {
        var config = Configuration()
        config.label = label
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.maximumReaderCount = readers
        return config
    }

    static func openPool(path: String, label: String, readers: Int) throws -> DatabasePool {
        try DatabasePool(path: path, configuration: configuration(label: label, readers: readers))
    }

    /// The pragmas a connection actually runs with, for tests and `doctor`.
    static func pragmas(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in ["busy_timeout", "journal_mode", "synchronous", "foreign_keys"] {
            out[name] = try String.fetchOne(db, sql: "PRAGMA \(name)")
        }
        return out
    }
}

extension DatabasePool {
    /// Folds the WAL back into the main file and truncates it; done before a pool is closed.
    func checkpointAndClose() {
        _ = try? writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try? close()
    }
}
