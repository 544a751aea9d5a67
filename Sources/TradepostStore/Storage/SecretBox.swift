import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Seals secrets the server must be able to read back (S3 secret keys: SigV4 signs with them) with
/// AES-256-GCM under a key kept in `<data>/secret.key` (mode 0600), never in a database: a copy of
/// `control.sqlite` alone reveals no secret. Snapshots must carry the key file with the databases.
public final class SecretBox: Sendable {
    public static let fileName = "secret.key"
    private let key: SymmetricKey
    var keyForDerivation: SymmetricKey { key }

    /// Loads the key, creating it on first use.
    public init(dataDir: String) throws {
        let path = (dataDir as NSString).appendingPathComponent(Self.fileName)
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw SecretBoxError("\(path) is not a 32-byte key") }
            key = SymmetricKey(data: data)
            return
        }
        let fresh = SymmetricKey(size: .bits256)
        let bytes = fresh.withUnsafeBytes { Data($0) }
        let tmp = path + ".tmp"
        let fd = Glibc.open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SecretBoxError("cannot create \(path)") }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        // link() fails if another process created the key first; then use theirs.
        if link(tmp, path) != 0 {
            unlink(tmp)
            guard let data = FileManager.default.contents(atPath: path), data.count == 32 else { throw SecretBoxError("cannot create \(path)") }
            key = SymmetricKey(data: data)
            return
        }
        unlink(tmp)
        key = fresh
    }

    /// `context` (e.g. the access key id) is bound to the sealed value: a value moved to another row fails to open.
    public func seal(_ secret: String, context: String) throws -> Data {
        try AES.GCM.seal(Data(secret.utf8), using: key, authenticating: Data(context.utf8)).combined!
    }

    public func open(_ sealed: Data, context: String) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key, authenticating: Data(context.utf8)), as: UTF8.self)
    }
}

public struct SecretBoxError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension SecretBox {
    /// An HMAC-SHA256 tag of `text` under a key derived from the box's for `purpose` (signed links
    /// such as mail's unsubscribe): nothing else signed with the box's key verifies as one.
    public func tag(_ text: String, purpose: String) -> String {
        let derived = HKDF<SHA256>.deriveKey(inputKeyMaterial: keyForDerivation, info: Data(purpose.utf8), outputByteCount: 32)
        return Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: derived)).base64URL
    }

    /// Whether `tag` is `text`'s, compared in constant time.
    public func verify(_ text: String, tag: String, purpose: String) -> Bool {
        let expected = Array(self.tag(text, purpose: purpose).utf8)
        let given = Array(tag.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
