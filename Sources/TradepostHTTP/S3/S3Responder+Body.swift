import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TradepostBlobs
import TradepostCore

/// Receiving an upload: the body streams to a temporary file while its digests run; it becomes a
/// blob only when its length, SHA-256 (when signed), Content-MD5 and checksums all match.
extension S3Responder {
    struct Received {
        let blob: String
        let digests: BlobDigests
    }

    /// The checksum the client asked to be checked, from a header now or a trailer later.
    func requestedChecksums(_ call: S3Call) -> Set<ChecksumAlgorithm> {
        var set = Set<ChecksumAlgorithm>()
        for algorithm in ChecksumAlgorithm.allCases where call.header(algorithm.header) != nil { set.insert(algorithm) }
        if let trailer = call.header("x-amz-trailer"), let algorithm = ChecksumAlgorithm(header: trailer.lowercased()) { set.insert(algorithm) }
        if let named = call.header("x-amz-sdk-checksum-algorithm") ?? call.header("x-amz-checksum-algorithm"),
           let algorithm = ChecksumAlgorithm(rawValue: named.uppercased()) { set.insert(algorithm) }
        return set
    }

    func receive(_ call: S3Call, limit: Int64, extraChecksums: Set<ChecksumAlgorithm> = []) async throws -> Received {
        let payload = call.claim.payloadHash
        let chunked = payload.hasPrefix("STREAMING-")
        let declared: Int64?
        if chunked {
            guard let decoded = call.header("x-amz-decoded-content-length").flatMap(Int64.init) else { throw S3Error.missingContentLength }
            declared = decoded
        } else {
            declared = call.header("content-length").flatMap(Int64.init)
            if declared == nil && call.request.headers[.transferEncoding] == nil { throw S3Error.missingContentLength }
        }
        if let declared, declared > limit { throw S3Error.entityTooLarge }
        if let declared, let quota = call.grant.quotaBytes, try await objects.usage(call.tenant) + declared > quota {
            throw S3Error.quotaExceeded
        }
        let signedHex = payload.count == 64 && payload.allSatisfy(\.isHexDigit) ? payload.lowercased() : nil
        if !chunked && signedHex == nil && payload != SigV4.unsignedPayload {
            throw S3Error.invalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a SHA-256", name: "x-amz-content-sha256", value: payload)
        }
        let sums = requestedChecksums(call).union(extraChecksums)
        let writer = try objects.newBlob(call.tenant, checksums: sums, sha256: signedHex != nil)
        var decoder: AwsChunkedDecoder?
        if chunked {
            let signing: AwsChunkedDecoder.Signing? = payload == SigV4.streamingUnsignedTrailer ? nil
                : .init(key: call.signingKey, amzDate: call.claim.amzDate, scope: call.claim.scope, seedSignature: call.claim.signature)
            decoder = AwsChunkedDecoder(signing: signing, hasTrailer: payload.hasSuffix("-TRAILER"))
        }
        do {
            for try await buffer in call.request.body {
                try buffer.withUnsafeReadableBytes { bytes in
                    if decoder != nil {
                        try decoder!.feed(bytes) { try writer.write($0) }
                    } else {
                        try writer.write(bytes)
                    }
                }
                if writer.size > limit { throw S3Error.entityTooLarge }
            }
            try decoder?.finish()
            if let declared, writer.size != declared { throw S3Error.incompleteBody }
            let result = writer.digests()
            if let signedHex, result.sha256Hex != signedHex { throw S3Error.contentSHA256Mismatch }
            if let md5 = call.header("content-md5") {
                guard let given = Data(base64Encoded: md5), given.count == 16 else { throw S3Error.invalidDigest }
                guard Array(given) == result.md5 else { throw S3Error.badDigest }
            }
            for algorithm in sums {
                guard let expected = call.header(algorithm.header) ?? decoder?.trailers[algorithm.header] else { continue }
                guard expected == result.checksums[algorithm] else { throw S3Error.badDigest }
            }
            try await offload { try writer.commit() }
            return Received(blob: writer.id, digests: result)
        } catch {
            writer.discard()
            throw error
        }
    }

    /// Runs blocking file work (fsync) off Swift's cooperative threads.
    func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Metadata a PUT, a copy with REPLACE, or CreateMultipartUpload stores with the object.
    func storedHeaders(_ call: S3Call) -> (contentType: String, headers: [String: String], metadata: [String: String]) {
        var headers: [String: String] = [:]
        for name in ["cache-control", "content-disposition", "content-encoding", "content-language", "expires"] {
            if var value = call.header(name) {
                if name == "content-encoding" {
                    // aws-chunked is transport framing, not the object's encoding.
                    value = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "aws-chunked" }.joined(separator: ",")
                    if value.isEmpty { continue }
                }
                headers[name] = value
            }
        }
        var metadata: [String: String] = [:]
        for (name, values) in call.signed.headers where name.hasPrefix("x-amz-meta-") {
            metadata[String(name.dropFirst("x-amz-meta-".count))] = values.joined(separator: ",")
        }
        return (call.header("content-type") ?? "binary/octet-stream", headers, metadata)
    }

    func checksumStrings(_ sums: [ChecksumAlgorithm: String], keep: Set<ChecksumAlgorithm>) -> [String: String] {
        var out: [String: String] = [:]
        for (algorithm, value) in sums where keep.contains(algorithm) { out[algorithm.rawValue] = value }
        return out
    }
}
