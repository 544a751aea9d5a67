import Foundation
import Testing
@testable import TradepostBlobs
import TradepostCore
import TradepostDatabase
@testable import TradepostStore

@Suite("Object store")
struct ObjectStoreTests {
    let dir: String
    let tenant = TenantID(Identifier.make())
    let store: ObjectStore

    init() async throws {
        dir = NSTemporaryDirectory() + "blobs-" + UUID().uuidString
        let tenants = try TenantDatabases(dataDir: dir, maxOpen: 4)
        try await tenants.create(tenant)
        store = ObjectStore(dataDir: dir, tenants: tenants)
        try await store.createBucket(tenant, "bucket")
    }

    /// Writes `bytes` as a blob and records it under `key`.
    func put(_ key: String, _ bytes: String = "x") async throws {
        let writer = try store.newBlob(tenant, checksums: [], sha256: false)
        try Array(bytes.utf8).withUnsafeBytes { try writer.write($0) }
        let result = writer.digests()
        try writer.commit()
        try await store.put(tenant, ObjectMeta(bucket: "bucket", key: key, blob: writer.id, size: result.size, etag: Hex.encode(result.md5),
                                               contentType: "text/plain", headers: [:], metadata: [:], checksums: [:], partCount: nil, modified: Date()),
                            quota: nil)
    }

    func files() -> [String] {
        (FileManager.default.enumerator(atPath: "\(dir)/blobs/\(tenant.rawValue)/objects")?.allObjects as? [String] ?? [])
            .filter { $0.count > 3 }
    }

    @Test func listingRollsUpPrefixesAndPagesInByteOrder() async throws {
        for key in ["a", "b/1", "b/2", "b/c/3", "c", "é", "z/9"] { try await put(key) }
        let top = try await store.list(tenant, bucket: "bucket", prefix: "", delimiter: "/", after: nil, limit: 1000)
        #expect(top.objects.map(\.key) == ["a", "c", "é"])
        #expect(top.prefixes == ["b/", "z/"])
        var seen: [String] = []
        var after: String?
        repeat {
            let page = try await store.list(tenant, bucket: "bucket", prefix: "", delimiter: "/", after: after, limit: 2)
            seen += page.objects.map(\.key) + page.prefixes
            after = page.isTruncated ? page.last : nil
        } while after != nil
        #expect(seen.sorted() == ["a", "b/", "c", "z/", "é"])
        let sub = try await store.list(tenant, bucket: "bucket", prefix: "b/", delimiter: "/", after: nil, limit: 1000)
        #expect(sub.objects.map(\.key) == ["b/1", "b/2"] && sub.prefixes == ["b/c/"])
    }

    @Test func overwritesAndDeletesLeaveNoFilesBehind() async throws {
        try await put("k", "one")
        try await put("k", "two")
        #expect(files().count == 1)
        #expect(try await store.bucket(tenant, "bucket")?.bytes == 3)
        try await store.delete(tenant, bucket: "bucket", keys: ["k", "missing"])
        #expect(files().isEmpty)
        #expect(try await store.bucket(tenant, "bucket")?.objects == 0)
        await #expect(throws: BlobError.noSuchKey("k")) { _ = try await store.object(tenant, bucket: "bucket", key: "k") }
    }

    @Test func openBlobsReadThroughReplacementAndCopiesShareBytes() async throws {
        try await put("r", "first bytes")
        let old = try await store.object(tenant, bucket: "bucket", key: "r")
        let reader = try store.openBlob(tenant, old.blob)
        let copy = try store.copyBlob(tenant, old.blob)
        try await put("r", "second")  // the old file is deleted; the open reader still reads it
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try buffer.withUnsafeMutableBytes { try reader.read(into: $0, at: 6) }
        #expect(String(decoding: buffer[0..<n], as: UTF8.self) == "bytes")
        #expect(try buffer.withUnsafeMutableBytes { try store.openBlob(tenant, copy).read(into: $0, at: 0) } == 11)
        #expect(throws: BlobError.missingBytes(old.blob)) { _ = try store.openBlob(tenant, old.blob) }
    }

    @Test func quotaRefusesAndKeepsTheOldObject() async throws {
        try await put("q", "12345")
        let writer = try store.newBlob(tenant, checksums: [], sha256: false)
        let result = writer.digests()
        try writer.commit()
        let meta = ObjectMeta(bucket: "bucket", key: "q", blob: writer.id, size: 100, etag: Hex.encode(result.md5), contentType: "x",
                              headers: [:], metadata: [:], checksums: [:], partCount: nil, modified: Date())
        await #expect(throws: BlobError.quotaExceeded) { try await store.put(tenant, meta, quota: 50) }
        #expect(try await store.object(tenant, bucket: "bucket", key: "q").size == 5)
    }

    @Test func sweepRemovesUncommittedFilesAndTemporaries() async throws {
        try await put("kept")
        let orphan = try store.newBlob(tenant, checksums: [], sha256: false)
        try orphan.commit()  // on disk, never recorded: a crash between rename and commit
        let temporary = try store.newBlob(tenant, checksums: [], sha256: false)
        _ = temporary  // still open in tmp/
        #expect(files().count == 2)
        // The start-of-day sweep: the temporary file and the unrecorded one go, the object stays.
        #expect(await store.sweep(before: Date().addingTimeInterval(5), uploadTTL: 3600) == 2)
        #expect(files().count == 1)
        #expect(try await store.object(tenant, bucket: "bucket", key: "kept").size == 1)
    }

    @Test func namesFollowS3Rules() throws {
        #expect(BlobNames.isValidBucket("my-bucket.2026"))
        for bad in ["ab", "Upper", "a_b", "-a", "a-", "a..b", "10.0.0.1", "xn--abc"] { #expect(!BlobNames.isValidBucket(bad), "\(bad)") }
        #expect(throws: BlobError.invalidKey) { try BlobNames.checkKey("a/../b") }
        #expect(throws: BlobError.invalidKey) { try BlobNames.checkKey("a\u{0}b") }
        #expect(throws: BlobError.keyTooLong) { try BlobNames.checkKey(String(repeating: "k", count: 1025)) }
        #expect(throws: BlobError.emptyKey) { try BlobNames.checkKey("") }
        try BlobNames.checkKey("папка/файл €.txt")
        #expect(BlobFiles(dataDir: dir).path(tenant: tenant.rawValue, blob: "../../etc/passwd") == nil)
    }
}
