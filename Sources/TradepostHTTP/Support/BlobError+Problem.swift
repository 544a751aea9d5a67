import TradepostCore

extension AppError {
    /// The blob store's refusals in the API's words (the S3 listener says them in S3's XML).
    init(_ error: BlobError) {
        switch error {
        case .noSuchBucket: self = .notFound("Bucket")
        case .noSuchKey: self = .notFound("Object")
        case .noSuchUpload: self = .notFound("Upload")
        case .bucketNotEmpty: self = .conflict("The bucket is not empty")
        case .bucketAlreadyOwned: self = .conflict("The bucket exists already")
        case .invalidBucketName:
            self = .invalidField("bucket", "must be 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit")
        case .emptyKey: self = .invalidField("key", "must not be empty")
        case .keyTooLong: self = .invalidField("key", "must be at most 1,024 bytes")
        case .invalidKey: self = .invalidField("key", "must not contain a NUL byte or a \"..\" path segment")
        case .quotaExceeded:
            self = AppError(.forbidden, "The tenant's storage quota would be exceeded by this upload; delete objects or move to a larger plan")
        case .invalidPart, .invalidPartOrder, .noParts, .partTooSmall: self = .invalid("The upload's parts do not make an object")
        case .missingBytes: self = AppError(.internalError, "Internal error", cause: "\(error)")
        }
    }
}
