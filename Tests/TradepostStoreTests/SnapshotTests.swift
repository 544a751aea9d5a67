import Foundation
import TradepostDatabase
#if canImport(Glibc)
import Glibc
#endif
import GRDB
import Testing
import TradepostCore
@testable import TradepostStore
import TradepostTestSupport

@Suite("Snapshots: archive format, verify, restore and migration")
struct SnapshotTests {
    func tempDir() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tp-snap-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Releasing twice (the writer releases early, then again on the way out) must not close a
    /// descriptor that another file got in between: that closed a live database under parallel tests.
    @Test func releasingTheHoldTwiceNeverClosesSomeoneElsesFile() throws {
        let dir = tempDir()
        let hold = try SnapshotHold(dataDir: dir)
        #expect(SnapshotHold.isHeld(dataDir: dir))
        hold.release()
        #expect(!SnapshotHold.isHeld(dataDir: dir))
        let other = open(dir + "/other", O_RDWR | O_CREAT, 0o600)  // most likely the number just freed
        defer { close(other) }
        hold.release()
        #expect(fcntl(other, F_GETFD) != -1, "the second release closed another file")
    }

    @Test func tarHeadersRoundTripLongPathsAndHugeSizes() throws {
        let long = "blobs/" + String(repeating: "a", count: 120) + "/objects/ab/" + String(repeating: "c", count: 32)
        for (path, size) in [("control.sqlite", Int64(94208)), (long, Int64(12)), ("tenants/x.sqlite", Int64(9) << 30)] {
            let decoded = try #require(try Tar.decode(try Tar.encode(.init(path: path, size: size))))
            #expect(decoded.path == path)
            #expect(decoded.size == size)
        }
        var damaged = try Tar.encode(.init(path: "control.sqlite", size: 1))
        damaged[0] = UInt8(ascii: "x")
        #expect(throws: SnapshotError.self) { try Tar.decode(damaged) }
        #expect(try Tar.decode([UInt8](repeating: 0, count: 512)) == nil)
    }

    @Test(arguments: [
        ("control.sqlite", true), ("tenants/01abc.sqlite", true), ("blobs/t/objects/ab/cd", true), ("manifest.json", true),
        ("../etc/passwd", false), ("/etc/passwd", false), ("blobs/../../x", false), ("tenants/x.txt", false),
        ("tenants/a/b.sqlite", false), ("other", false), ("blobs//x/y", false),
    ])
    func onlyDataDirPathsMayBeRestored(path: String, allowed: Bool) {
        #expect(SnapshotManifest.isAllowed(path) == allowed)
    }

    /// A data dir whose tenant database stopped at schema 7 (before the blob store's tables), as an
    /// older release left it: the snapshot records 7 and the restore migrates it to the latest.
    @Test func aSnapshotFromAnOlderSchemaIsMigratedOnRestore() throws {
        let source = tempDir(), target = tempDir() + "/data", out = tempDir() + "/snap.tar"
        let control = try ControlDatabase(dataDir: source)
        let tenantID = "01testtenant0000000000000a"
        try control.pool.write { db in
            try db.execute(sql: "INSERT INTO tenants (id, slug, name, status, plan, time_zone, created_at, updated_at) VALUES (?, 'old', 'Old', 'active', 'standard', 'UTC', '2026-01-01', '2026-01-01')",
                           arguments: [tenantID])
        }
        control.close()
        try FileManager.default.createDirectory(atPath: source + "/tenants", withIntermediateDirectories: true)
        let old = try DatabaseOpener.openPool(path: "\(source)/tenants/\(tenantID).sqlite", label: "old", readers: 1)
        try Migrator(schema: "tenant", migrations: Array(TenantMigrations.migrator.migrations.prefix(7))).migrate(old)
        old.checkpointAndClose()

        let manifest = try SnapshotWriter(dataDir: source, version: "test").write(to: out)
        #expect(manifest.files.first { $0.path == "tenants/\(tenantID).sqlite" }?.schemaVersion == 7)
        #expect(try SnapshotReader(path: out).verify().ok)

        let result = try SnapshotRestorer(archive: out, dataDir: target).restore()
        #expect(result.migrated["tenants/\(tenantID).sqlite"] == [7, TenantMigrations.migrator.latestVersion])
        let restored = try DatabaseQueue(path: "\(target)/tenants/\(tenantID).sqlite")
        #expect(try restored.read { try $0.tableExists("s3_objects") })
        try restored.close()
        #expect(!FileManager.default.fileExists(atPath: target + ".restoring"))
    }

    @Test func verifyFindsAFlippedByteAndRestoreRefusesIt() throws {
        let source = tempDir(), out = tempDir() + "/snap.tar"
        ControlDatabase.closeAfterCreating(source)
        try FileManager.default.createDirectory(atPath: source + "/blobs/t1/objects/ab", withIntermediateDirectories: true)
        try Data(repeating: 7, count: 5000).write(to: URL(fileURLWithPath: source + "/blobs/t1/objects/ab/ab01"))
        try FileManager.default.createDirectory(atPath: source + "/tenants", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: source + "/tenants/t1.sqlite", contents: nil)
        let manifest = try SnapshotWriter(dataDir: source, version: "test").write(to: out)
        #expect(manifest.files.map(\.path).contains("blobs/t1/objects/ab/ab01"))
        #expect(try SnapshotReader(path: out).verify().ok)

        var bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        let at = bytes.range(of: Data(repeating: 7, count: 5000))!.lowerBound + 1234
        bytes[at] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: out))
        let result = try SnapshotReader(path: out).verify()
        #expect(result.problems == ["blobs/t1/objects/ab/ab01 does not match its SHA-256"])
        let target = tempDir() + "/data"
        #expect(throws: SnapshotError.self) { try SnapshotRestorer(archive: out, dataDir: target).restore() }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!FileManager.default.fileExists(atPath: target + ".restoring"))
    }

    @Test func restoreRefusesANonEmptyDirUnlessForcedAndThenKeepsTheOldOneAside() throws {
        let source = tempDir(), out = tempDir() + "/snap.tar", target = tempDir()
        ControlDatabase.closeAfterCreating(source)
        _ = try SnapshotWriter(dataDir: source, version: "test").write(to: out)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target + "/notes.txt"))
        #expect(throws: SnapshotError.self) { try SnapshotRestorer(archive: out, dataDir: target).restore() }
        #expect(FileManager.default.fileExists(atPath: target + "/notes.txt"))
        var forced = SnapshotRestorer(archive: out, dataDir: target)
        forced.force = true
        let result = try forced.restore()
        let aside = try #require(result.movedAside)
        #expect(FileManager.default.fileExists(atPath: aside + "/notes.txt"))
        #expect(FileManager.default.fileExists(atPath: target + "/control.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: target + "/notes.txt"))
    }
}

extension ControlDatabase {
    static func closeAfterCreating(_ dir: String) {
        (try? ControlDatabase(dataDir: dir))?.close()
    }
}
