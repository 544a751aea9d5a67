import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import Logging
import Synchronization
import TradepostBlobs
import TradepostCore
#if canImport(Glibc)
import Glibc
#endif

/// One signed S3 request after authentication: who (the key's tenant), what (bucket, key) and how.
struct S3Call: Sendable {
    let request: Request
    let signed: SigV4.Request
    let claim: SigV4.Claim
    let signingKey: SymmetricKey
    let grant: S3KeyGrant
    let query: Query
    let bucket: String?
    let key: String?
    let requestID: String

    var tenant: TenantID { grant.tenant }
    func header(_ name: String) -> String? { signed.header(name) }
}

/// The S3 API: authenticates every request with SigV4 against the tenant's access keys, works out
/// the bucket and key (path style, or virtual-host style under `s3.domain`), and dispatches on
/// method and sub-resource like S3's own front end. Every failure is S3's XML error.
struct S3Responder: HTTPResponder {
    typealias Context = S3Context
    /// Multipart uploads never completed are removed after a week.
    static let uploadTTL: TimeInterval = 7 * 86400
    /// Largest single PUT, as AWS (5 GiB); bigger objects go through multipart.
    static let maxPutBytes: Int64 = 5 << 30
    /// Smallest part but the last, as AWS (5 MiB).
    static let minPartSize: Int64 = 5 << 20

    let keys: any S3KeyService
    let objects: any BlobStore
    let region: String
    let domain: String
    let logger: Logger
    private let touched = LastUse()
    private let signingKeys = SigningKeyCache()

    init(keys: any S3KeyService, objects: any BlobStore, region: String, domain: String, logger: Logger) {
        self.keys = keys
        self.objects = objects
        self.region = region
        self.domain = domain.lowercased()
        self.logger = logger
    }

    func respond(to request: Request, context: S3Context) async throws -> Response {
        let requestID = Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255) }).uppercased()
        let target = request.head.path ?? "/"
        let (rawPath, rawQuery) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) } ?? (target, "")
        let started = ContinuousClock.now
        var response: Response
        do {
            // A path that is not UTF-8 names no key (raw bytes arrive percent-encoded by RequestHeadGuard).
            guard PercentDecoding.utf8(rawPath) != nil else { throw S3Error.invalidURI }
            let call = try await authenticate(request, rawPath: rawPath, rawQuery: rawQuery, requestID: requestID)
            response = try await dispatch(call)
        } catch let error as S3Error {
            response = errorResponse(error, method: request.method, resource: SigV4.percentDecode(rawPath), requestID: requestID)
        } catch let error as BlobError {
            if case .missingBytes = error { logger.error("s3 request found a record without its bytes", metadata: ["request_id": "\(requestID)", "error": "\(error)"]) }
            response = errorResponse(S3Error(error), method: request.method, resource: SigV4.percentDecode(rawPath), requestID: requestID)
        } catch {
            logger.error("s3 request failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            response = errorResponse(.internalError, method: request.method, resource: SigV4.percentDecode(rawPath), requestID: requestID)
        }
        response.headers[HTTPField.Name("x-amz-request-id")!] = requestID
        response.headers[HTTPField.Name("x-amz-id-2")!] = requestID
        let elapsed = ContinuousClock.now - started
        let millis = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.info("s3", metadata: ["method": "\(request.method.rawValue)", "path": "\(rawPath)", "status": "\(response.status.code)",
                                     "duration_ms": "\((millis * 10).rounded() / 10)", "request_id": "\(requestID)"])
        return response
    }

    func errorResponse(_ error: S3Error, method: HTTPRequest.Method, resource: String, requestID: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/xml"]
        if error.status == 405 { headers[.allow] = "GET, PUT, HEAD, DELETE, POST" }
        // HEAD responses carry no body; clients read the status alone.
        let body = method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(string: error.xml(resource: resource, requestID: requestID)))
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers, body: body)
    }

    /// Finds the key's tenant and secret and checks the signature; anonymous access is refused.
    func authenticate(_ request: Request, rawPath: String, rawQuery: String, requestID: String) async throws -> S3Call {
        var headers: [String: [String]] = [:]
        for field in request.headers { headers[field.name.canonicalName, default: []].append(field.value) }
        let host = request.head.authority ?? ""
        headers["host"] = [host]
        let signed = SigV4.Request(method: request.method.rawValue, rawPath: rawPath, rawQuery: rawQuery, headers: headers)
        let (bucket, objectKey) = address(host: host, rawPath: rawPath)
        let claim: SigV4.Claim, grant: S3KeyGrant, key: SymmetricKey
        if let v4 = try SigV4.claim(signed) {
            guard let found = try await keys.grant(accessKey: v4.accessKey) else { throw S3Error.invalidAccessKeyId }
            (claim, grant) = (v4, found)
            key = try SigV4.verify(claim, secret: grant.secret, request: signed, now: Date(), keys: signingKeys)
        } else if let v2 = try SigV2Presign.claim(signed) {
            guard let found = try await keys.grant(accessKey: v2.accessKey) else { throw S3Error.invalidAccessKeyId }
            let virtualHost = rawPath.hasPrefix("/\(bucket ?? "")") ? nil : bucket
            try SigV2Presign.verify(v2, secret: found.secret, request: signed, bucketFromHost: virtualHost, now: Date())
            // The rest of the listener reads a V4-shaped claim: an unsigned payload, no chunk chain.
            claim = SigV4.Claim(accessKey: v2.accessKey, date: "", region: region, service: "s3", signedHeaders: [], signature: v2.signature,
                                amzDate: "", presigned: true, expires: nil, payloadHash: SigV4.unsignedPayload)
            (grant, key) = (found, SymmetricKey(size: .bits256))
        } else {
            throw S3Error.accessDenied
        }
        guard grant.tenantActive else { throw S3Error.tenantSuspended }
        touch(claim.accessKey)
        if let objectKey { try BlobNames.checkKey(objectKey) }
        return S3Call(request: request, signed: signed, claim: claim, signingKey: key, grant: grant, query: Query(rawQuery),
                      bucket: bucket, key: objectKey, requestID: requestID)
    }

    /// Virtual-host style when the Host is `<bucket>.<s3.domain>`, else path style `/<bucket>/<key>`.
    func address(host: String, rawPath: String) -> (String?, String?) {
        let hostname = (host.split(separator: ":").first.map(String.init) ?? host).lowercased()
        let path = SigV4.percentDecode(rawPath)
        if !domain.isEmpty, hostname.hasSuffix("." + domain) {
            let bucket = String(hostname.dropLast(domain.count + 1))
            let key = String(path.drop(while: { $0 == "/" }).isEmpty ? "" : path.dropFirst())
            return (bucket, key.isEmpty ? nil : key)
        }
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard !trimmed.isEmpty else { return (nil, nil) }
        guard let slash = trimmed.firstIndex(of: "/") else { return (trimmed, nil) }
        let key = String(trimmed[trimmed.index(after: slash)...])
        return (String(trimmed[..<slash]), key.isEmpty ? nil : key)
    }

    /// Records a key's last use at most once a minute.
    func touch(_ accessKey: String) {
        let now = Date()
        let due = touched.seen.withLock { seen -> Bool in
            if let last = seen[accessKey], now.timeIntervalSince(last) < 60 { return false }
            seen[accessKey] = now
            return true
        }
        if due { Task { await keys.touch(accessKey: accessKey) } }
    }

    func dispatch(_ call: S3Call) async throws -> Response {
        let method = call.request.method
        let q = call.query
        guard let bucket = call.bucket else {
            guard method == .get || method == .head else { throw S3Error.methodNotAllowed }
            return try await listBuckets(call)
        }
        guard let key = call.key else {
            // A bucket subresource this store does not have answers NotImplemented whatever the method:
            // taken for the bare bucket, `PUT ?versioning` would be CreateBucket with a strange body.
            if Self.unsupportedBucketQueries.contains(where: q.has) || (method != .get && q.has("versioning")) {
                throw S3Error.notImplemented
            }
            switch method {
            case .put: return try await createBucket(call, bucket)
            case .head:
                guard try await objects.bucket(call.tenant, bucket) != nil else { throw S3Error.noSuchBucket(bucket) }
                return Response(status: .ok, headers: [HTTPField.Name("x-amz-bucket-region")!: region])
            case .delete:
                try await objects.deleteBucket(call.tenant, bucket)
                return Response(status: .noContent)
            case .post where q.has("delete"): return try await deleteObjects(call, bucket)
            case .get:
                if q.has("location") { return try await location(call, bucket) }
                if q.has("versioning") { return try await versioning(call, bucket) }
                if q.has("uploads") { return try await listUploads(call, bucket) }
                if q.has("versions") { return try await listVersions(call, bucket) }
                return try await listObjects(call, bucket, v2: q.first("list-type") == "2")
            default: throw S3Error.methodNotAllowed
            }
        }
        if Self.unsupportedObjectQueries.contains(where: q.has) { throw S3Error.notImplemented }
        // Buckets here are never versioned: an object's only version is "null", as on AWS for a
        // bucket that never had versioning on.
        if let version = q.first("versionId"), version != "null" {
            throw S3Error.invalidArgument("Invalid version id specified", name: "versionId", value: version)
        }
        switch method {
        case .put:
            if let uploadID = q.first("uploadId") { return try await uploadPart(call, bucket, key, uploadID: uploadID) }
            if call.header("x-amz-copy-source") != nil { return try await copyObject(call, bucket, key) }
            return try await putObject(call, bucket, key)
        case .get, .head:
            if method == .get, let uploadID = q.first("uploadId") { return try await listParts(call, bucket, key, uploadID: uploadID) }
            return try await getObject(call, bucket, key, head: method == .head)
        case .delete:
            if let uploadID = q.first("uploadId") {
                try await objects.abort(call.tenant, bucket: bucket, key: key, uploadID: uploadID)
                return Response(status: .noContent)
            }
            try await objects.delete(call.tenant, bucket: bucket, keys: [key])
            return Response(status: .noContent)
        case .post:
            if q.has("uploads") { return try await createUpload(call, bucket, key) }
            if let uploadID = q.first("uploadId") { return try await completeUpload(call, bucket, key, uploadID: uploadID) }
            throw S3Error.methodNotAllowed
        default:
            throw S3Error.methodNotAllowed
        }
    }

    /// Bucket subresources this store does not implement (GetBucketVersioning is answered: never versioned).
    static let unsupportedBucketQueries = [
        "acl", "policy", "policyStatus", "cors", "lifecycle", "tagging", "website", "replication", "encryption", "notification",
        "logging", "object-lock", "ownershipControls", "publicAccessBlock", "accelerate", "requestPayment", "analytics", "inventory",
        "metrics", "intelligent-tiering",
    ]
    /// Object subresources this store does not implement: tags, ACLs, retention, S3 Select, restore, attributes.
    static let unsupportedObjectQueries = ["tagging", "acl", "retention", "legal-hold", "torrent", "select", "restore", "attributes"]

    /// Records a freshly written blob with `body`; if that fails, the blob's file goes too.
    func recording(_ blob: String, in tenant: TenantID, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            objects.discardBlob(tenant, blob)
            throw error
        }
    }

    /// CopyObjectResult / CopyPartResult.
    func copyResult(_ element: String, modified: Date, etag: String) -> Response {
        var x = XMLWriter()
        x.open(element, xmlns: true)
        x.element("LastModified", HTTPDates.iso(modified))
        x.element("ETag", "\"\(etag)\"")
        x.close(element)
        return xml(x)
    }

    func xml(_ writer: XMLWriter, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/xml"], body: .init(byteBuffer: ByteBuffer(string: writer.document)))
    }
}

/// When each key was last recorded as used (shared by copies of the responder).
final class LastUse: Sendable {
    let seen = Mutex<[String: Date]>([:])
}
