import Foundation
import Hummingbird
import NIOCore
import TradepostCore

/// The API's JSON: snake_case keys, ISO 8601 dates.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Request bodies declare their snake_case keys explicitly (see `APIRequestBody`).
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// A JSON response with a status.
struct APIResponse<Value: Encodable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var value: Value

    init(_ value: Value, status: HTTPResponse.Status = .ok) {
        self.value = value
        self.status = status
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try APIJSONEncoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// `{"items": [...], "next_cursor": "..."}`, the shape of every list.
struct ListResponse<Item: Encodable & Sendable>: Encodable {
    var items: [Item]
    var nextCursor: String?

    init(_ page: Page<Item>) {
        items = page.items
        nextCursor = page.nextCursor
    }

    init(items: [Item]) {
        self.items = items
        nextCursor = nil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)  // explicit null on the last page
    }
    enum CodingKeys: String, CodingKey { case items, nextCursor }
}

extension Response {
    static let noContent = Response(status: .noContent)
}

extension Request {
    /// A query parameter parsed by `parse`, or `.invalid` naming the parameter.
    func query<T>(_ name: String, _ parse: (String) -> T?, expected: String) throws -> T? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let value = parse(raw) else { throw AppError.invalidField(name, "must be \(expected)") }
        return value
    }

    /// A true/false query parameter ("true" or "false", as the document's boolean), or `.invalid` naming it.
    func flag(_ name: String) throws -> Bool? {
        try query(name, { ["true": true, "false": false][$0] }, expected: "true or false")
    }

    func pageRequest() throws -> PageRequest {
        try PageRequest(limit: uri.queryParameters.get("limit"), cursor: uri.queryParameters.get("cursor"))
    }
}

extension RawRepresentable where RawValue == String, Self: CaseIterable {
    static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
