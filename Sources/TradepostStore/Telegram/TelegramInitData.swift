import Crypto
import Foundation

/// A Telegram Mini App's `initData` (the query string Telegram hands the page), checked as
/// Telegram says: `hash` is the HMAC-SHA256 of the data-check string (every other field as
/// `key=value`, sorted, joined by newlines) keyed with HMAC-SHA256("WebAppData", bot token);
/// `signature`, for parties without the token, is Ed25519 over "<bot id>:WebAppData\n" and the
/// same string without `hash`, under Telegram's published key. `auth_date` must be fresh.
public struct TelegramInitData: Sendable, Equatable {
    public struct User: Sendable, Equatable {
        public var id: Int64
        public var firstName: String
        public var username: String?
        public var languageCode: String?
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case badHash
        case badSignature
        case stale(age: TimeInterval)
        public var description: String {
            switch self {
            case .malformed(let why): "the init data is malformed: \(why)"
            case .badHash: "the init data's hash does not match (tampered, or another bot's)"
            case .badSignature: "the init data's Ed25519 signature does not verify"
            case .stale(let age): "the init data is \(Int(age)) s old"
            }
        }
    }

    public var fields: [String: String]
    public var user: User
    public var authDate: Date

    /// Telegram's production key for third-party validation (core.telegram.org/bots/webapps).
    public static let telegramPublicKey = "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d"

    /// Parses and checks `raw`. With `botToken`, the HMAC `hash` must match; with `publicKey` (hex)
    /// and a `signature` present, the Ed25519 signature must verify too (for the bot id in the token).
    public static func validate(_ raw: String, botToken: String, publicKey: String? = nil, maxAge: TimeInterval, now: Date = Date()) throws -> TelegramInitData {
        var fields: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let key = String(parts[0]).removingPercentEncoding,
                  let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else { throw Failure.malformed("a pair does not decode") }
            guard fields[key] == nil else { throw Failure.malformed("\(key) appears twice") }
            fields[key] = value
        }
        guard let hash = fields["hash"], hash.count == 64 else { throw Failure.malformed("no hash") }
        let check = fields.filter { $0.key != "hash" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        let secret = HMAC<SHA256>.authenticationCode(for: Data(botToken.utf8), using: SymmetricKey(data: Data("WebAppData".utf8)))
        let expected = HMAC<SHA256>.authenticationCode(for: Data(check.utf8), using: SymmetricKey(data: Data(secret)))
        guard let given = Data(hexString: hash), constantTimeEqual(Array(expected), Array(given)) else { throw Failure.badHash }
        if let publicKey, let signature = fields["signature"] {
            let botID = botToken.split(separator: ":").first.map(String.init) ?? ""
            let signed = "\(botID):WebAppData\n" + fields.filter { $0.key != "hash" && $0.key != "signature" }.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
            guard let keyBytes = Data(hexString: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
                  let sig = Data(base64URL: signature), key.isValidSignature(sig, for: Data(signed.utf8)) else { throw Failure.badSignature }
        }
        guard let seconds = fields["auth_date"].flatMap(TimeInterval.init) else { throw Failure.malformed("no auth_date") }
        let authDate = Date(timeIntervalSince1970: seconds)
        let age = now.timeIntervalSince(authDate)
        guard age <= maxAge, age > -300 else { throw Failure.stale(age: age) }
        guard let json = fields["user"], let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let id = (object["id"] as? NSNumber)?.int64Value else { throw Failure.malformed("no user") }
        let user = User(id: id, firstName: object["first_name"] as? String ?? "", username: object["username"] as? String,
                        languageCode: object["language_code"] as? String)
        return TelegramInitData(fields: fields, user: user, authDate: authDate)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Data {
    init?(hexString: String) {
        guard hexString.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }

    init?(base64URL: String) {
        var text = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        self.init(base64Encoded: text)
    }
}
