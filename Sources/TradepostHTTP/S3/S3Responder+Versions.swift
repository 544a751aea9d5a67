import Foundation
import Hummingbird
import TradepostBlobs
import TradepostCore

/// ListObjectVersions on buckets that are never versioned, as AWS answers it for a bucket that never
/// had versioning on: every object once, with `VersionId` "null" and `IsLatest`, and no delete
/// markers. Tools that empty or mirror a bucket (`aws s3 rb --force` with versions, rclone,
/// boto3's `bucket.object_versions.delete()`) list versions first.
/// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
extension S3Responder {
    func listVersions(_ call: S3Call, _ bucket: String) async throws -> Response {
        let q = call.query
        let params = try ListParameters(q)
        let keyMarker = q.first("key-marker").flatMap { $0.isEmpty ? nil : $0 }
        if let versionMarker = q.first("version-id-marker"), !versionMarker.isEmpty {
            guard keyMarker != nil else {
                throw S3Error.invalidArgument("A version-id marker cannot be specified without a key marker.", name: "version-id-marker", value: versionMarker)
            }
            guard versionMarker == "null" else {
                throw S3Error.invalidArgument("Invalid version id specified", name: "version-id-marker", value: versionMarker)
            }
        }
        // Each key has one version, so a page that ended on a key ended on its only version: the
        // next starts after the key, whatever the version marker.
        let listing = try await objects.list(call.tenant, bucket: bucket, prefix: params.prefix, delimiter: params.delimiter,
                                             after: keyMarker, limit: params.maxKeys)
        let out = params.output
        var x = XMLWriter()
        x.open("ListVersionsResult", xmlns: true)
        x.element("Name", bucket)
        x.element("Prefix", out(params.prefix))
        x.element("KeyMarker", out(keyMarker ?? ""))
        x.element("VersionIdMarker", q.first("version-id-marker") ?? "")
        if listing.isTruncated, let last = listing.last {
            x.element("NextKeyMarker", out(last))
            x.element("NextVersionIdMarker", "null")
        }
        x.element("MaxKeys", Int64(params.maxKeys))
        if let delimiter = params.delimiter { x.element("Delimiter", out(delimiter)) }
        if let encoding = params.encoding { x.element("EncodingType", encoding) }
        x.element("IsTruncated", listing.isTruncated ? "true" : "false")
        entries(&x, listing, element: "Version", call: call, withOwner: true, out: out, version: true)
        x.close("ListVersionsResult")
        return xml(x)
    }
}

extension S3Responder {
    /// A listing's objects (as `Contents`, or as each one's only `Version`) and its common prefixes.
    func entries(_ x: inout XMLWriter, _ listing: ObjectListing, element: String, call: S3Call, withOwner: Bool,
                 out: (String) -> String, version: Bool = false) {
        for object in listing.objects {
            x.open(element)
            x.element("Key", out(object.key))
            if version {
                x.element("VersionId", "null")
                x.element("IsLatest", "true")
            }
            x.element("LastModified", HTTPDates.iso(object.modified))
            x.element("ETag", "\"\(object.etag)\"")
            x.element("Size", object.size)
            if withOwner { owner(&x, call) }
            x.element("StorageClass", "STANDARD")
            x.close(element)
        }
        for prefix in listing.prefixes {
            x.open("CommonPrefixes")
            x.element("Prefix", out(prefix))
            x.close("CommonPrefixes")
        }
    }
}

/// The parameters every listing reads the same way: prefix, delimiter, max-keys, encoding-type.
struct ListParameters {
    var prefix: String
    var delimiter: String?
    var maxKeys: Int
    var encoding: String?

    init(_ q: Query) throws {
        prefix = q.first("prefix") ?? ""
        delimiter = q.first("delimiter").flatMap { $0.isEmpty ? nil : $0 }
        encoding = q.first("encoding-type")
        if let encoding, encoding != "url" {
            throw S3Error.invalidArgument("Invalid Encoding Method specified in Request", name: "encoding-type", value: encoding)
        }
        maxKeys = 1000
        if let text = q.first("max-keys") {
            guard let n = Int(text), n >= 0 else {
                throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range", name: "max-keys", value: text)
            }
            maxKeys = min(n, 1000)
        }
    }

    /// A key as the response carries it: URL-encoded when the client asked for `encoding-type=url`.
    var output: (String) -> String {
        let encode = encoding == "url"
        return { encode ? SigV4.uriEncode($0, keepSlash: true) : $0 }
    }
}
