import Foundation

/// One stored object: where its bytes are and what to answer with.
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

    public init(name: String, created: Date, objects: Int64, bytes: Int64) {
        (self.name, self.created, self.objects, self.bytes) = (name, created, objects, bytes)
    }

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

    public init(id: String, bucket: String, key: String, contentType: String, headers: [String: String],
                metadata: [String: String], checksumAlgorithm: String?, created: Date) {
        (self.id, self.bucket, self.key, self.contentType) = (id, bucket, key, contentType)
        (self.headers, self.metadata, self.checksumAlgorithm, self.created) = (headers, metadata, checksumAlgorithm, created)
    }
}

/// What CompleteMultipartUpload answers: the object's ETag and composite checksums.
public struct CompletedUpload: Sendable, Equatable {
    public var etag: String
    public var checksums: [String: String]

    public init(etag: String, checksums: [String: String]) {
        self.etag = etag
        self.checksums = checksums
    }
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

    public init() {}
}

/// A picture the app shows: a product's image or a business's logo.
public struct Media: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Codable {
        case productImage = "product_image"
        case businessLogo = "business_logo"

        /// What the owner is called in a not-found error.
        public var ownerName: String { self == .productImage ? "Product" : "Business" }
    }

    public var kind: Kind
    public var ownerID: String
    public var blob: String
    public var contentType: String
    public var size: Int64
    public var etag: String
    public var modified: Date

    /// The blob id stays inside: clients address a picture by its owner.
    enum CodingKeys: String, CodingKey {
        case kind, size, etag
        case ownerID = "owner_id"
        case contentType = "content_type"
        case modified = "modified_at"
    }

    public init(kind: Kind, ownerID: String, blob: String, contentType: String, size: Int64, etag: String, modified: Date) {
        (self.kind, self.ownerID, self.blob, self.contentType) = (kind, ownerID, blob, contentType)
        (self.size, self.etag, self.modified) = (size, etag, modified)
    }
}
