import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TradepostBlobs
import TradepostCore

/// CreateMultipartUpload, UploadPart(Copy), CompleteMultipartUpload, ListParts, ListMultipartUploads.
extension S3Responder {
    /// Largest part, as AWS.
    static let maxPartBytes: Int64 = 5 << 30

    func createUpload(_ call: S3Call, _ bucket: String, _ key: String) async throws -> Response {
        let (contentType, headers, metadata) = storedHeaders(call)
        let algorithm = call.header("x-amz-checksum-algorithm")?.uppercased()
        if let algorithm, ChecksumAlgorithm(rawValue: algorithm) == nil {
            throw S3Error.invalidArgument("Checksum algorithm provided is unsupported.", name: "x-amz-checksum-algorithm", value: algorithm)
        }
        let id = try await objects.createUpload(call.tenant, bucket: bucket, key: key, contentType: contentType,
                                                headers: headers, metadata: metadata, checksumAlgorithm: algorithm)
        var x = XMLWriter()
        x.open("InitiateMultipartUploadResult", xmlns: true)
        x.element("Bucket", bucket)
        x.element("Key", key)
        x.element("UploadId", id)
        x.close("InitiateMultipartUploadResult")
        var response = xml(x)
        if let algorithm { response.headers[HTTPField.Name("x-amz-checksum-algorithm")!] = algorithm }
        return response
    }

    func partNumber(_ call: S3Call) throws -> Int {
        let text = call.query.first("partNumber") ?? ""
        guard let n = Int(text), (1...10000).contains(n) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", name: "partNumber", value: text)
        }
        return n
    }

    func uploadPart(_ call: S3Call, _ bucket: String, _ key: String, uploadID: String) async throws -> Response {
        let number = try partNumber(call)
        let upload = try await objects.upload(call.tenant, bucket: bucket, key: key, id: uploadID)
        let algorithm = upload.checksumAlgorithm.flatMap(ChecksumAlgorithm.init(rawValue:))
        if call.header("x-amz-copy-source") != nil {
            return try await uploadPartCopy(call, bucket, key, uploadID: uploadID, number: number)
        }
        let received = try await receive(call, limit: Self.maxPartBytes, extraChecksums: algorithm.map { [$0] } ?? [])
        let keep = requestedChecksums(call).union(algorithm.map { [$0] } ?? [])
        let part = PartMeta(number: number, blob: received.blob, size: received.digests.size, etag: Hex.encode(received.digests.md5),
                            checksums: checksumStrings(received.digests.checksums, keep: keep), modified: Date())
        try await recording(part.blob, in: call.tenant) {
            try await objects.putPart(call.tenant, bucket: bucket, key: key, uploadID: uploadID, part: part, quota: call.grant.quotaBytes)
        }
        var response = Response(status: .ok, headers: [.eTag: "\"\(part.etag)\""])
        for (name, value) in part.checksums { response.headers[HTTPField.Name("x-amz-checksum-" + name.lowercased())!] = value }
        return response
    }

    /// A part copied from an object, whole (a hard link) or a byte range (copied).
    func uploadPartCopy(_ call: S3Call, _ bucket: String, _ key: String, uploadID: String, number: Int) async throws -> Response {
        let (sourceBucket, sourceKey) = try copySource(call)
        let source = try await objects.object(call.tenant, bucket: sourceBucket, key: sourceKey)
        _ = try evaluateConditions(call, source, prefix: "x-amz-copy-source-")
        var part: PartMeta
        if let rangeHeader = call.header("x-amz-copy-source-range") {
            let range = try Self.copySourceRange(rangeHeader, size: source.size)
            let reader = try objects.openBlob(call.tenant, source.blob)
            let writer = try objects.newBlob(call.tenant, checksums: [], sha256: false)
            let digests = try await offload {
                do {
                    try Self.copy(reader, range, into: writer)
                    let digests = writer.digests()
                    try writer.commit()
                    return digests
                } catch {
                    writer.discard()
                    throw error
                }
            }
            part = PartMeta(number: number, blob: writer.id, size: digests.size, etag: Hex.encode(digests.md5), checksums: [:], modified: Date())
        } else {
            let blob = try await offload { [objects, tenant = call.tenant] in try objects.copyBlob(tenant, source.blob) }
            let etag = source.partCount == nil ? source.etag : Hex.encode(try md5(of: blob, tenant: call.tenant))
            part = PartMeta(number: number, blob: blob, size: source.size, etag: etag, checksums: [:], modified: Date())
        }
        try await recording(part.blob, in: call.tenant) {
            try await objects.putPart(call.tenant, bucket: bucket, key: key, uploadID: uploadID, part: part, quota: call.grant.quotaBytes)
        }
        return copyResult("CopyPartResult", modified: part.modified, etag: part.etag)
    }

    /// `x-amz-copy-source-range`: unlike a GET's Range, both offsets are required and the last must
    /// lie inside the source; a range past its end is refused rather than shortened.
    /// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
    static func copySourceRange(_ header: String, size: Int64) throws(S3Error) -> ClosedRange<Int64> {
        let malformed = S3Error.invalidArgument(
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
            name: "x-amz-copy-source-range", value: header)
        guard header.hasPrefix("bytes=") else { throw malformed }
        let bounds = header.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]), first >= 0, last >= first else { throw malformed }
        guard last < size else {
            throw S3Error("InvalidRange", 416, "The requested range is not satisfiable",
                          details: [("RangeRequested", header), ("ActualObjectSize", String(size))])
        }
        return first...last
    }

    /// Copies `range` of an open blob into a new one, a MiB at a time.
    static func copy(_ reader: any BlobSource, _ range: ClosedRange<Int64>, into writer: any BlobSink) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset <= range.upperBound {
            let want = Int(min(Int64(buffer.count), range.upperBound - offset + 1))
            let n = try reader.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset)
            guard n > 0 else { throw BlobBody.ShortRead() }
            try writer.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += Int64(n)
        }
    }

    /// A multipart object's ETag is not its MD5; a part copied from one needs the real digest.
    func md5(of blob: String, tenant: TenantID) throws -> [UInt8] {
        let reader = try objects.openBlob(tenant, blob)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var d = BodyDigests(sha256: false, checksums: [])
        var offset: Int64 = 0
        while true {
            let n = try reader.read(into: buffer, at: offset)
            if n == 0 { break }
            d.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += Int64(n)
        }
        return d.finish().md5
    }

    func completeUpload(_ call: S3Call, _ bucket: String, _ key: String, uploadID: String) async throws -> Response {
        let body = try await call.request.body.collect(upTo: 4 * 1024 * 1024)
        let root = try XMLNode.parse(Array(buffer: body))
        guard root.name == "CompleteMultipartUpload" else { throw S3Error.malformedXML }
        var chosen: [(number: Int, etag: String)] = []
        for part in root.all("Part") {
            guard let number = part.value("PartNumber").flatMap(Int.init), let etag = part.value("ETag") else { throw S3Error.malformedXML }
            chosen.append((number, etag))
        }
        if call.header("if-none-match") == "*", (try? await objects.object(call.tenant, bucket: bucket, key: key)) != nil {
            throw S3Error.preconditionFailed
        }
        let done = try await objects.complete(call.tenant, bucket: bucket, key: key, uploadID: uploadID, chosen: chosen, minPartSize: Self.minPartSize)
        var x = XMLWriter()
        x.open("CompleteMultipartUploadResult", xmlns: true)
        x.element("Location", "/\(bucket)/\(SigV4.uriEncode(key, keepSlash: true))")
        x.element("Bucket", bucket)
        x.element("Key", key)
        x.element("ETag", "\"\(done.etag)\"")
        for (name, value) in done.checksums.sorted(by: { $0.key < $1.key }) { x.element("Checksum" + name, value) }
        x.close("CompleteMultipartUploadResult")
        return xml(x)
    }

    func listParts(_ call: S3Call, _ bucket: String, _ key: String, uploadID: String) async throws -> Response {
        let marker = Int(call.query.first("part-number-marker") ?? "") ?? 0
        let maxParts = min(1000, max(0, Int(call.query.first("max-parts") ?? "") ?? 1000))
        let all = try await objects.parts(call.tenant, bucket: bucket, key: key, uploadID: uploadID).filter { $0.number > marker }
        let page = Array(all.prefix(maxParts))
        var x = XMLWriter()
        x.open("ListPartsResult", xmlns: true)
        x.element("Bucket", bucket)
        x.element("Key", key)
        x.element("UploadId", uploadID)
        x.element("PartNumberMarker", Int64(marker))
        if let last = page.last { x.element("NextPartNumberMarker", Int64(last.number)) }
        x.element("MaxParts", Int64(maxParts))
        x.element("IsTruncated", all.count > page.count ? "true" : "false")
        x.element("StorageClass", "STANDARD")
        for part in page {
            x.open("Part")
            x.element("PartNumber", Int64(part.number))
            x.element("LastModified", HTTPDates.iso(part.modified))
            x.element("ETag", "\"\(part.etag)\"")
            x.element("Size", part.size)
            for (name, value) in part.checksums { x.element("Checksum" + name, value) }
            x.close("Part")
        }
        x.close("ListPartsResult")
        return xml(x)
    }

    func listUploads(_ call: S3Call, _ bucket: String) async throws -> Response {
        let prefix = call.query.first("prefix") ?? ""
        let maxUploads = min(1000, max(0, Int(call.query.first("max-uploads") ?? "") ?? 1000))
        let keyMarker = call.query.first("key-marker") ?? ""
        let all = try await objects.uploads(call.tenant, bucket: bucket, prefix: prefix).filter { keyMarker.isEmpty || $0.key > keyMarker }
        let page = Array(all.prefix(maxUploads))
        var x = XMLWriter()
        x.open("ListMultipartUploadsResult", xmlns: true)
        x.element("Bucket", bucket)
        x.element("KeyMarker", keyMarker)
        x.element("UploadIdMarker", call.query.first("upload-id-marker") ?? "")
        if all.count > page.count, let last = page.last {
            x.element("NextKeyMarker", last.key)
            x.element("NextUploadIdMarker", last.id)
        }
        x.element("Prefix", prefix)
        x.element("MaxUploads", Int64(maxUploads))
        x.element("IsTruncated", all.count > page.count ? "true" : "false")
        for upload in page {
            x.open("Upload")
            x.element("Key", upload.key)
            x.element("UploadId", upload.id)
            x.open("Initiator"); x.element("ID", call.tenant.rawValue); x.element("DisplayName", call.tenant.rawValue); x.close("Initiator")
            owner(&x, call)
            x.element("StorageClass", "STANDARD")
            x.element("Initiated", HTTPDates.iso(upload.created))
            x.close("Upload")
        }
        x.close("ListMultipartUploadsResult")
        return xml(x)
    }
}
