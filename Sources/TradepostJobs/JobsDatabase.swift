import Foundation
import GRDB
import TradepostStore

/// `jobs.sqlite`, opened like every other file but written with `synchronous=FULL`: an enqueue is
/// acknowledged only once it is on disk, and group commit keeps that affordable.
public final class JobsDatabase: Sendable {
    public static let fileName = "jobs.sqlite"

    public let pool: DatabasePool
    public let path: String

    public init(dataDir: String) throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        pool = try SQLiteFiles.openPool(path: path, label: "jobs", readers: 4)
        try JobsMigrations.migrator.migrate(pool)
        // Only the writer connection writes; FULL there makes every commit durable (fsync).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
    }

    public func close() {
        SQLiteFiles.checkpointAndClose(pool)
    }
}
