import Foundation
import Hummingbird
import TradepostCore

/// Large request bodies (a price list, a tenant archive) go to a file as they arrive, never into memory.
enum StreamedUpload {
    /// Writes `body` to `path`, refusing more than `limit` bytes (413) or nothing at all (400, naming
    /// `what` should have been sent); the file is removed when anything fails.
    static func receive(_ body: RequestBody, to path: String, limit: Int, what: String) async throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw AppError(.unavailable, "Cannot store the upload") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        do {
            var total = 0
            for try await buffer in body {
                total += buffer.readableBytes
                if total > limit { throw AppError(.payloadTooLarge, "The file is larger than \(limit / 1_048_576) MiB") }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
            try handle.close()
            if total == 0 { throw AppError.invalid("The body is empty: send \(what) as the body") }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}
