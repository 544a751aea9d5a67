import Crypto
import Foundation

/// Random secrets and their stored form.
enum Secrets {
    /// A 256-bit random token with a readable prefix ("tps_" sessions, "tpt_" API tokens), base64url.
    static func token(prefix: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        return prefix + base64url(Data(bytes))
    }

    /// What the database keeps: SHA-256 of the whole token. Lookups are by this hash, so the
    /// comparison never runs over the secret itself.
    static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
