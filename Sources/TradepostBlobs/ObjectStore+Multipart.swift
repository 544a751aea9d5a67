import Crypto
import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Multipart uploads: parts are blobs of their own until Complete joins them into one file.
extension ObjectStore {
    public func createUpload(_ tenant: TenantID, bucket: String, key: String, contentType: String,
                             headers: [String: String], metadata: [String: String], checksumAlgorithm: String?) async throws -> String {
        let id = BlobFiles.newBlobID() + BlobFiles.newBlobID()
        try await tenants.write(tenant) { db in
            try Self.requireBucket(db, bucket)
            try db.execute(sql: """
                INSERT INTO s3_uploads (id, bucket, key, content_type, headers, metadata, checksum_algorithm, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, bucket, key, contentType, Self.json(headers), Self.json(metadata), checksumAlgorithm, Date()])
        }
        return id
    }

    /// Throws NoSuchBucket or NoSuchUpload (also when the upload belongs to another key).
    public func upload(_ tenant: TenantID, bucket: String, key: String, id: String) async throws -> MultipartUpload {
        try await tenants.read(tenant) { db in try Self.upload(db, bucket: bucket, key: key, id: id) }
    }

    static func upload(_ db: Database, bucket: String, key: String, id: String) throws -> MultipartUpload {
        try requireBucket(db, bucket)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM s3_uploads WHERE id = ? AND bucket = ? AND key = ?", arguments: [id, bucket, key]) else {
            throw BlobError.noSuchUpload(id)
        }
        return uploadRow(row)
    }

    static func uploadRow(_ row: Row) -> MultipartUpload {
        MultipartUpload(id: row["id"], bucket: row["bucket"], key: row["key"], contentType: row["content_type"],
                        headers: dict(row["headers"]), metadata: dict(row["metadata"]),
                        checksumAlgorithm: row["checksum_algorithm"], created: row["created_at"])
    }

    /// Records a written part (replacing one with the same number). Throws NoSuchUpload, QuotaExceeded.
    public func putPart(_ tenant: TenantID, bucket: String, key: String, uploadID: String, part: PartMeta, quota: Int64?) async throws {
        let old = try await tenants.durableWrite(tenant) { db -> String? in
            _ = try Self.upload(db, bucket: bucket, key: key, id: uploadID)
            let current = try Row.fetchOne(db, sql: "SELECT blob, size FROM s3_parts WHERE upload_id = ? AND number = ?", arguments: [uploadID, part.number])
            if let quota, try Self.usage(db) - (current?["size"] ?? 0) + part.size > quota { throw BlobError.quotaExceeded }
            try db.execute(sql: """
                INSERT OR REPLACE INTO s3_parts (upload_id, number, blob, size, etag, checksums, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [uploadID, part.number, part.blob, part.size, part.etag, Self.json(part.checksums), part.modified])
            let blob: String? = current?["blob"]
            if let blob { try Self.toGarbage(db, [blob]) }
            return blob
        }
        if let old { await collect(tenant, [old]) }
    }

    public func parts(_ tenant: TenantID, bucket: String, key: String, uploadID: String) async throws -> [PartMeta] {
        try await tenants.read(tenant) { db in
            _ = try Self.upload(db, bucket: bucket, key: key, id: uploadID)
            return try Row.fetchAll(db, sql: "SELECT * FROM s3_parts WHERE upload_id = ? ORDER BY number", arguments: [uploadID]).map {
                PartMeta(number: $0["number"], blob: $0["blob"], size: $0["size"], etag: $0["etag"],
                         checksums: Self.dict($0["checksums"]), modified: $0["modified_at"])
            }
        }
    }

    /// Uploads in progress in key order, then by start time.
    public func uploads(_ tenant: TenantID, bucket: String, prefix: String) async throws -> [MultipartUpload] {
        try await tenants.read(tenant) { db in
            try Self.requireBucket(db, bucket)
            return try Row.fetchAll(db, sql: "SELECT * FROM s3_uploads WHERE bucket = ? AND key >= ? AND key < ? ORDER BY key, created_at, id LIMIT 10000",
                                    arguments: [bucket, prefix, prefix + "\u{10FFFF}"]).map(Self.uploadRow)
        }
    }

    public func abort(_ tenant: TenantID, bucket: String, key: String, uploadID: String) async throws {
        let garbage = try await tenants.write(tenant) { db -> [String] in
            _ = try Self.upload(db, bucket: bucket, key: key, id: uploadID)
            let blobs = try String.fetchAll(db, sql: "SELECT blob FROM s3_parts WHERE upload_id = ?", arguments: [uploadID])
            try Self.toGarbage(db, blobs)
            try db.execute(sql: "DELETE FROM s3_uploads WHERE id = ?", arguments: [uploadID])
            return blobs
        }
        await collect(tenant, garbage)
    }

    /// Joins the chosen parts (ascending numbers, ETags matching, every part but the last ≥ 5 MiB)
    /// into one file and records it as the object; the upload and its parts go away in the same
    /// commit, and the upload is remembered as completed. Completing an upload that was completed
    /// already answers its first result again (clients retry completions whose answer they missed).
    /// Throws InvalidPart, InvalidPartOrder, EntityTooSmall, NoSuchUpload.
    public func complete(_ tenant: TenantID, bucket: String, key: String, uploadID: String,
                         chosen: [(number: Int, etag: String)], minPartSize: Int64) async throws -> CompletedUpload {
        do {
            return try await join(tenant, bucket: bucket, key: key, uploadID: uploadID, chosen: chosen, minPartSize: minPartSize)
        } catch {
            // Completed before, or by a concurrent completion that committed first while this one
            // was reading the parts it removed (NoSuchUpload, InvalidPart, a vanished part file).
            let done = try await tenants.read(tenant) { db in
                try Row.fetchOne(db, sql: "SELECT etag, checksums FROM s3_completed_uploads WHERE id = ? AND bucket = ? AND key = ?",
                                 arguments: [uploadID, bucket, key])
                    .map { CompletedUpload(etag: $0["etag"], checksums: Self.dict($0["checksums"])) }
            }
            guard let done else { throw error }
            return done
        }
    }

    private func join(_ tenant: TenantID, bucket: String, key: String, uploadID: String,
                      chosen: [(number: Int, etag: String)], minPartSize: Int64) async throws -> CompletedUpload {
        guard !chosen.isEmpty else { throw BlobError.noParts }
        for i in 1..<max(1, chosen.count) where chosen[i].number <= chosen[i - 1].number { throw BlobError.invalidPartOrder }
        let upload = try await self.upload(tenant, bucket: bucket, key: key, id: uploadID)
        let stored = Dictionary(uniqueKeysWithValues: try await parts(tenant, bucket: bucket, key: key, uploadID: uploadID).map { ($0.number, $0) })
        var selected: [PartMeta] = []
        for choice in chosen {
            guard let part = stored[choice.number], part.etag == choice.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) else {
                throw BlobError.invalidPart
            }
            selected.append(part)
        }
        if selected.dropLast().contains(where: { $0.size < minPartSize }) { throw BlobError.partTooSmall }
        // Join outside any transaction: copying gigabytes must not hold the writer.
        let writer = try files.writer(tenant: tenant.rawValue, digests: BodyDigests(sha256: false, checksums: []))
        var md5s: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        for part in selected {
            guard let path = files.path(tenant: tenant.rawValue, blob: part.blob) else { throw BlobError.missingBytes(part.blob) }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw BlobError.invalidPart }
            defer { close(fd) }
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0 && errno == EINTR { continue }
                guard n >= 0 else { throw BlobIOError("read failed") }
                if n == 0 { break }
                try writer.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            md5s += Self.hexBytes(part.etag)
        }
        let result = writer.digests()
        try writer.commit()
        let etag = Hex.encode(Array(Insecure.MD5.hash(data: md5s))) + "-\(selected.count)"
        var checksums: [String: String] = [:]
        if let algorithm = upload.checksumAlgorithm, let alg = ChecksumAlgorithm(rawValue: algorithm),
           selected.allSatisfy({ $0.checksums[alg.rawValue] != nil }) {
            // S3's composite checksum: the checksum of the parts' checksums, "-<parts>".
            var d = BodyDigests(sha256: false, checksums: [alg])
            for part in selected {
                let raw = Array(Data(base64Encoded: part.checksums[alg.rawValue]!) ?? Data())
                raw.withUnsafeBytes { d.update($0) }
            }
            if let v = d.finish().checksums[alg] { checksums[alg.rawValue] = v + "-\(selected.count)" }
        }
        let composite = checksums
        let meta = ObjectMeta(bucket: bucket, key: key, blob: writer.id, size: result.size, etag: etag,
                              contentType: upload.contentType, headers: upload.headers, metadata: upload.metadata,
                              checksums: checksums, partCount: selected.count, modified: Date())
        let garbage: [String]
        do {
            garbage = try await tenants.durableWrite(tenant) { db -> [String] in
                _ = try Self.upload(db, bucket: bucket, key: key, id: uploadID)
                let current = try Row.fetchOne(db, sql: "SELECT * FROM s3_objects WHERE bucket = ? AND key = ?", arguments: [bucket, key]).map(Self.meta)
                try Self.upsert(db, meta, replacing: current)
                var blobs = try String.fetchAll(db, sql: "SELECT blob FROM s3_parts WHERE upload_id = ?", arguments: [uploadID])
                if let current { blobs.append(current.blob) }
                try Self.toGarbage(db, blobs)
                try db.execute(sql: "DELETE FROM s3_uploads WHERE id = ?", arguments: [uploadID])
                try db.execute(sql: "INSERT INTO s3_completed_uploads (id, bucket, key, etag, checksums, completed_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [uploadID, bucket, key, etag, Self.json(composite), meta.modified])
                return blobs
            }
        } catch {
            files.remove(tenant: tenant.rawValue, blob: writer.id)
            throw error
        }
        await collect(tenant, garbage)
        return CompletedUpload(etag: etag, checksums: composite)
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        let u = Array(hex.utf8)
        guard u.count % 2 == 0 else { return [] }
        return stride(from: 0, to: u.count, by: 2).compactMap { UInt8(String(decoding: u[$0..<($0 + 2)], as: UTF8.self), radix: 16) }
    }

    /// Start-of-day housekeeping: temporary files of writes that never finished, then each tenant
    /// whose database exists (`sweep(_:before:uploadTTL:)`). Returns how many files went.
    public func sweep(before: Date, uploadTTL: TimeInterval) async -> Int {
        var removed = files.cleanTemporaryFiles()
        for tenant in (try? FileManager.default.contentsOfDirectory(atPath: files.root)) ?? [] {
            let id = TenantID(tenant)
            guard FileManager.default.fileExists(atPath: tenants.path(for: id)) else { continue }
            removed += (try? await sweep(id, before: before, uploadTTL: uploadTTL)) ?? 0
        }
        return removed
    }

    /// One tenant's housekeeping: files left in `s3_garbage`, files no row names (written before a
    /// crash, never committed; only those older than `before`), and multipart uploads older than
    /// `uploadTTL`. Returns how many files it removed.
    func sweep(_ tenant: TenantID, before: Date, uploadTTL: TimeInterval) async throws -> Int {
        let cutoff = Date().addingTimeInterval(-uploadTTL)
        let expired = try await tenants.read(tenant) { db in
            try Row.fetchAll(db, sql: "SELECT id, bucket, key FROM s3_uploads WHERE created_at < ?", arguments: [cutoff])
                .map { ($0["id"] as String, $0["bucket"] as String, $0["key"] as String) }
        }
        for (id, bucket, key) in expired { try? await abort(tenant, bucket: bucket, key: key, uploadID: id) }
        try await tenants.write(tenant) { db in
            try db.execute(sql: "DELETE FROM s3_completed_uploads WHERE completed_at < ?", arguments: [cutoff])
        }
        let garbage = try await tenants.read(tenant) { try String.fetchAll($0, sql: "SELECT blob FROM s3_garbage") }
        await collect(tenant, garbage)
        let onDisk = files.blobIDs(tenant: tenant.rawValue, olderThan: before)
        guard !onDisk.isEmpty else { return garbage.count }
        let referenced = try await tenants.read(tenant) { db in
            Set(try String.fetchAll(db, sql: """
                SELECT blob FROM s3_objects UNION ALL SELECT blob FROM s3_parts UNION ALL SELECT blob FROM media
                UNION ALL SELECT pdf_blob FROM invoices WHERE pdf_blob IS NOT NULL
                UNION ALL SELECT pdf_blob FROM credit_notes WHERE pdf_blob IS NOT NULL
                UNION ALL SELECT blob FROM message_attachments UNION ALL SELECT blob FROM salesperson_identities
                """))
        }
        let orphans = onDisk.filter { !referenced.contains($0) }
        files.remove(tenant: tenant.rawValue, blobs: orphans)
        return garbage.count + orphans.count
    }
}
