import Foundation
import Hummingbird
import NIOCore
import TradepostCore

/// A JSON request body whose keys are exactly its `CodingKeys`: an unknown field is an error,
/// not silently ignored, so a typo such as `"rol": "admin"` never "succeeds" unchanged.
protocol APIRequestBody: Decodable, Sendable {
    associatedtype CodingKeys: CodingKey & CaseIterable
    /// Bodies nested under a key, checked the same way.
    static var nested: [String: any APIRequestBody.Type] { get }
}

extension APIRequestBody {
    static var nested: [String: any APIRequestBody.Type] { [:] }

    static var allowedKeys: Set<String> { Set(CodingKeys.allCases.map(\.stringValue)) }

    /// Field errors for keys that the type does not know, at any nesting level.
    static func unknownKeys(in object: [String: Any], path: String = "") -> [AppError.FieldError] {
        var errors: [AppError.FieldError] = []
        for key in object.keys.sorted() {
            if !allowedKeys.contains(key) {
                errors.append(.init(path + key, "is not a known field"))
            } else if let nestedType = nested[key], let child = object[key] as? [String: Any] {
                errors += nestedType.unknownKeys(in: child, path: path + key + ".")
            }
        }
        return errors
    }
}

extension Request {
    /// Reads and strictly decodes a JSON body of at most `limit` bytes.
    /// Throws `.unsupportedMediaType`, `.payloadTooLarge` or `.invalid` with the offending fields.
    func decode<T: APIRequestBody>(_ type: T.Type, limit: Int) async throws -> T {
        try Self.decodeJSON(T.self, from: try await jsonBody(limit: limit))
    }

    /// The body's bytes, once its media type and size pass. Throws `.unsupportedMediaType`, `.payloadTooLarge`.
    func jsonBody(limit: Int) async throws -> Data {
        let mediaType = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, mediaType == "application/json" || mediaType.hasSuffix("+json") else {
            throw AppError(.unsupportedMediaType, "Send the body as application/json")
        }
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            throw AppError(.payloadTooLarge, "The body is larger than \(limit) bytes")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw AppError(.payloadTooLarge, "The body is larger than \(limit) bytes")
        }
        return Data(buffer.readableBytesView)
    }

    /// Strictly decodes a JSON object: unknown fields and bad values are named. Throws `.invalid`.
    static func decodeJSON<T: APIRequestBody>(_ type: T.Type, from data: Data) throws -> T {
        guard !data.isEmpty else { throw AppError.invalid("A JSON body is required") }
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw AppError.invalid("The body is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else { throw AppError.invalid("The body must be a JSON object") }
        let unknown = T.unknownKeys(in: object)
        if !unknown.isEmpty { throw AppError.invalid("The body has unknown fields", fields: unknown) }
        do {
            return try JSONCoding.decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw AppError.invalid("The body has invalid fields", fields: [Self.fieldError(error)])
        }
    }

    static func fieldError(_ error: DecodingError) -> AppError.FieldError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "body" : text.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .init(path(context, key), "is required")
        case .valueNotFound(_, let context):
            return .init(path(context), "must not be null")
        case .typeMismatch(let type, let context):
            return .init(path(context), "must be \(describe(type))")
        case .dataCorrupted(let context):
            return .init(path(context), "has an invalid value")
        @unknown default:
            return .init("body", "is invalid")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: type == [String: Any].self ? "an object" : "of a different type"
        }
    }
}

extension KeyedDecodingContainer {
    /// Tells a missing key (nil: leave unchanged) from an explicit null (.some(nil): clear it).
    func decodeNullable<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T?? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) { return .some(nil) }
        return .some(try decode(T.self, forKey: key))
    }
}
