/// An S3 error as AWS reports it: a code, an HTTP status and a message, rendered as S3's XML.
/// Every failure the S3 listener returns is one of these; other errors become InternalError.
public struct S3Error: Error, Sendable, Equatable {
    public var code: String
    public var status: Int
    public var message: String
    /// Extra elements AWS adds for some codes (e.g. `BucketName`, `Key`, `UploadId`).
    public var details: [(String, String)] = []

    public init(_ code: String, _ status: Int, _ message: String, details: [(String, String)] = []) {
        self.code = code
        self.status = status
        self.message = message
        self.details = details
    }

    public static func == (a: S3Error, b: S3Error) -> Bool { a.code == b.code && a.status == b.status }

    public func xml(resource: String, requestID: String) -> String {
        var x = XMLWriter()
        x.open("Error")
        x.element("Code", code)
        x.element("Message", message)
        for (name, value) in details { x.element(name, value) }
        x.element("Resource", resource)
        x.element("RequestId", requestID)
        x.close("Error")
        return x.document
    }

    public static let accessDenied = S3Error("AccessDenied", 403, "Access Denied")
    public static func noSuchBucket(_ name: String) -> S3Error {
        S3Error("NoSuchBucket", 404, "The specified bucket does not exist", details: [("BucketName", name)])
    }
    public static func noSuchKey(_ key: String) -> S3Error {
        S3Error("NoSuchKey", 404, "The specified key does not exist.", details: [("Key", key)])
    }
    public static func noSuchUpload(_ id: String) -> S3Error {
        S3Error("NoSuchUpload", 404, "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", details: [("UploadId", id)])
    }
    public static func bucketNotEmpty(_ name: String) -> S3Error {
        S3Error("BucketNotEmpty", 409, "The bucket you tried to delete is not empty", details: [("BucketName", name)])
    }
    public static func bucketAlreadyOwnedByYou(_ name: String) -> S3Error {
        S3Error("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.", details: [("BucketName", name)])
    }
    public static let invalidURI = S3Error("InvalidURI", 400, "Couldn't parse the specified URI.")
    public static let invalidBucketName = S3Error("InvalidBucketName", 400, "The specified bucket is not valid.")
    public static let keyTooLong = S3Error("KeyTooLongError", 400, "Your key is too long")
    public static let invalidKey = S3Error("InvalidArgument", 400, "The object key is not valid UTF-8 or contains a NUL byte or a path that escapes its bucket.")
    public static let invalidRange = S3Error("InvalidRange", 416, "The requested range is not satisfiable")
    public static let preconditionFailed = S3Error("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
    public static let signatureDoesNotMatch = S3Error("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
    public static let invalidAccessKeyId = S3Error("InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.")
    public static let requestTimeTooSkewed = S3Error("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large.")
    public static let expired = S3Error("AccessDenied", 403, "Request has expired")
    public static let entityTooLarge = S3Error("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.")
    public static let entityTooSmall = S3Error("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.")
    public static let invalidPart = S3Error("InvalidPart", 400, "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.")
    public static let invalidPartOrder = S3Error("InvalidPartOrder", 400, "The list of parts was not in ascending order. The parts list must be specified in order by part number.")
    public static let badDigest = S3Error("BadDigest", 400, "The Content-MD5 or checksum value that you specified did not match what the server received.")
    public static let invalidDigest = S3Error("InvalidDigest", 400, "The Content-MD5 you specified is not valid.")
    public static let contentSHA256Mismatch = S3Error("XAmzContentSHA256Mismatch", 400, "The provided 'x-amz-content-sha256' header does not match what was computed.")
    public static let malformedXML = S3Error("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema.")
    public static let missingContentLength = S3Error("MissingContentLength", 411, "You must provide the Content-Length HTTP header.")
    public static let incompleteBody = S3Error("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
    public static let notImplemented = S3Error("NotImplemented", 501, "A header or query you provided implies functionality that is not implemented.")
    public static let methodNotAllowed = S3Error("MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
    public static let internalError = S3Error("InternalError", 500, "We encountered an internal error. Please try again.")
    public static let quotaExceeded = S3Error("QuotaExceeded", 403, "The tenant's storage quota would be exceeded by this upload; delete objects or move to a larger plan.")
    public static let tenantSuspended = S3Error("AccountProblem", 403, "The tenant this key belongs to is suspended.")
    public static func invalidArgument(_ message: String, name: String? = nil, value: String? = nil) -> S3Error {
        var details: [(String, String)] = []
        if let name { details.append(("ArgumentName", name)) }
        if let value { details.append(("ArgumentValue", value)) }
        return S3Error("InvalidArgument", 400, message, details: details)
    }
    public static func invalidRequest(_ message: String) -> S3Error { S3Error("InvalidRequest", 400, message) }
    public static func authorizationMalformed(_ message: String) -> S3Error {
        S3Error("AuthorizationHeaderMalformed", 400, message)
    }
}
