import Foundation
import Hummingbird
import TradepostCore

/// Uploads through the API (pictures, files in the bucket browser) into the blob store.
extension AppServices {
    /// Streams the body into a new blob, refusing it past `limit` (413 with `tooLarge`); `check`
    /// sees the first 16 bytes and the size before the blob is made durable; `record` gets the
    /// blob id and digests. The bytes are removed if any step fails.
    func storeBody<T>(
        _ request: Request, tenant: TenantID, limit: Int64, tooLarge: String, headBytes: Int = 16,
        check: ([UInt8], Int64) throws -> Void = { _, _ in },
        record: (String, BlobDigests) async throws -> T
    ) async throws -> T {
        if let length = request.headers[.contentLength].flatMap(Int64.init), length > limit { throw AppError(.payloadTooLarge, tooLarge) }
        let writer = try blobs.newBlob(tenant, checksums: [], sha256: false)
        var head: [UInt8] = []
        let result: BlobDigests
        do {
            for try await buffer in request.body {
                if head.count < headBytes { head += buffer.getBytes(at: buffer.readerIndex, length: min(headBytes - head.count, buffer.readableBytes)) ?? [] }
                try buffer.withUnsafeReadableBytes { try writer.write($0) }
                if writer.size > limit { throw AppError(.payloadTooLarge, tooLarge) }
            }
            try check(head, writer.size)
            result = writer.digests()
            try writer.commit()
        } catch {
            writer.discard()
            throw error
        }
        do {
            return try await record(writer.id, result)
        } catch {
            blobs.discardBlob(tenant, writer.id)
            throw error
        }
    }
}
