import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TradepostBlobs
import TradepostCore
#if canImport(Glibc)
import Glibc
#endif

/// PutObject, GetObject, HeadObject and CopyObject.
extension S3Responder {
    func putObject(_ call: S3Call, _ bucket: String, _ key: String) async throws -> Response {
        guard try await objects.bucket(call.tenant, bucket) != nil else { throw S3Error.noSuchBucket(bucket) }
        let received = try await receive(call, limit: Self.maxPutBytes)
        let (contentType, headers, metadata) = storedHeaders(call)
        let keep = requestedChecksums(call)
        let meta = ObjectMeta(bucket: bucket, key: key, blob: received.blob, size: received.digests.size,
                              etag: Hex.encode(received.digests.md5), contentType: contentType, headers: headers, metadata: metadata,
                              checksums: checksumStrings(received.digests.checksums, keep: keep), partCount: nil, modified: Date())
        let ifMatch = call.header("if-match"), ifNoneMatch = call.header("if-none-match")
        try await recording(meta.blob, in: call.tenant) {
            try await objects.put(call.tenant, meta, quota: call.grant.quotaBytes) { current in
                // Conditional writes (S3 since 2024): create-only, or replace only what was read.
                if ifNoneMatch == "*" && current != nil { throw S3Error.preconditionFailed }
                if let ifMatch, current == nil || !ByteRanges.etagMatches(ifMatch, current!.etag) {
                    if current == nil { throw S3Error.noSuchKey(meta.key) }
                    throw S3Error.preconditionFailed
                }
            }
        }
        var response = Response(status: .ok, headers: [.eTag: "\"\(meta.etag)\""])
        for (name, value) in meta.checksums { response.headers[HTTPField.Name("x-amz-checksum-" + name.lowercased())!] = value }
        return response
    }

    /// RFC 9110 conditionals, with S3's precedence: If-Match beats If-Unmodified-Since, and
    /// If-None-Match beats If-Modified-Since. Returns 304 for GET/HEAD, throws 412.
    func evaluateConditions(_ call: S3Call, _ meta: ObjectMeta, prefix: String = "") throws -> Bool {
        let modified = meta.modified.timeIntervalSince1970.rounded(.down)
        if let ifMatch = call.header(prefix + "if-match") {
            if !ByteRanges.etagMatches(ifMatch, meta.etag) { throw S3Error.preconditionFailed }
        } else if let text = call.header(prefix + "if-unmodified-since"), let date = HTTPDates.parseHTTP(text), modified > date.timeIntervalSince1970 {
            throw S3Error.preconditionFailed
        }
        if let ifNoneMatch = call.header(prefix + "if-none-match") {
            if ByteRanges.etagMatches(ifNoneMatch, meta.etag) {
                if prefix.isEmpty { return true }
                throw S3Error.preconditionFailed
            }
        } else if let text = call.header(prefix + "if-modified-since"), let date = HTTPDates.parseHTTP(text), modified <= date.timeIntervalSince1970 {
            if prefix.isEmpty { return true }
            throw S3Error.preconditionFailed
        }
        return false
    }

    func objectHeaders(_ meta: ObjectMeta, call: S3Call) -> HTTPFields {
        var h: HTTPFields = [.eTag: "\"\(meta.etag)\"", .lastModified: HTTPDates.http(meta.modified), .acceptRanges: "bytes",
                             .contentType: meta.contentType]
        for (name, value) in meta.headers { h[HTTPField.Name(name)!] = value }
        for (name, value) in meta.metadata.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name("x-amz-meta-" + name) { h[field] = value }
        }
        if let parts = meta.partCount { h[HTTPField.Name("x-amz-mp-parts-count")!] = String(parts) }
        if call.header("x-amz-checksum-mode")?.uppercased() == "ENABLED" {
            for (name, value) in meta.checksums { h[HTTPField.Name("x-amz-checksum-" + name.lowercased())!] = value }
        }
        // response-* query parameters override what is stored (signed requests only, as on S3).
        let overrides: [(String, HTTPField.Name)] = [("response-content-type", .contentType), ("response-content-language", .contentLanguage),
            ("response-expires", .expires), ("response-cache-control", .cacheControl),
            ("response-content-disposition", .contentDisposition), ("response-content-encoding", .contentEncoding)]
        for (parameter, field) in overrides { if let value = call.query.first(parameter) { h[field] = value } }
        return h
    }

    func getObject(_ call: S3Call, _ bucket: String, _ key: String, head: Bool) async throws -> Response {
        let meta = try await objects.object(call.tenant, bucket: bucket, key: key)
        var headers = objectHeaders(meta, call: call)
        if try evaluateConditions(call, meta) {
            headers[.contentType] = nil
            for algorithm in ChecksumAlgorithm.allCases { headers[HTTPField.Name(algorithm.header)!] = nil }
            return Response(status: .notModified, headers: headers)
        }
        var range: ClosedRange<Int64>?
        if let header = call.header("range") {
            do {
                range = try ByteRanges.parse(header, size: meta.size)
            } catch {
                throw S3Error("InvalidRange", 416, "The requested range is not satisfiable",
                              details: [("RangeRequested", header), ("ActualObjectSize", String(meta.size))])
            }
            if let range {
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(meta.size)"
                // The stored checksums are of the whole object, not of this slice.
                for algorithm in ChecksumAlgorithm.allCases { headers[HTTPField.Name(algorithm.header)!] = nil }
            }
        }
        let start = range?.lowerBound ?? 0
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? meta.size
        headers[.contentLength] = String(length)
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        if head { return Response(status: status, headers: headers, body: ResponseBody()) }
        // Opened now: a delete or overwrite during the transfer cannot cut it short. Bytes gone
        // since the lookup were deleted in between.
        let source: any BlobSource
        do { source = try objects.openBlob(call.tenant, meta.blob) } catch BlobError.missingBytes { throw S3Error.noSuchKey(key) }
        return Response(status: status, headers: headers, body: try BlobBody.make(source, from: start, length: length))
    }

    func copySource(_ call: S3Call) throws -> (bucket: String, key: String) {
        var source = SigV4.percentDecode(call.header("x-amz-copy-source") ?? "")
        if let q = source.range(of: "?versionId=") { source = String(source[..<q.lowerBound]) }
        if source.hasPrefix("/") { source.removeFirst() }
        guard let slash = source.firstIndex(of: "/"), slash != source.startIndex else {
            throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey", name: "x-amz-copy-source")
        }
        let key = String(source[source.index(after: slash)...])
        try BlobNames.checkKey(key)
        return (String(source[..<slash]), key)
    }

    func copyObject(_ call: S3Call, _ bucket: String, _ key: String) async throws -> Response {
        let (sourceBucket, sourceKey) = try copySource(call)
        let source = try await objects.object(call.tenant, bucket: sourceBucket, key: sourceKey)
        _ = try evaluateConditions(call, source, prefix: "x-amz-copy-source-")
        guard try await objects.bucket(call.tenant, bucket) != nil else { throw S3Error.noSuchBucket(bucket) }
        let replace = call.header("x-amz-metadata-directive")?.uppercased() == "REPLACE"
        if sourceBucket == bucket && sourceKey == key && !replace {
            throw S3Error.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
        }
        var meta = source
        (meta.bucket, meta.key, meta.modified) = (bucket, key, Date())
        if replace { (meta.contentType, meta.headers, meta.metadata) = storedHeaders(call) }
        meta.blob = try await offload { [objects, tenant = call.tenant] in try objects.copyBlob(tenant, source.blob) }
        try await recording(meta.blob, in: call.tenant) { try await objects.put(call.tenant, meta, quota: call.grant.quotaBytes) }
        return copyResult("CopyObjectResult", modified: meta.modified, etag: meta.etag)
    }
}
