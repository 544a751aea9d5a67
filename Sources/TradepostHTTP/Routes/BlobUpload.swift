import Foundation
import Hummingbird
import TradepostBlobs
import TradepostCore

/// Uploads through the API (pictures, files in the bucket browser) into the blob store.
extension AppServices {
    /// The tenant plan's storage quota in bytes; nil means none.
    func storageQuota(_ tenant: TenantID) async throws -> Int64? {
        let plan = try await tenants.tenant(id: tenant).plan
        return try await tenants.plans().first { $0.slug == plan }?.storageQuotaBytes
    }

    /// Streams the body into a new blob, refusing it past `limit` (413 with `tooLarge`); `check`
    /// sees the first 16 bytes and the size before the blob is made durable; `record` gets the
    /// blob id and digests. The file is removed if any step fails.
    func storeBody<T>(
        _ request: Request, tenant: TenantID, limit: Int64, tooLarge: String,
        check: ([UInt8], Int64) throws -> Void = { _, _ in },
        record: (String, BodyDigests.Result) async throws -> T
    ) async throws -> T {
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > limit { throw AppError(.payloadTooLarge, tooLarge) }
        let writer = try blobs.files.writer(tenant: tenant.rawValue, digests: BodyDigests(sha256: false, checksums: []))
        var head: [UInt8] = []
        let result: BodyDigests.Result
        do {
            for try await buffer in request.body {
                if head.count < 16 { head += buffer.getBytes(at: buffer.readerIndex, length: min(16 - head.count, buffer.readableBytes)) ?? [] }
                try buffer.withUnsafeReadableBytes { try writer.write($0) }
                if writer.digests.size > limit { throw AppError(.payloadTooLarge, tooLarge) }
            }
            try check(head, writer.digests.size)
            result = try writer.commit()
        } catch {
            writer.discard()
            throw error
        }
        do {
            return try await record(writer.id, result)
        } catch {
            blobs.files.remove(tenant: tenant.rawValue, blob: writer.id)
            throw error
        }
    }
}
