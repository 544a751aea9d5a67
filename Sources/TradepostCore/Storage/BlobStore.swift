import Foundation

/// The bytes Tradepost keeps for its tenants — S3 buckets and objects, multipart uploads, the
/// app's pictures — and their records. The API and the S3 listener share one instance. Today's
/// implementation keeps files on disk and records in the tenant's database (`TradepostBlobs`); a
/// store over an external S3 cluster would implement this same protocol.
///
/// Writing is two steps: stream the bytes into a `BlobSink` and commit them, then record them
/// (`put`, `putPart`, `setMedia`). Bytes no record names are removed: at once when recording
/// fails (`discardBlob`), or by the sweep at start. Methods throw `BlobError` for what the caller
/// asked wrongly and other errors for failures.
public protocol BlobStore: Sendable {
    // MARK: Bytes

    /// A new blob to stream into. `checksums` and `sha256` are computed as the bytes pass (MD5
    /// always: it is the ETag).
    func newBlob(_ tenant: TenantID, checksums: Set<ChecksumAlgorithm>, sha256: Bool) throws -> any BlobSink
    /// Opens a blob's bytes; they stay readable while open, whatever happens to its record.
    /// Throws `missingBytes`.
    func openBlob(_ tenant: TenantID, _ blob: String) throws -> any BlobSource
    /// A new blob with the same bytes (a copy that costs no bytes where the store can share them).
    func copyBlob(_ tenant: TenantID, _ blob: String) throws -> String
    /// Removes bytes no record names (recording them failed).
    func discardBlob(_ tenant: TenantID, _ blob: String)

    // MARK: Buckets

    func buckets(_ tenant: TenantID) async throws -> [BucketInfo]
    func bucket(_ tenant: TenantID, _ name: String) async throws -> BucketInfo?
    /// Throws `invalidBucketName`, `bucketAlreadyOwned`.
    func createBucket(_ tenant: TenantID, _ name: String) async throws
    /// Aborts the bucket's unfinished uploads. Throws `noSuchBucket`, `bucketNotEmpty`.
    func deleteBucket(_ tenant: TenantID, _ name: String) async throws

    // MARK: Objects

    /// Throws `noSuchBucket`, `noSuchKey`.
    func object(_ tenant: TenantID, bucket: String, key: String) async throws -> ObjectMeta
    /// Records committed bytes as the object, replacing any earlier one, durably. `quota` is the
    /// tenant's limit in bytes (nil: none). `check` runs inside the transaction on the current
    /// object (conditional writes); what it throws is thrown. Throws `noSuchBucket`, `quotaExceeded`
    /// (the old object stays); the caller discards the new bytes on any error.
    func put(_ tenant: TenantID, _ meta: ObjectMeta, quota: Int64?,
             check: @escaping @Sendable (ObjectMeta?) throws -> Void) async throws
    /// Deletes the objects that exist (a missing key is not an error). Throws `noSuchBucket`.
    func delete(_ tenant: TenantID, bucket: String, keys: [String]) async throws
    /// Bytes the tenant stores: objects plus parts of uploads in progress.
    func usage(_ tenant: TenantID) async throws -> Int64
    /// Keys in order after `after` under `prefix`; with a delimiter, keys that have it after the
    /// prefix roll up into one common prefix each. Throws `noSuchBucket`.
    func list(_ tenant: TenantID, bucket: String, prefix: String, delimiter: String?, after: String?, limit: Int) async throws -> ObjectListing

    // MARK: Multipart uploads

    /// Returns the upload id. Throws `noSuchBucket`.
    func createUpload(_ tenant: TenantID, bucket: String, key: String, contentType: String,
                      headers: [String: String], metadata: [String: String], checksumAlgorithm: String?) async throws -> String
    /// Throws `noSuchBucket`, `noSuchUpload` (also when the upload belongs to another key).
    func upload(_ tenant: TenantID, bucket: String, key: String, id: String) async throws -> MultipartUpload
    /// Records committed bytes as a part (replacing one with the same number). Throws
    /// `noSuchUpload`, `quotaExceeded`.
    func putPart(_ tenant: TenantID, bucket: String, key: String, uploadID: String, part: PartMeta, quota: Int64?) async throws
    func parts(_ tenant: TenantID, bucket: String, key: String, uploadID: String) async throws -> [PartMeta]
    /// Uploads in progress in key order, then by start time. Throws `noSuchBucket`.
    func uploads(_ tenant: TenantID, bucket: String, prefix: String) async throws -> [MultipartUpload]
    /// Throws `noSuchUpload`.
    func abort(_ tenant: TenantID, bucket: String, key: String, uploadID: String) async throws
    /// Joins the chosen parts into the object. Completing an upload completed before answers its
    /// first result again. Throws `noParts`, `invalidPartOrder`, `invalidPart`, `partTooSmall`,
    /// `noSuchUpload`.
    func complete(_ tenant: TenantID, bucket: String, key: String, uploadID: String,
                  chosen: [(number: Int, etag: String)], minPartSize: Int64) async throws -> CompletedUpload

    // MARK: Garbage

    /// Removes the bytes that commits elsewhere left unreferenced in `s3_garbage` (a picture
    /// replaced or deleted, its owner deleted: `MediaService` keeps pictures' records).
    func collectGarbage(_ tenant: TenantID) async throws

    // MARK: Upkeep

    /// Start-of-day housekeeping for every tenant: half-written files, bytes no record names
    /// (written before `before`), uploads older than `uploadTTL`. Returns how many files went.
    func sweep(before: Date, uploadTTL: TimeInterval) async -> Int
}

extension BlobStore {
    public func put(_ tenant: TenantID, _ meta: ObjectMeta, quota: Int64?) async throws {
        try await put(tenant, meta, quota: quota, check: { _ in })
    }
}

/// Bytes being written into a new blob, by one task at a time. Nothing is visible until `commit`
/// and then a record naming `id`.
public protocol BlobSink: AnyObject, Sendable {
    var id: String { get }
    /// Bytes written so far.
    var size: Int64 { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// The digests of everything written; call after the last write (to check them before commit).
    func digests() -> BlobDigests
    /// Makes the bytes durable (they survive a crash from here on). Blocks on the disk: call it
    /// off the cooperative threads.
    func commit() throws
    /// Drops an unfinished write; safe after anything.
    func discard()
}

/// An open blob's bytes.
public protocol BlobSource: AnyObject, Sendable {
    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int
}

/// The checksums S3 clients ask for (`x-amz-checksum-*`).
public enum ChecksumAlgorithm: String, Sendable, CaseIterable, Codable {
    case crc32 = "CRC32"
    case crc32c = "CRC32C"
    case crc64nvme = "CRC64NVME"
    case sha1 = "SHA1"
    case sha256 = "SHA256"
}

/// What a blob's bytes hash to.
public struct BlobDigests: Sendable {
    public var size: Int64
    public var md5: [UInt8]
    /// Lowercase hex, when asked for.
    public var sha256Hex: String?
    /// Base64 values by algorithm, as S3 reports them.
    public var checksums: [ChecksumAlgorithm: String]

    public init(size: Int64, md5: [UInt8], sha256Hex: String?, checksums: [ChecksumAlgorithm: String]) {
        (self.size, self.md5, self.sha256Hex, self.checksums) = (size, md5, sha256Hex, checksums)
    }
}
