import Crypto
import Foundation
import TradepostCore

/// Presigned URLs in the older query form (`AWSAccessKeyId`, `Expires`, `Signature`): what
/// boto3's `generate_presigned_url` and the AWS CLI's `presign` still produce by default, so a
/// compatible endpoint must accept them. Only the query form; V2 Authorization headers are refused.
public enum SigV2Presign {
    public struct Claim: Sendable {
        public var accessKey: String
        public var expires: Int
        public var signature: String
    }

    public static func claim(_ request: SigV4.Request) throws(S3Error) -> Claim? {
        let query = Query(request.rawQuery)
        guard let key = query.first("AWSAccessKeyId"), let signature = query.first("Signature") else { return nil }
        guard let expires = query.first("Expires").flatMap(Int.init) else {
            throw S3Error.accessDenied
        }
        return Claim(accessKey: key, expires: expires, signature: signature)
    }

    /// Sub-resources that take part in the string to sign, as botocore's HmacV1 lists them.
    static let subresources: Set<String> = [
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
        "requestPayment", "restore", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning",
        "versions", "website", "response-content-type", "response-content-language", "response-expires",
        "response-cache-control", "response-content-disposition", "response-content-encoding",
    ]

    /// Throws AccessDenied "Request has expired" or SignatureDoesNotMatch.
    public static func verify(_ claim: Claim, secret: String, request: SigV4.Request, bucketFromHost: String?, now: Date) throws(S3Error) {
        guard Double(claim.expires) >= now.timeIntervalSince1970 else { throw .expired }
        var path = bucketFromHost.map { "/" + $0 } ?? ""
        path += request.rawPath.isEmpty ? "/" : request.rawPath
        // A bucket's own resource is signed as "/bucket/" by botocore (its auth_path) and as "/bucket"
        // by others; S3 takes either.
        let bucketOnly = path.count > 1 && !path.dropFirst().contains("/")
        let sub = Query(request.rawQuery).pairs.filter { subresources.contains($0.0) }.sorted { $0.0 < $1.0 }
        let suffix = sub.isEmpty ? "" : "?" + sub.map { $0.1.isEmpty ? $0.0 : "\($0.0)=\($0.1)" }.joined(separator: "&")
        var amz = request.headers.filter { $0.key.hasPrefix("x-amz-") }.map { "\($0.key):\($0.value.joined(separator: ","))\n" }
        amz.sort()
        let head = "\(request.method)\n\(request.header("content-md5") ?? "")\n\(request.header("content-type") ?? "")\n\(claim.expires)\n" + amz.joined()
        let key = SymmetricKey(data: Array(secret.utf8))
        for resource in bucketOnly ? [path + suffix, path + "/" + suffix] : [path + suffix] {
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array((head + resource).utf8), using: key)
            if SigV4.constantTimeEqual(Data(mac).base64EncodedString(), claim.signature) { return }
        }
        throw .signatureDoesNotMatch
    }
}
