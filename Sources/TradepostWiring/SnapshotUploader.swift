import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TradepostBlobs

/// Uploads a finished snapshot to an S3-compatible store with one signed PutObject (SigV4,
/// UNSIGNED-PAYLOAD over the file streamed from disk: the archive's own SHA-256s are in its
/// manifest). Path-style URLs, so any S3 server works, Tradepost's own included.
struct SnapshotUploader: Sendable {
    /// S3's limit for one PUT; bigger snapshots would need a multipart upload.
    static let maxSinglePut: Int64 = 5 << 30

    let base: URL
    let accessKey: String
    let secretKey: String
    let region: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func upload(_ file: String, as name: String, now: Date = Date()) async throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value else {
            throw Failure(description: "cannot read \(file)")
        }
        guard size <= Self.maxSinglePut else {
            throw Failure(description: "\(name) is larger than 5 GiB, S3's limit for one PUT (multipart upload is not built)")
        }
        guard let host = base.host, let scheme = base.scheme else { throw Failure(description: "bad snapshot.s3_url") }
        let hostHeader = base.port.map { "\(host):\($0)" } ?? host
        let path = base.path.hasSuffix("/") ? base.path + name : base.path + "/" + name
        let encodedPath = SigV4.uriEncode(path, keepSlash: true)
        let amzDate = Self.amzDate(now)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/s3/aws4_request"
        let canonical = ["PUT", encodedPath, "",
                         "host:\(hostHeader)\nx-amz-content-sha256:\(SigV4.unsignedPayload)\nx-amz-date:\(amzDate)\n",
                         "host;x-amz-content-sha256;x-amz-date", SigV4.unsignedPayload].joined(separator: "\n")
        let toSign = SigV4.stringToSign(amzDate: amzDate, scope: scope, hashHex: SigV4.sha256Hex(Array(canonical.utf8)))
        let signature = SigV4.hmacHex(SigV4.signingKey(secret: secretKey, date: day, region: region, service: "s3"), toSign)

        var request = HTTPClientRequest(url: "\(scheme)://\(hostHeader)\(encodedPath)")
        request.method = .PUT
        request.headers.add(name: "x-amz-date", value: amzDate)
        request.headers.add(name: "x-amz-content-sha256", value: SigV4.unsignedPayload)
        request.headers.add(name: "Authorization",
                            value: "\(SigV4.algorithm) Credential=\(accessKey)/\(scope), SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=\(signature)")
        request.headers.add(name: "Content-Type", value: "application/x-tar")
        guard let handle = FileHandle(forReadingAtPath: file) else { throw Failure(description: "cannot open \(file)") }
        defer { try? handle.close() }
        // Pulled a chunk at a time as the connection takes it: memory stays flat for any size.
        let chunks = AsyncThrowingStream<ByteBuffer, any Error>(unfolding: {
            let data = try handle.read(upToCount: 1 << 20) ?? Data()
            return data.isEmpty ? nil : ByteBuffer(bytes: data)
        })
        request.body = .stream(chunks, length: .known(size))

        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(request, timeout: .hours(6))
            let body = try await response.body.collect(upTo: 64 << 10)
            try await client.shutdown()
            guard response.status == .ok else {
                let text = String(buffer: body)
                let code = text.range(of: "<Code>").flatMap { start in text.range(of: "</Code>").map { String(text[start.upperBound..<$0.lowerBound]) } }
                throw Failure(description: "uploading \(name) to \(hostHeader) failed: HTTP \(response.status.code) \(code ?? "")")
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }
}
