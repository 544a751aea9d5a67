import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Buckets, objects and multipart uploads of every tenant: rows in the tenant's database, bytes in
/// `BlobFiles`. Each public method is one transaction. Changes that make a file unreferenced move
/// it to `s3_garbage` in the same transaction and delete it after the commit, so a crash between
/// the two leaves a row to finish the job at the next start rather than a lost or a dangling file.
/// Commits that acknowledge an upload run with `synchronous=FULL`: the row is on disk before the
/// client hears "200".
public final class ObjectStore: BlobStore {
    let files: BlobFiles
    let tenants: TenantDatabases

    public init(dataDir: String, tenants: TenantDatabases) {
        self.files = BlobFiles(dataDir: dataDir)
        self.tenants = tenants
    }

    // MARK: Bytes

    public func newBlob(_ tenant: TenantID, checksums: Set<ChecksumAlgorithm>, sha256: Bool) throws -> any BlobSink {
        try files.writer(tenant: tenant.rawValue, digests: BodyDigests(sha256: sha256, checksums: checksums))
    }

    public func openBlob(_ tenant: TenantID, _ blob: String) throws -> any BlobSource {
        guard let path = files.path(tenant: tenant.rawValue, blob: blob) else { throw BlobError.missingBytes(blob) }
        return try BlobFileReader(path: path, blob: blob)
    }

    public func copyBlob(_ tenant: TenantID, _ blob: String) throws -> String {
        try files.link(tenant: tenant.rawValue, blob: blob)
    }

    public func discardBlob(_ tenant: TenantID, _ blob: String) {
        files.remove(tenant: tenant.rawValue, blob: blob)
    }

    // MARK: Buckets

    public func buckets(_ tenant: TenantID) async throws -> [BucketInfo] {
        try await tenants.read(tenant) { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, object_count, byte_count FROM s3_buckets ORDER BY name").map {
                BucketInfo(name: $0["name"], created: $0["created_at"], objects: $0["object_count"], bytes: $0["byte_count"])
            }
        }
    }

    public func bucket(_ tenant: TenantID, _ name: String) async throws -> BucketInfo? {
        try await tenants.read(tenant) { db in
            try Row.fetchOne(db, sql: "SELECT name, created_at, object_count, byte_count FROM s3_buckets WHERE name = ?", arguments: [name]).map {
                BucketInfo(name: $0["name"], created: $0["created_at"], objects: $0["object_count"], bytes: $0["byte_count"])
            }
        }
    }

    /// Throws InvalidBucketName or BucketAlreadyOwnedByYou.
    public func createBucket(_ tenant: TenantID, _ name: String) async throws {
        guard BlobNames.isValidBucket(name) else { throw BlobError.invalidBucketName }
        try await tenants.write(tenant) { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [name]) == nil else {
                throw BlobError.bucketAlreadyOwned(name)
            }
            try db.execute(sql: "INSERT INTO s3_buckets (name, created_at) VALUES (?, ?)", arguments: [name, Date()])
        }
    }

    /// Throws NoSuchBucket or BucketNotEmpty. Incomplete multipart uploads are aborted with it.
    public func deleteBucket(_ tenant: TenantID, _ name: String) async throws {
        let garbage = try await tenants.write(tenant) { db -> [String] in
            try Self.requireBucket(db, name)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_objects WHERE bucket = ? LIMIT 1", arguments: [name]) == nil else {
                throw BlobError.bucketNotEmpty(name)
            }
            let blobs = try String.fetchAll(db, sql: "SELECT p.blob FROM s3_parts p JOIN s3_uploads u ON u.id = p.upload_id WHERE u.bucket = ?", arguments: [name])
            try Self.toGarbage(db, blobs)
            try db.execute(sql: "DELETE FROM s3_uploads WHERE bucket = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM s3_completed_uploads WHERE bucket = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM s3_buckets WHERE name = ?", arguments: [name])
            return blobs
        }
        await collect(tenant, garbage)
    }

    static func requireBucket(_ db: Database, _ name: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM s3_buckets WHERE name = ?", arguments: [name]) != nil else {
            throw BlobError.noSuchBucket(name)
        }
    }

    // MARK: Objects

    /// The object's metadata; throws NoSuchBucket, or NoSuchKey when the bucket has no such key.
    public func object(_ tenant: TenantID, bucket: String, key: String) async throws -> ObjectMeta {
        // One statement (the bucket and the object together), cached: this is every GET's lookup.
        let row = try await tenants.withPool(tenant) { pool in
            try pool.readOneStatementNow { db in
                try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT b.name AS found, o.* FROM s3_buckets b LEFT JOIN s3_objects o ON o.bucket = b.name AND o.key = ?
                    WHERE b.name = ?
                    """), arguments: [key, bucket])
            }
        }
        guard let row else { throw BlobError.noSuchBucket(bucket) }
        guard row["blob"] as String? != nil else { throw BlobError.noSuchKey(key) }
        return Self.meta(row)
    }

    public func put(_ tenant: TenantID, _ meta: ObjectMeta, quota: Int64?,
                    check: @escaping @Sendable (ObjectMeta?) throws -> Void) async throws {
        let old = try await tenants.durableWrite(tenant) { db -> String? in
            try Self.requireBucket(db, meta.bucket)
            let current = try Row.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [meta.bucket, meta.key]).map(Self.meta)
            try check(current)
            if let quota {
                let used = try Self.usage(db)
                if used - (current?.size ?? 0) + meta.size > quota { throw BlobError.quotaExceeded }
            }
            try Self.upsert(db, meta, replacing: current)
            if let current { try Self.toGarbage(db, [current.blob]) }
            return current?.blob
        }
        if let old { await collect(tenant, [old]) }
    }

    /// Deletes the object if it exists (S3's delete succeeds either way); throws NoSuchBucket.
    public func delete(_ tenant: TenantID, bucket: String, keys: [String]) async throws {
        let garbage = try await tenants.write(tenant) { db -> [String] in
            try Self.requireBucket(db, bucket)
            var blobs: [String] = []
            for key in keys {
                guard let row = try Row.fetchOne(db, sql: "SELECT blob, size FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, key]) else { continue }
                try db.execute(sql: "DELETE FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, key])
                try db.execute(sql: "UPDATE s3_buckets SET object_count = object_count - 1, byte_count = byte_count - ? WHERE name = ?",
                               arguments: [row["size"] as Int64, bucket])
                blobs.append(row["blob"])
            }
            try Self.toGarbage(db, blobs)
            return blobs
        }
        await collect(tenant, garbage)
    }

    /// Bytes the tenant stores: objects plus parts of uploads in progress.
    public func usage(_ tenant: TenantID) async throws -> Int64 {
        try await tenants.read(tenant) { try Self.usage($0) }
    }

    static func usage(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT (SELECT COALESCE(SUM(byte_count), 0) FROM s3_buckets) + (SELECT COALESCE(SUM(size), 0) FROM s3_parts)") ?? 0
    }

    /// Keys in order after `after` (exclusive) under `prefix`; with a delimiter, keys that have it
    /// after the prefix roll up into one common prefix each. Throws NoSuchBucket.
    public func list(_ tenant: TenantID, bucket: String, prefix: String, delimiter: String?, after: String?, limit: Int) async throws -> ObjectListing {
        try await tenants.withPool(tenant) { pool in
            try await pool.read { db in
                try Self.requireBucket(db, bucket)
                var listing = ObjectListing()
                // max-keys=0 asks for nothing and, as on AWS, is answered empty and not truncated.
                guard limit > 0 else { return listing }
                var cursor = after.map { max($0, prefix) } ?? prefix
                var inclusive = after == nil || (after! < prefix)
                let end = prefix + "\u{10FFFF}"
                let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
                while true {
                    let rows = try Row.fetchAll(db, sql: """
                        SELECT * FROM s3_objects WHERE bucket = ? AND key \(inclusive ? ">=" : ">") ? AND key < ? ORDER BY key LIMIT 256
                        """, arguments: [bucket, cursor, end])
                    if rows.isEmpty { return listing }
                    var jumped = false
                    for row in rows {
                        let key: String = row["key"]
                        if listing.objects.count + listing.prefixes.count == limit {
                            listing.isTruncated = true
                            return listing
                        }
                        if let delimiter, let range = key.dropFirst(prefix.count).range(of: delimiter) {
                            let common = String(key[..<range.upperBound])
                            if let after, common <= after { cursor = common + "\u{10FFFF}"; inclusive = true; jumped = true; break }
                            listing.prefixes.append(common)
                            listing.last = common
                            // Skip every other key under this prefix in one seek.
                            cursor = common + "\u{10FFFF}"
                            inclusive = true
                            jumped = true
                            break
                        }
                        listing.objects.append(Self.meta(row))
                        listing.last = key
                        cursor = key
                        inclusive = false
                    }
                    if !jumped && rows.count < 256 { return listing }
                }
            }
        }
    }

    // MARK: Helpers shared with the multipart half

    static func upsert(_ db: Database, _ m: ObjectMeta, replacing current: ObjectMeta?) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO s3_objects (bucket, key, blob, size, etag, content_type, headers, metadata, checksums, part_count, modified_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [m.bucket, m.key, m.blob, m.size, m.etag, m.contentType, json(m.headers), json(m.metadata),
                             json(m.checksums), m.partCount, m.modified])
        try db.execute(sql: "UPDATE s3_buckets SET object_count = object_count + ?, byte_count = byte_count + ? WHERE name = ?",
                       arguments: [current == nil ? 1 : 0, m.size - (current?.size ?? 0), m.bucket])
    }

    static func toGarbage(_ db: Database, _ blobs: [String]) throws {
        for blob in blobs { try db.execute(sql: "INSERT OR IGNORE INTO s3_garbage (blob) VALUES (?)", arguments: [blob]) }
    }

    /// Deletes unreferenced files, then forgets them.
    func collect(_ tenant: TenantID, _ blobs: [String]) async {
        guard !blobs.isEmpty else { return }
        files.remove(tenant: tenant.rawValue, blobs: blobs)
        _ = try? await tenants.write(tenant) { db in
            for blob in blobs { try db.execute(sql: "DELETE FROM s3_garbage WHERE blob = ?", arguments: [blob]) }
        }
    }

    static func meta(_ row: Row) -> ObjectMeta {
        ObjectMeta(bucket: row["bucket"], key: row["key"], blob: row["blob"], size: row["size"], etag: row["etag"],
                   contentType: row["content_type"], headers: dict(row["headers"]), metadata: dict(row["metadata"]),
                   checksums: dict(row["checksums"]), partCount: row["part_count"], modified: row["modified_at"])
    }

    static func json(_ d: [String: String]) -> String {
        guard !d.isEmpty, let data = try? JSONEncoder().encode(d) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func dict(_ text: String?) -> [String: String] {
        guard let text, text != "{}" else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }
}
