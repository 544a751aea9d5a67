import Crypto
import Foundation

/// Signing per the Standard Webhooks specification: `v1,` and the base64 HMAC-SHA256 of
/// `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret's base64 part after `whsec_`.
/// Several secrets (a rotation) give several signatures, space-separated.
public enum StandardWebhooks {
    public static func signature(id: String, timestamp: Int, body: [UInt8], secrets: [String]) -> String {
        secrets.compactMap { secret in
            let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
            guard let key = Data(base64Encoded: encoded) else { return nil }
            var message = Array("\(id).\(timestamp).".utf8)
            message += body
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return "v1," + Data(mac).base64EncodedString()
        }.joined(separator: " ")
    }

    /// The three headers of one attempt.
    public static func headers(id: String, timestamp: Int, body: [UInt8], secrets: [String]) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)), ("webhook-signature", signature(id: id, timestamp: timestamp, body: body, secrets: secrets))]
    }
}
