import Foundation
import GRDB
import TradepostCore

/// Opens every SQLite file the same way: `busy_timeout` first, then WAL with `synchronous=NORMAL`,
/// `foreign_keys=ON` (GRDB's `DatabasePool` applies them in that order on every connection);
/// one writer and a bounded number of concurrent readers.
public enum DatabaseOpener {
    package static let busyTimeout: TimeInterval = 5
    /// SQLite's own ceiling (SQLITE_MAX_MMAP_SIZE, 2 GiB in Debian's build; larger asks are clamped to
    /// it). It maps at most the file's size, so small tenants map little; a million-product tenant
    /// (about 2 GB) is read without a pread per page — 256 MiB left most of its search index to pread.
    static let mmapSize = 0x7fff_0000

    static func configuration(label: String, readers: Int) -> Configuration {
        var config = Configuration()
        config.label = label
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.maximumReaderCount = readers
        // GRDB gives read-only connections their own 10 s busy handler and leaves them at synchronous=FULL;
        // every connection gets the same settings so nothing depends on which one ran.
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA busy_timeout = \(Int(busyTimeout * 1000)); PRAGMA synchronous = NORMAL")
            // Reads of large catalogs (the search index) come straight from the page cache through a
            // memory map instead of a pread per page; address space only, pages stay the kernel's.
            try db.execute(sql: "PRAGMA mmap_size = \(mmapSize)")
            db.add(function: fold)
        }
        return config
    }

    package static func openPool(path: String, label: String, readers: Int) throws -> DatabasePool {
        try DatabasePool(path: path, configuration: configuration(label: label, readers: readers))
    }

    /// `fold(text)`: lowercase without diacritics, Unicode-aware (SQLite's NOCASE and LIKE fold ASCII
    /// only, so "Київ" would not match "київ"). Used for case-insensitive filters and name search.
    static let fold = DatabaseFunction("fold", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return nil }
        return Self.folded(text)
    }

    public static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The pragmas a connection actually runs with, for tests and `doctor`.
    package static func pragmas(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in ["busy_timeout", "journal_mode", "synchronous", "foreign_keys"] {
            out[name] = try String.fetchOne(db, sql: "PRAGMA \(name)")
        }
        return out
    }
}

extension DatabasePool {
    /// A synchronous read on the calling thread, callable from async code (where Swift would pick
    /// GRDB's async overload and hop to its queue and back). For short lookups on hot paths only.
    public func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        try read(body)
    }

    /// `readNow` without the surrounding transaction, for a body that runs exactly one statement
    /// (a single statement reads one consistent snapshot by itself). Hot lookups only.
    public func readOneStatementNow<T>(_ body: (Database) throws -> T) throws -> T {
        try unsafeRead(body)
    }

    /// Folds the WAL back into the main file and truncates it; done before a pool is closed.
    package func checkpointAndClose() {
        _ = try? writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try? close()
    }
}
