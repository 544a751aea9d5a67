import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TradepostBlobs
import TradepostCore

/// ListBuckets, CreateBucket, GetBucketLocation, ListObjects (V1 and V2) and DeleteObjects
/// (ListObjectVersions is in `S3Responder+Versions`).
extension S3Responder {
    func owner(_ x: inout XMLWriter, _ call: S3Call) {
        x.open("Owner")
        x.element("ID", call.tenant.rawValue)
        x.element("DisplayName", call.tenant.rawValue)
        x.close("Owner")
    }

    func listBuckets(_ call: S3Call) async throws -> Response {
        var x = XMLWriter()
        x.open("ListAllMyBucketsResult", xmlns: true)
        owner(&x, call)
        x.open("Buckets")
        for bucket in try await objects.buckets(call.tenant) {
            x.open("Bucket")
            x.element("Name", bucket.name)
            x.element("CreationDate", HTTPDates.iso(bucket.created))
            x.close("Bucket")
        }
        x.close("Buckets")
        x.close("ListAllMyBucketsResult")
        return xml(x)
    }

    func createBucket(_ call: S3Call, _ bucket: String) async throws -> Response {
        let body = try await call.request.body.collect(upTo: 64 * 1024)
        if body.readableBytes > 0 {
            let root = try XMLNode.parse(Array(buffer: body))
            guard root.name == "CreateBucketConfiguration" else { throw S3Error.malformedXML }
            if let constraint = root.value("LocationConstraint"), !constraint.isEmpty, constraint != region {
                throw S3Error("IllegalLocationConstraintException", 400, "The \(constraint) location constraint is incompatible for the region specific endpoint this request was sent to.")
            }
        }
        do {
            try await objects.createBucket(call.tenant, bucket)
        } catch BlobError.bucketAlreadyOwned where region == "us-east-1" {
            // AWS's documented exception: in us-east-1, creating a bucket you already own succeeds.
            // https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_Errors
        }
        return Response(status: .ok, headers: [.location: "/\(bucket)"])
    }

    func location(_ call: S3Call, _ bucket: String) async throws -> Response {
        guard try await objects.bucket(call.tenant, bucket) != nil else { throw S3Error.noSuchBucket(bucket) }
        var x = XMLWriter()
        x.open("LocationConstraint", xmlns: true)
        // us-east-1 is reported as an empty constraint, as S3 does.
        if region != "us-east-1" { x.text(region) }
        x.close("LocationConstraint")
        return xml(x)
    }

    func versioning(_ call: S3Call, _ bucket: String) async throws -> Response {
        guard try await objects.bucket(call.tenant, bucket) != nil else { throw S3Error.noSuchBucket(bucket) }
        var x = XMLWriter()
        x.open("VersioningConfiguration", xmlns: true)
        x.close("VersioningConfiguration")
        return xml(x)
    }

    func listObjects(_ call: S3Call, _ bucket: String, v2: Bool) async throws -> Response {
        let q = call.query
        let params = try ListParameters(q)
        let (prefix, delimiter, maxKeys, encode) = (params.prefix, params.delimiter, params.maxKeys, params.encoding)
        var after: String?
        let token = q.first("continuation-token")
        if v2 {
            if let token {
                guard let data = Data(base64Encoded: token), let last = String(data: data, encoding: .utf8) else {
                    throw S3Error.invalidArgument("The continuation token provided is incorrect", name: "continuation-token", value: token)
                }
                after = last
            } else {
                after = q.first("start-after")
            }
        } else {
            after = q.first("marker")
        }
        if after?.isEmpty == true { after = nil }
        let listing = try await objects.list(call.tenant, bucket: bucket, prefix: prefix, delimiter: delimiter, after: after, limit: maxKeys)
        let out = params.output

        var x = XMLWriter()
        x.open("ListBucketResult", xmlns: true)
        x.element("Name", bucket)
        // With encoding-type=url, V2 encodes Prefix and V1 does not: AWS's V1 documentation lists
        // it, but S3 sends it as given and clients (botocore's decode_list_object) leave it as is.
        x.element("Prefix", v2 ? out(prefix) : prefix)
        if v2 {
            x.element("KeyCount", Int64(listing.objects.count + listing.prefixes.count))
            if let token { x.element("ContinuationToken", token) }
            if let start = q.first("start-after") { x.element("StartAfter", out(start)) }
            if listing.isTruncated, let last = listing.last {
                x.element("NextContinuationToken", Data(last.utf8).base64EncodedString())
            }
        } else {
            x.element("Marker", out(q.first("marker") ?? ""))
            if listing.isTruncated, delimiter != nil, let last = listing.last { x.element("NextMarker", out(last)) }
        }
        x.element("MaxKeys", Int64(maxKeys))
        if let delimiter { x.element("Delimiter", out(delimiter)) }
        if let encode { x.element("EncodingType", encode) }
        x.element("IsTruncated", listing.isTruncated ? "true" : "false")
        entries(&x, listing, element: "Contents", call: call, withOwner: !v2 || q.first("fetch-owner") == "true", out: out)
        x.close("ListBucketResult")
        return xml(x)
    }

    func deleteObjects(_ call: S3Call, _ bucket: String) async throws -> Response {
        let body = try await call.request.body.collect(upTo: 2 * 1024 * 1024)
        let bytes = Array(buffer: body)
        if let md5 = call.header("content-md5") {
            guard let given = Data(base64Encoded: md5) else { throw S3Error.invalidDigest }
            var d = BodyDigests(sha256: false, checksums: [])
            bytes.withUnsafeBytes { d.update($0) }
            guard Array(given) == d.finish().md5 else { throw S3Error.badDigest }
        }
        for algorithm in ChecksumAlgorithm.allCases {
            guard let expected = call.header(algorithm.header) else { continue }
            var d = BodyDigests(sha256: false, checksums: [algorithm])
            bytes.withUnsafeBytes { d.update($0) }
            guard d.finish().checksums[algorithm] == expected else { throw S3Error.badDigest }
        }
        let root = try XMLNode.parse(bytes)
        guard root.name == "Delete" else { throw S3Error.malformedXML }
        let entries = root.all("Object").compactMap { o in o.value("Key").map { (key: $0, version: o.value("VersionId")) } }
        guard !entries.isEmpty, entries.count <= 1000, entries.count == root.all("Object").count else { throw S3Error.malformedXML }
        let quiet = root.value("Quiet")?.lowercased() == "true"
        var valid: [(key: String, version: String?)] = []
        var x = XMLWriter()
        x.open("DeleteResult", xmlns: true)
        for entry in entries {
            do throws(S3Error) {
                do throws(BlobError) { try BlobNames.checkKey(entry.key) } catch { throw S3Error(error) }
                // An unversioned bucket's objects have the one version "null" (what ListObjectVersions lists).
                if let version = entry.version, version != "null" {
                    throw S3Error.invalidArgument("Invalid version id specified", name: "versionId", value: version)
                }
                valid.append(entry)
            } catch {
                x.open("Error")
                x.element("Key", entry.key)
                if let version = entry.version { x.element("VersionId", version) }
                x.element("Code", error.code)
                x.element("Message", error.message)
                x.close("Error")
            }
        }
        try await objects.delete(call.tenant, bucket: bucket, keys: valid.map(\.key))
        if !quiet {
            for entry in valid {
                x.open("Deleted")
                x.element("Key", entry.key)
                if let version = entry.version { x.element("VersionId", version) }
                x.close("Deleted")
            }
        }
        x.close("DeleteResult")
        return xml(x)
    }
}
