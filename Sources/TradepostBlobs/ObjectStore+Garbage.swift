import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Pictures' bytes live in the blob store beside S3 objects (same durable writes, same sweep) but
/// outside any bucket, so no S3 key can delete what the catalog shows; their records are
/// `MediaService`'s. What a commit elsewhere unreferenced is named in `s3_garbage`.
extension ObjectStore {
    /// Deletes the files that commits elsewhere (an owner's deletion) left in `s3_garbage`.
    public func collectGarbage(_ tenant: TenantID) async throws {
        let garbage = try await tenants.read(tenant) { try String.fetchAll($0, sql: "SELECT blob FROM s3_garbage") }
        await collect(tenant, garbage)
    }
}
