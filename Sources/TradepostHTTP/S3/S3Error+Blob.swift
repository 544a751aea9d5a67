import TradepostBlobs
import TradepostCore

extension S3Error {
    /// The blob store's refusals in S3's words (the API says them as problem+json instead).
    init(_ error: BlobError) {
        switch error {
        case .noSuchBucket(let name): self = .noSuchBucket(name)
        case .noSuchKey(let key): self = .noSuchKey(key)
        case .noSuchUpload(let id): self = .noSuchUpload(id)
        case .bucketNotEmpty(let name): self = .bucketNotEmpty(name)
        case .bucketAlreadyOwned(let name): self = .bucketAlreadyOwnedByYou(name)
        case .invalidBucketName: self = .invalidBucketName
        case .emptyKey: self = .invalidArgument("The object key must not be empty.")
        case .keyTooLong: self = .keyTooLong
        case .invalidKey: self = .invalidKey
        case .quotaExceeded: self = .quotaExceeded
        case .invalidPart: self = .invalidPart
        case .invalidPartOrder: self = .invalidPartOrder
        case .noParts: self = .malformedXML
        case .partTooSmall: self = .entityTooSmall
        case .missingBytes: self = .internalError
        }
    }
}
