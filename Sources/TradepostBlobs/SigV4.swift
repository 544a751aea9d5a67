import Crypto
import Foundation
import Synchronization
import TradepostCore

/// AWS Signature Version 4 as S3 uses it: the Authorization header, presigned query URLs, and the
/// seed signature that `aws-chunked` uploads chain their chunk signatures from.
/// Pure functions over what the request carried; the listener supplies the secret.
public enum SigV4 {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    public static let streamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    public static let streamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
    public static let streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    public static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// How far a signed request's clock may be from ours (AWS allows 15 minutes).
    public static let allowedSkew: TimeInterval = 15 * 60
    /// The longest a presigned URL may live (7 days, as AWS).
    public static let maxPresignSeconds = 604_800

    /// The parts of an HTTP request a signature covers.
    public struct Request: Sendable {
        public var method: String
        /// The path exactly as sent (percent-encoded).
        public var rawPath: String
        /// The query string exactly as sent, without '?'.
        public var rawQuery: String
        /// Header values by lowercase name (the Host header under "host").
        public var headers: [String: [String]]

        public init(method: String, rawPath: String, rawQuery: String, headers: [String: [String]]) {
            self.method = method
            self.rawPath = rawPath
            self.rawQuery = rawQuery
            self.headers = headers
        }

        public func header(_ name: String) -> String? { headers[name]?.first }
    }

    /// What the client claimed: who signed, over what, when.
    public struct Claim: Sendable, Equatable {
        public var accessKey: String
        public var date: String        // yyyyMMdd of the credential scope
        public var region: String
        public var service: String
        public var signedHeaders: [String]
        public var signature: String
        public var amzDate: String     // yyyyMMdd'T'HHmmss'Z'
        public var presigned: Bool
        public var expires: Int?
        /// The x-amz-content-sha256 value: a hex digest, UNSIGNED-PAYLOAD or a STREAMING-… mode.
        public var payloadHash: String

        public var scope: String { "\(date)/\(region)/\(service)/aws4_request" }

        public init(accessKey: String, date: String, region: String, service: String, signedHeaders: [String], signature: String,
                    amzDate: String, presigned: Bool, expires: Int?, payloadHash: String) {
            (self.accessKey, self.date, self.region, self.service) = (accessKey, date, region, service)
            (self.signedHeaders, self.signature, self.amzDate) = (signedHeaders, signature, amzDate)
            (self.presigned, self.expires, self.payloadHash) = (presigned, expires, payloadHash)
        }
    }

    /// Reads the claim from the Authorization header or the X-Amz-* query parameters.
    /// Returns nil for an anonymous request; throws for a malformed or unsupported one.
    public static func claim(_ request: Request) throws(S3Error) -> Claim? {
        let query = Query(request.rawQuery)
        if let algorithm = query.first("X-Amz-Algorithm") {
            guard algorithm == Self.algorithm else { throw .invalidArgument("Unsupported signing algorithm", name: "X-Amz-Algorithm", value: algorithm) }
            guard let credential = query.first("X-Amz-Credential"), let date = query.first("X-Amz-Date"),
                  let signed = query.first("X-Amz-SignedHeaders"), let signature = query.first("X-Amz-Signature"),
                  let expiresText = query.first("X-Amz-Expires")
            else { throw S3Error("AuthorizationQueryParametersError", 400, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.") }
            guard let expires = Int(expiresText) else {
                throw S3Error("AuthorizationQueryParametersError", 400, "X-Amz-Expires should be a number")
            }
            // A lifetime that is over before it starts, or longer than a week, is refused as access
            // denied, as AWS answers it (only a non-number is a malformed request).
            guard expires >= 1 else { throw .expired }
            guard expires <= maxPresignSeconds else {
                throw S3Error("AccessDenied", 403, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
            }
            let (key, day, region, service) = try parseCredential(credential)
            return Claim(accessKey: key, date: day, region: region, service: service,
                         signedHeaders: signed.split(separator: ";").map(String.init), signature: signature,
                         amzDate: date, presigned: true, expires: expires,
                         payloadHash: request.header("x-amz-content-sha256") ?? unsignedPayload)
        }
        guard let authorization = request.header("authorization") else { return nil }
        guard authorization.hasPrefix(algorithm + " ") else {
            if authorization.hasPrefix("AWS ") {
                throw .invalidRequest("Signature Version 2 is not supported; use AWS4-HMAC-SHA256.")
            }
            throw .authorizationMalformed("The authorization header is malformed; the authorization type must be AWS4-HMAC-SHA256.")
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst(algorithm.count + 1).split(separator: ",") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard let eq = pair.firstIndex(of: "=") else { continue }
            fields[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        guard let credential = fields["Credential"], let signed = fields["SignedHeaders"], let signature = fields["Signature"] else {
            throw .authorizationMalformed("The authorization header is malformed; it needs Credential, SignedHeaders and Signature.")
        }
        guard let amzDate = request.header("x-amz-date") else {
            throw S3Error("AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header")
        }
        guard let payload = request.header("x-amz-content-sha256") else {
            throw .invalidRequest("Missing required header for this request: x-amz-content-sha256")
        }
        let (key, day, region, service) = try parseCredential(credential)
        guard amzDate.hasPrefix(day) else {
            throw .authorizationMalformed("The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.")
        }
        return Claim(accessKey: key, date: day, region: region, service: service,
                     signedHeaders: signed.split(separator: ";").map(String.init), signature: signature,
                     amzDate: amzDate, presigned: false, expires: nil, payloadHash: payload)
    }

    static func parseCredential(_ credential: String) throws(S3Error) -> (String, String, String, String) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[4] == "aws4_request", parts[1].count == 8, !parts[0].isEmpty else {
            throw .authorizationMalformed("The authorization header is malformed; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
        }
        guard parts[3] == "s3" else {
            throw .authorizationMalformed("The authorization header is malformed; incorrect service \"\(parts[3])\". This endpoint belongs to \"s3\".")
        }
        return (parts[0], parts[1], parts[2], parts[3])
    }

    /// Checks the claim's time and signature against the secret. Returns the signing key, for
    /// chunk signatures. Throws SignatureDoesNotMatch, RequestTimeTooSkewed or an expiry error.
    public static func verify(_ claim: Claim, secret: String, request: Request, now: Date, keys: SigningKeyCache? = nil) throws(S3Error) -> SymmetricKey {
        guard let signedAt = parseAmzDate(claim.amzDate) else {
            throw S3Error("AccessDenied", 403, "AWS authentication requires a valid Date or x-amz-date header")
        }
        if claim.presigned {
            if signedAt.timeIntervalSince(now) > allowedSkew { throw .requestTimeTooSkewed }
            if now > signedAt.addingTimeInterval(TimeInterval(claim.expires ?? 0)) { throw .expired }
        } else if abs(signedAt.timeIntervalSince(now)) > allowedSkew {
            throw .requestTimeTooSkewed
        }
        guard claim.signedHeaders.contains("host") else {
            throw .authorizationMalformed("The host header must be signed.")
        }
        let canonical = canonicalRequest(request, claim: claim)
        let toSign = stringToSign(amzDate: claim.amzDate, scope: claim.scope, hashHex: sha256Hex(Array(canonical.utf8)))
        let key = keys?.key(secret: secret, date: claim.date, region: claim.region, service: claim.service)
            ?? signingKey(secret: secret, date: claim.date, region: claim.region, service: claim.service)
        let expected = hmacHex(key, toSign)
        guard constantTimeEqual(expected, claim.signature.lowercased()) else { throw .signatureDoesNotMatch }
        return key
    }

    public static func canonicalRequest(_ request: Request, claim: Claim) -> String {
        let headers = claim.signedHeaders.map { name in
            let values = request.headers[name] ?? []
            return name + ":" + values.map(normalizeSpace).joined(separator: ",")
        }
        let payload = claim.presigned ? (request.header("x-amz-content-sha256") ?? unsignedPayload) : claim.payloadHash
        return [request.method, canonicalURI(request.rawPath),
                canonicalQuery(request.rawQuery, excluding: claim.presigned ? "X-Amz-Signature" : nil),
                headers.joined(separator: "\n") + "\n", claim.signedHeaders.joined(separator: ";"), payload]
            .joined(separator: "\n")
    }

    public static func stringToSign(amzDate: String, scope: String, hashHex: String) -> String {
        "\(algorithm)\n\(amzDate)\n\(scope)\n\(hashHex)"
    }

    public static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    public static func hmacHex(_ key: SymmetricKey, _ message: String) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key)))
    }

    public static func sha256Hex<D: DataProtocol>(_ bytes: D) -> String { Hex.encode(Array(SHA256.hash(data: bytes))) }

    /// The path decoded and encoded again the canonical way (S3 does not normalise `.` or `//`).
    public static func canonicalURI(_ rawPath: String) -> String {
        let path = rawPath.isEmpty ? "/" : rawPath
        return uriEncode(percentDecode(path), keepSlash: true)
    }

    public static func canonicalQuery(_ rawQuery: String, excluding: String?) -> String {
        var pairs: [(name: String, value: String)] = []
        for (name, value) in Query(rawQuery).pairs where name != excluding {
            pairs.append((uriEncode(name, keepSlash: false), uriEncode(value, keepSlash: false)))
        }
        // Encoded names and values are ASCII: byte order is the order SigV4 asks for, and cheaper.
        pairs.sort { a, b in
            a.name != b.name ? a.name.utf8.lexicographicallyPrecedes(b.name.utf8) : a.value.utf8.lexicographicallyPrecedes(b.value.utf8)
        }
        return pairs.map { p in p.name + "=" + p.value }.joined(separator: "&")
    }

    static func normalizeSpace(_ value: String) -> String {
        // Most values are ASCII with no space to trim or squeeze: skip the Character-level work.
        let u = value.utf8
        if u.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\t") }), u.first != UInt8(ascii: " "), u.last != UInt8(ascii: " "),
           !zip(u, u.dropFirst()).contains(where: { $0 == UInt8(ascii: " ") && $1 == UInt8(ascii: " ") }) {
            return value
        }
        return value.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// RFC 3986 encoding as SigV4 wants it: unreserved characters stay, everything else is %XX.
    public static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        PercentEncoding.rfc3986(text, keepSlash: keepSlash)
    }

    /// Percent-decoding that keeps invalid escapes as they are and '+' as '+' (S3 paths); bytes
    /// that are not UTF-8 become U+FFFD (`S3Responder` refuses such a path first).
    public static func percentDecode(_ text: String, plusIsSpace: Bool = false) -> String {
        PercentDecoding.text(text, plusIsSpace: plusIsSpace)
    }

    static func parseAmzDate(_ text: String) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for c in u[a..<b] {
                guard (0x30...0x39).contains(c) else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(4, 6), let d = num(6, 8), let h = num(9, 11), let mi = num(11, 13), let s = num(13, 15),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm): no Calendar on the hot path.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + h * 3600 + mi * 60 + s))
    }

    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}

/// Signing keys by secret, day, region and service: a day's key is five HMACs to derive and the
/// same for every request that day. Small and bounded (cleared when full).
public final class SigningKeyCache: Sendable {
    public init() {}
    private let keys = Mutex<[String: SymmetricKey]>([:])

    public func key(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        let id = "\(secret)\u{0}\(date)\u{0}\(region)\u{0}\(service)"
        if let key = keys.withLock({ $0[id] }) { return key }
        let key = SigV4.signingKey(secret: secret, date: date, region: region, service: service)
        keys.withLock { keys in
            if keys.count >= 1024 { keys.removeAll() }
            keys[id] = key
        }
        return key
    }
}
