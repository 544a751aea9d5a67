import Crypto
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Reads a snapshot archive in one pass: every entry is hashed, and written out when asked; the
/// manifest (the last entry) is then checked against what was read.
public struct SnapshotReader {
    public var path: String
    public var progress: (SnapshotProgress) -> Void = { _ in }

    public init(path: String) { self.path = path }

    /// What `verify` found: nothing in `problems` means the snapshot is whole.
    public struct Verification: Encodable, Sendable {
        public var manifest: SnapshotManifest?
        public var files: Int
        public var bytes: Int64
        public var databasesChecked: Int
        public var problems: [String]
        public var ok: Bool { problems.isEmpty }
    }

    /// Checks every entry's size and SHA-256 against the manifest and runs `integrity_check` on
    /// every database (each unpacked to a scratch file next to the archive, then removed).
    public func verify() throws -> Verification {
        let scratch = path + ".verify"
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(scratch + suffix) } }
        var problems: [String] = []
        var checked = 0
        let result = try scan { name in name.hasSuffix(".sqlite") ? scratch : nil } afterEach: { name, file in
            guard file == scratch else { return }
            checked += 1
            problems += Self.integrityProblems(scratch).map { "\(name): \($0)" }
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(scratch + suffix) }
        }
        problems = result.problems + problems
        return Verification(manifest: result.manifest, files: result.seen.count, bytes: result.bytes,
                            databasesChecked: checked, problems: problems)
    }

    /// Unpacks into `directory` (which must exist), refusing paths a snapshot never holds, then
    /// checks every file against the manifest and every database's integrity. Throws on any problem.
    public func extract(into directory: String) throws -> SnapshotManifest {
        let result = try scan { name in
            guard SnapshotManifest.isAllowed(name) else { throw SnapshotError.damaged("unexpected path in the archive: \(name)") }
            guard name != SnapshotManifest.fileName else { return nil }
            let target = (directory as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            return target
        } afterEach: { _, _ in }
        var problems = result.problems
        for file in result.manifest?.files ?? [] where file.isDatabase {
            problems += Self.integrityProblems((directory as NSString).appendingPathComponent(file.path)).map { "\(file.path): \($0)" }
        }
        guard problems.isEmpty, let manifest = result.manifest else {
            throw SnapshotError.damaged(problems.joined(separator: "; "))
        }
        return manifest
    }

    struct Scan {
        var manifest: SnapshotManifest?
        var seen: [String: SnapshotManifest.File] = [:]
        var bytes: Int64 = 0
        var problems: [String] = []
    }

    func scan(destination: (String) throws -> String?, afterEach: (String, String?) throws -> Void) throws -> Scan {
        let archive = try RawFile.open(path)
        defer { archive.close() }
        let total = RawFile.size(path) ?? 0
        var out = Scan()
        var manifestBytes: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ArchiveWriter.chunk, alignment: 4096)
        defer { buffer.deallocate() }
        var header = [UInt8](repeating: 0, count: Tar.block)
        while true {
            let n = try header.withUnsafeMutableBytes { try archive.read(into: $0) }
            if n == 0 { out.problems.append("the archive ends without its end marker"); break }
            guard let entry = try Tar.decode(n == Tar.block ? header : Array(header[..<n])) else { break }
            if entry.isDirectory { continue }
            let target = try destination(entry.path)
            let sink = try target.map { try RawFile.create($0) }
            var hash = SHA256()
            var left = entry.size + Int64(Tar.padding(entry.size))
            var data = entry.size
            do {
                while left > 0 {
                    let want = Int(min(Int64(buffer.count), left))
                    let got = try archive.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
                    guard got == want else { throw SnapshotError.damaged("the archive is truncated inside \(entry.path)") }
                    let payload = UnsafeRawBufferPointer(rebasing: buffer[0..<Int(min(Int64(got), data))])
                    hash.update(bufferPointer: payload)
                    try sink?.write(payload)
                    if entry.path == SnapshotManifest.fileName, manifestBytes.count < 64 << 20 { manifestBytes += payload }
                    data -= Int64(payload.count)
                    left -= Int64(got)
                    out.bytes += Int64(got)
                    progress(SnapshotProgress(doneBytes: min(out.bytes, total), totalBytes: total, path: entry.path))
                }
            } catch {
                sink?.close()
                throw error
            }
            sink?.close()
            try afterEach(entry.path, target)
            if out.seen[entry.path] != nil { out.problems.append("\(entry.path) appears twice") }
            out.seen[entry.path] = .init(path: entry.path, size: entry.size, sha256: SnapshotManifest.hex(hash.finalize()), schemaVersion: nil)
        }
        if out.seen.removeValue(forKey: SnapshotManifest.fileName) != nil {
            do {
                out.manifest = try SnapshotManifest.decoder.decode(SnapshotManifest.self, from: Data(manifestBytes))
            } catch {
                out.problems.append("manifest.json is unreadable")
            }
        } else {
            out.problems.append("the archive has no manifest.json")
        }
        if let manifest = out.manifest { out.problems += Self.compare(manifest, out.seen) }
        return out
    }

    static func compare(_ manifest: SnapshotManifest, _ seen: [String: SnapshotManifest.File]) -> [String] {
        var problems: [String] = []
        if manifest.format > SnapshotManifest.currentFormat {
            problems.append("snapshot format \(manifest.format) is newer than this binary reads (\(SnapshotManifest.currentFormat))")
        }
        for file in manifest.files {
            guard let got = seen[file.path] else { problems.append("\(file.path) is missing"); continue }
            if got.size != file.size { problems.append("\(file.path) is \(got.size) bytes, the manifest says \(file.size)") }
            else if got.sha256 != file.sha256 { problems.append("\(file.path) does not match its SHA-256") }
        }
        let listed = Set(manifest.files.map(\.path))
        for path in seen.keys.sorted() where !listed.contains(path) { problems.append("\(path) is not in the manifest") }
        return problems
    }

    /// `PRAGMA integrity_check` on a file; empty when it reports "ok".
    static func integrityProblems(_ file: String) -> [String] {
        do {
            let db = try DatabaseQueue(path: file)
            defer { try? db.close() }
            let rows = try db.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
            return rows == ["ok"] ? [] : Array(rows.prefix(5))
        } catch {
            return ["cannot be opened as a database (\(error))"]
        }
    }
}
