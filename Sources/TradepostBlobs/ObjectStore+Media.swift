import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

extension Media.Kind {
    var ownerTable: String { self == .productImage ? "products" : "businesses" }
}

/// The app's pictures live in the blob store beside S3 objects (same durable writes, same sweep)
/// but outside any bucket, so no S3 key can delete what the catalog shows.
extension ObjectStore {
    /// Records a written blob as the owner's picture, replacing any earlier one. Throws `.notFound`
    /// when the owner does not exist (the caller removes the new blob).
    public func setMedia(_ tenant: TenantID, _ media: Media) async throws {
        let old = try await durableWrite(tenant) { db -> String? in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM \(media.kind.ownerTable) WHERE id = ?", arguments: [media.ownerID]) != nil else {
                throw AppError.notFound(media.kind.ownerName)
            }
            let current = try String.fetchOne(db, sql: "SELECT blob FROM media WHERE owner_kind = ? AND owner_id = ?",
                                              arguments: [media.kind.rawValue, media.ownerID])
            try db.execute(sql: """
                INSERT OR REPLACE INTO media (owner_kind, owner_id, blob, content_type, size, etag, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [media.kind.rawValue, media.ownerID, media.blob, media.contentType, media.size, media.etag, media.modified])
            if let current { try Self.toGarbage(db, [current]) }
            return current
        }
        if let old { await collect(tenant, [old]) }
    }

    public func media(_ tenant: TenantID, _ kind: Media.Kind, ownerID: String) async throws -> Media? {
        try await tenants.read(tenant) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM media WHERE owner_kind = ? AND owner_id = ?", arguments: [kind.rawValue, ownerID]).map {
                Media(kind: kind, ownerID: ownerID, blob: $0["blob"], contentType: $0["content_type"], size: $0["size"],
                      etag: $0["etag"], modified: $0["modified_at"])
            }
        }
    }

    /// Removes the owner's picture; returns whether there was one.
    @discardableResult
    public func deleteMedia(_ tenant: TenantID, _ kind: Media.Kind, ownerID: String) async throws -> Bool {
        let blob = try await tenants.write(tenant) { db -> String? in
            let blob = try String.fetchOne(db, sql: "SELECT blob FROM media WHERE owner_kind = ? AND owner_id = ?", arguments: [kind.rawValue, ownerID])
            try db.execute(sql: "DELETE FROM media WHERE owner_kind = ? AND owner_id = ?", arguments: [kind.rawValue, ownerID])
            if let blob { try Self.toGarbage(db, [blob]) }
            return blob
        }
        if let blob { await collect(tenant, [blob]) }
        return blob != nil
    }

    /// Deletes the files that commits elsewhere (an owner's deletion) left in `s3_garbage`.
    public func collectGarbage(_ tenant: TenantID) async throws {
        let garbage = try await tenants.read(tenant) { try String.fetchAll($0, sql: "SELECT blob FROM s3_garbage") }
        await collect(tenant, garbage)
    }
}
