import Foundation
import GRDB
import TradepostDatabase

/// `jobs.sqlite`, opened like every other file. Its writes go through the `GroupCommitter`, which
/// acknowledges a write only once it is on disk: commits run with `synchronous=NORMAL` and a
/// separate thread fsyncs the WAL (see `WALSyncer`), so the writer never waits for the disk.
public final class JobsDatabase: Sendable {
    public static let fileName = "jobs.sqlite"

    public let pool: DatabasePool
    public let path: String

    public init(dataDir: String) throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        pool = try SQLiteFiles.openPool(path: path, label: "jobs", readers: 4)
        try JobsMigrations.migrator.migrate(pool)
    }

    public func close() {
        SQLiteFiles.checkpointAndClose(pool)
    }
}
