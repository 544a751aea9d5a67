import Crypto
import Foundation

/// Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the
/// app secret>`. Computed over the bytes as received — never over re-serialised JSON, whose
/// escaping of non-ASCII text differs — and compared in constant time.
public enum WhatsAppSignature {
    public static func valid(body: [UInt8], header: String?, appSecret: String) -> Bool {
        guard let header, header.hasPrefix("sha256="), let given = hex(header.dropFirst(7)) else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8)))
        return equal(Array(mac), given)
    }

    public static func sign(body: [UInt8], appSecret: String) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(appSecret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Equal bytes, in time that depends only on the lengths.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    static func hex(_ text: Substring) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}
