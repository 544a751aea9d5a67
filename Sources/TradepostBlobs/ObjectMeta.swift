import Foundation

/// One stored object as the listener needs it: where its bytes are and what to answer with.
public struct ObjectMeta: Sendable, Equatable {
    public var bucket: String
    public var key: String
    public var blob: String
    public var size: Int64
    /// Without quotes; a multipart object's is "<md5 of part md5s>-<parts>".
    public var etag: String
    public var contentType: String
    /// Stored response headers (Cache-Control, Content-Disposition, Content-Encoding,
    /// Content-Language, Expires) by lowercase name.
    public var headers: [String: String]
    /// `x-amz-meta-*` values by lowercase name without the prefix.
    public var metadata: [String: String]
    public var checksums: [String: String]
    public var partCount: Int?
    public var modified: Date

    public init(bucket: String, key: String, blob: String, size: Int64, etag: String, contentType: String,
                headers: [String: String], metadata: [String: String], checksums: [String: String],
                partCount: Int?, modified: Date) {
        self.bucket = bucket
        self.key = key
        self.blob = blob
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.headers = headers
        self.metadata = metadata
        self.checksums = checksums
        self.partCount = partCount
        self.modified = modified
    }
}

public struct BucketInfo: Sendable, Equatable, Codable {
    public var name: String
    public var created: Date
    public var objects: Int64
    public var bytes: Int64

    enum CodingKeys: String, CodingKey {
        case name
        case created = "created_at"
        case objects = "object_count"
        case bytes = "byte_count"
    }
}

public struct MultipartUpload: Sendable, Equatable {
    public var id: String
    public var bucket: String
    public var key: String
    public var contentType: String
    public var headers: [String: String]
    public var metadata: [String: String]
    public var checksumAlgorithm: String?
    public var created: Date
}

/// What CompleteMultipartUpload answers: the object's ETag and composite checksums.
public struct CompletedUpload: Sendable, Equatable {
    public var etag: String
    public var checksums: [String: String]
}

public struct PartMeta: Sendable, Equatable {
    public var number: Int
    public var blob: String
    public var size: Int64
    public var etag: String
    public var checksums: [String: String]
    public var modified: Date

    public init(number: Int, blob: String, size: Int64, etag: String, checksums: [String: String], modified: Date) {
        self.number = number
        self.blob = blob
        self.size = size
        self.etag = etag
        self.checksums = checksums
        self.modified = modified
    }
}

/// One page of a listing: objects and (with a delimiter) the common prefixes, in key order.
public struct ObjectListing: Sendable {
    public var objects: [ObjectMeta] = []
    public var prefixes: [String] = []
    public var isTruncated = false
    /// The last key or prefix returned, from which the next page starts.
    public var last: String?
}

/// Rules for names, as AWS documents them.
public enum S3Names {
    /// 3–63 characters: lowercase letters, digits, '.', '-'; starts and ends with a letter or digit;
    /// not an IP address; no "..".
    public static func isValidBucket(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard (3...63).contains(u.count) else { return false }
        func alnum(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }
        guard alnum(u.first!), alnum(u.last!), u.allSatisfy({ alnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else { return false }
        if name.contains("..") || name.contains(".-") || name.contains("-.") { return false }
        let parts = name.split(separator: ".")
        if parts.count == 4 && parts.allSatisfy({ UInt8($0) != nil }) { return false }
        return !name.hasPrefix("xn--") && !name.hasSuffix("-s3alias")
    }

    /// Any UTF-8 up to 1,024 bytes without NUL. Keys are never paths (see BlobFiles), but keys that
    /// a filesystem sync (aws s3 sync, rclone) would turn into an escape are refused too.
    public static func checkKey(_ key: String) throws(S3Error) {
        guard !key.isEmpty else { throw .invalidArgument("The object key must not be empty.") }
        guard key.utf8.count <= 1024 else { throw .keyTooLong }
        guard !key.utf8.contains(0) else { throw .invalidKey }
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0 == ".." }) { throw .invalidKey }
    }
}
