/// What a blob-store call can refuse, in the store's own terms. Each edge says it in its own
/// language: the S3 listener as S3's XML error codes, the API as problem+json.
public enum BlobError: Error, Sendable, Equatable {
    case noSuchBucket(String)
    case noSuchKey(String)
    /// No upload with this id for this bucket and key (never started, aborted, or completed).
    case noSuchUpload(String)
    case bucketNotEmpty(String)
    /// The caller made this bucket before (creating it again is not an error in S3's us-east-1).
    case bucketAlreadyOwned(String)
    case invalidBucketName
    case emptyKey
    /// Longer than 1,024 bytes of UTF-8.
    case keyTooLong
    /// A NUL byte, or a `..` segment that a filesystem sync would turn into an escape.
    case invalidKey
    /// The tenant's plan allows fewer bytes than this write would leave stored.
    case quotaExceeded
    /// A part named in a completion was never uploaded, or its ETag differs.
    case invalidPart
    /// A completion's parts are not in ascending order.
    case invalidPartOrder
    /// A completion named no parts.
    case noParts
    /// A part other than the last is smaller than the minimum part size.
    case partTooSmall
    /// A record names bytes that are not there (a damaged data dir).
    case missingBytes(String)
}
