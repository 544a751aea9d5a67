import Foundation
import GRDB
import Testing
import TradepostBlobs
import TradepostCore
import TradepostStore
import TradepostTestSupport

/// Pictures are decided for the caller in the transaction that reads or writes their record: the
/// route asks once before an upload for an early refusal, but the write itself decides again.
@Suite("Pictures: the media service decides for the caller")
struct MediaServiceTests {
    let permissions = CallerPermissionTests()

    func picture(_ blobs: ObjectStore, _ tenant: TenantID, _ kind: Media.Kind, owner: String, byte: UInt8) throws -> Media {
        let writer = try blobs.newBlob(tenant, checksums: [], sha256: false)
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, byte]
        try bytes.withUnsafeBytes { try writer.write($0) }
        let result = writer.digests()
        try writer.commit()
        return Media(kind: kind, ownerID: owner, blob: writer.id, contentType: "image/png", size: result.size,
                     etag: Hex.encode(result.md5), modified: Date(timeIntervalSince1970: 1_796_000_000))
    }

    func rows(_ store: Store, _ tenant: TenantID, _ sql: String) async throws -> Int {
        try await store.tenantDatabases.read(tenant) { db in try Int.fetchOne(db, sql: sql)! }
    }

    @Test func onlyWhoMayChangeTheOwnerChangesItsPictureAndWhoMaySeeItSeesIt() async throws {
        let w = try await permissions.world()
        defer { Task { await w.store.remove() } }
        let blobs = ObjectStore(dataDir: w.store.dataDir, tenants: w.store.tenantDatabases)
        let media = SQLiteMediaService(tenants: w.store.tenantDatabases, blobs: blobs, stats: w.store.stats)
        let tenant = w.tenant.id

        // Before any byte: the manager may upload; a member of another business may not; a draft is unseen by them.
        #expect(try await media.uploadTenant(w.manager, .productImage, ownerID: w.published.id) == tenant)
        await #expect(throws: AppError.forbidden()) { _ = try await media.uploadTenant(w.otherMember, .productImage, ownerID: w.published.id) }
        await #expect(throws: AppError.notFound("Product")) { _ = try await media.uploadTenant(w.otherMember, .productImage, ownerID: w.draft.id) }
        await #expect(throws: AppError.forbidden()) { _ = try await media.uploadTenant(w.otherMember, .businessLogo, ownerID: w.seller.id) }

        // The write decides again: a refused write records nothing and audits nothing.
        let audits = try await permissions.auditCount(w)
        let refused = try picture(blobs, tenant, .productImage, owner: w.published.id, byte: 1)
        await #expect(throws: AppError.forbidden()) { try await media.setMedia(w.otherMember, refused) }
        let scoped = await #expect(throws: AppError.self) { try await media.setMedia(w.readOnly, refused) }
        #expect(scoped?.code == .forbidden)
        #expect(try await rows(w.store, tenant, "SELECT count(*) FROM media") == 0)
        #expect(try await permissions.auditCount(w) == audits)

        let first = try picture(blobs, tenant, .productImage, owner: w.published.id, byte: 2)
        try await media.setMedia(w.manager, first)
        #expect(try await media.media(w.otherMember, .productImage, ownerID: w.published.id) == first)
        #expect(try await media.media(w.outsider, .productImage, ownerID: w.published.id) == first)
        #expect(try await permissions.auditCount(w) == audits + 1)

        // A draft's picture is as unseen as the draft.
        let draftPicture = try picture(blobs, tenant, .productImage, owner: w.draft.id, byte: 3)
        try await media.setMedia(w.manager, draftPicture)
        await #expect(throws: AppError.notFound("Product")) { _ = try await media.media(w.otherMember, .productImage, ownerID: w.draft.id) }
        #expect(try await media.media(w.manager, .productImage, ownerID: w.draft.id) == draftPicture)

        // Replacing a picture removes the old bytes once the new record is committed.
        let second = try picture(blobs, tenant, .productImage, owner: w.published.id, byte: 4)
        try await media.setMedia(w.manager, second)
        #expect(throws: BlobError.self) { _ = try blobs.openBlob(tenant, first.blob) }
        _ = try blobs.openBlob(tenant, second.blob)
        #expect(try await rows(w.store, tenant, "SELECT count(*) FROM s3_garbage") == 0)

        // Deleting: refused for others, then done by the manager, then nothing left to delete.
        await #expect(throws: AppError.forbidden()) { _ = try await media.deleteMedia(w.outsider, .productImage, ownerID: w.published.id) }
        #expect(try await media.deleteMedia(w.manager, .productImage, ownerID: w.published.id))
        #expect(try await media.media(w.manager, .productImage, ownerID: w.published.id) == nil)
        #expect(try await !media.deleteMedia(w.manager, .productImage, ownerID: w.published.id))
        #expect(throws: BlobError.self) { _ = try blobs.openBlob(tenant, second.blob) }

        // A missing owner is not found, however allowed the caller.
        let orphan = try picture(blobs, tenant, .businessLogo, owner: "01NOSUCHBUSINESS", byte: 5)
        await #expect(throws: AppError.notFound("Business")) { try await media.setMedia(.system(tenant), orphan) }
    }
}
