import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import TradepostCore

extension Request {
    /// The `Idempotency-Key` header with a fingerprint of this request (method, path, body), or nil
    /// without one. Throws `.invalid` for a key that is not 1–255 visible ASCII characters.
    func idempotencyKey(body: Data) throws -> IdempotencyKey? {
        guard let key = headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard IdempotencyKey.isValid(key) else {
            throw AppError.invalidField("Idempotency-Key", "must be 1 to 255 visible ASCII characters (a UUID, say)")
        }
        var hash = SHA256()
        hash.update(data: Data("\(method.rawValue) \(uri.path)\n".utf8))
        hash.update(data: body)
        return IdempotencyKey(key: key, fingerprint: hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    /// For a POST whose body may be left out (a transition's reason): the body when there is one,
    /// and the request's idempotency key either way.
    func decodeOptionalIdempotent<T: APIRequestBody>(_ type: T.Type, limit: Int) async throws -> (T?, IdempotencyKey?) {
        guard headers[.contentType] != nil else { return (nil, try idempotencyKey(body: Data())) }
        let (body, key) = try await decodeIdempotent(type, limit: limit)
        return (body, key)
    }

    /// A strictly decoded JSON body and the request's idempotency key (see `idempotencyKey(body:)`).
    func decodeIdempotent<T: APIRequestBody>(_ type: T.Type, limit: Int) async throws -> (T, IdempotencyKey?) {
        let data = try await jsonBody(limit: limit)
        let key = try idempotencyKey(body: data)
        return (try Self.decodeJSON(T.self, from: data), key)
    }
}
