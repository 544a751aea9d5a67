import GRDB

/// The one way other modules open SQLite files, so every file gets the same pragmas and functions.
public enum SQLiteFiles {
    public static func openPool(path: String, label: String, readers: Int) throws -> DatabasePool {
        try DatabaseOpener.openPool(path: path, label: label, readers: readers)
    }

    public static func checkpointAndClose(_ pool: DatabasePool) {
        pool.checkpointAndClose()
    }

    public static func pragmas(_ db: Database) throws -> [String: String] {
        try DatabaseOpener.pragmas(db)
    }
}
