/// A client's `Idempotency-Key` for an unsafe POST, with a fingerprint of what it asked (method,
/// path and body). The first answer is stored with the key in the transaction that made it; a retry
/// with the same key and fingerprint gets that answer and changes nothing; the same key with another
/// fingerprint is refused (422).
public struct IdempotencyKey: Sendable, Equatable {
    public var key: String
    public var fingerprint: String

    public init(key: String, fingerprint: String) {
        self.key = key
        self.fingerprint = fingerprint
    }

    /// Keys are 1–255 visible ASCII characters (a UUID is typical).
    public static func isValid(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= 255 && key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}
