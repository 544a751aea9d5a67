import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Pictures' records in the tenant database, beside their owners: the owner's visibility or the
/// caller's right to change it is decided in the transaction that reads or writes the record.
/// Replaced bytes are named in `s3_garbage` in that transaction and removed by the blob store after it.
public final class SQLiteMediaService: MediaService {
    let tenants: TenantDatabases
    let blobs: any BlobStore
    let stats: StoreStats

    public init(tenants: TenantDatabases, blobs: any BlobStore, stats: StoreStats) {
        self.tenants = tenants
        self.blobs = blobs
        self.stats = stats
    }

    public func uploadTenant(_ caller: Caller, _ kind: Media.Kind, ownerID: String) async throws -> TenantID {
        let tenant = try caller.authorize(kind.readAction)
        try await mapErrors(stats) { try await tenants.read(tenant) { db in try Self.requireManage(db, caller, kind, ownerID) } }
        return tenant
    }

    public func media(_ caller: Caller, _ kind: Media.Kind, ownerID: String) async throws -> Media? {
        let tenant = try caller.authorize(kind.readAction)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try Self.requireVisible(db, caller, kind, ownerID)
                return try Row.fetchOne(db, sql: "SELECT * FROM media WHERE owner_kind = ? AND owner_id = ?", arguments: [kind.rawValue, ownerID]).map {
                    Media(kind: kind, ownerID: ownerID, blob: $0["blob"], contentType: $0["content_type"], size: $0["size"],
                          etag: $0["etag"], modified: $0["modified_at"])
                }
            }
        }
    }

    public func setMedia(_ caller: Caller, _ media: Media) async throws {
        let tenant = try caller.authorize(media.kind.readAction)
        let replaced = try await mapErrors(stats) {
            try await tenants.durableWrite(tenant) { db -> String? in
                try Self.requireManage(db, caller, media.kind, media.ownerID)
                let current = try String.fetchOne(db, sql: "SELECT blob FROM media WHERE owner_kind = ? AND owner_id = ?",
                                                  arguments: [media.kind.rawValue, media.ownerID])
                try db.execute(sql: """
                    INSERT OR REPLACE INTO media (owner_kind, owner_id, blob, content_type, size, etag, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [media.kind.rawValue, media.ownerID, media.blob, media.contentType, media.size, media.etag, media.modified])
                if let current { try db.execute(sql: "INSERT OR IGNORE INTO s3_garbage (blob) VALUES (?)", arguments: [current]) }
                try AuditLog.tenant(db, caller.audit, "\(media.kind.auditName).set", target: media.ownerID,
                                    detail: ["content_type": media.contentType, "size": "\(media.size)"])
                return current
            }
        }
        if replaced != nil { try? await blobs.collectGarbage(tenant) }
    }

    public func deleteMedia(_ caller: Caller, _ kind: Media.Kind, ownerID: String) async throws -> Bool {
        let tenant = try caller.authorize(kind.readAction)
        let removed = try await mapErrors(stats) {
            try await tenants.write(tenant) { db -> String? in
                try Self.requireManage(db, caller, kind, ownerID)
                guard let blob = try String.fetchOne(db, sql: "SELECT blob FROM media WHERE owner_kind = ? AND owner_id = ?",
                                                     arguments: [kind.rawValue, ownerID]) else { return nil }
                try db.execute(sql: "DELETE FROM media WHERE owner_kind = ? AND owner_id = ?", arguments: [kind.rawValue, ownerID])
                try db.execute(sql: "INSERT OR IGNORE INTO s3_garbage (blob) VALUES (?)", arguments: [blob])
                try AuditLog.tenant(db, caller.audit, "\(kind.auditName).delete", target: ownerID, detail: [:])
                return blob
            }
        }
        if removed != nil { try? await blobs.collectGarbage(tenant) }
        return removed != nil
    }

    /// The owner as the caller may see it (a product's visibility rules; every business is seen).
    static func requireVisible(_ db: Database, _ caller: Caller, _ kind: Media.Kind, _ ownerID: String) throws {
        switch kind {
        case .productImage: _ = try SQLiteProductService.visible(db, caller, ownerID)
        case .businessLogo: try SQLiteBusinessService.requireBusiness(db, ownerID)
        }
    }

    /// The owner, if the caller may change it: as changing the product or the business itself.
    static func requireManage(_ db: Database, _ caller: Caller, _ kind: Media.Kind, _ ownerID: String) throws {
        switch kind {
        case .productImage: _ = try SQLiteProductService.manageable(db, caller, ownerID)
        case .businessLogo:
            try SQLiteBusinessService.requireBusiness(db, ownerID)
            try CallerFacts.read(db, caller).authorize(.businessUpdate, business: ownerID)
        }
    }
}

extension Media.Kind {
    /// What seeing the owner takes.
    var readAction: Action { self == .productImage ? .catalogRead : .businessesRead }
    var auditName: String { self == .productImage ? "product.image" : "business.logo" }
}
