import Foundation
import GRDB
import TradepostCore

/// `control.sqlite`: the one database every request touches (sessions, tenants).
public final class ControlDatabase: Sendable {
    public static let fileName = "control.sqlite"

    public let pool: DatabasePool
    public let path: String
    /// True when this open created the file (an empty data dir): the caller bootstraps it.
    public let created: Bool

    /// Opens (creating if needed) and migrates. Throws `MigrationError` or a database error.
    public init(dataDir: String) throws {
        // Databases, blobs and secret.key inside: the owner and its group only.
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        created = !FileManager.default.fileExists(atPath: path)
        pool = try DatabaseOpener.openPool(path: path, label: "control", readers: 4)
        pool.add(transactionObserver: AuthEpoch.at(dataDir: dataDir).observer(), extent: .databaseLifetime)
        try ControlMigrations.migrator.migrate(pool)
    }

    /// Checkpoints the WAL into the main file and closes every connection.
    public func close() {
        pool.checkpointAndClose()
    }
}
