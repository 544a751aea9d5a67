import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The API's JSON writer: byte for byte what Foundation's `JSONEncoder` writes with snake_case
/// keys, sorted keys, ISO 8601 dates and unescaped slashes (`JSONCoding.encoder`;
/// `APIJSONEncoderTests` holds them equal), in a fraction of the time. Foundation converts every key
/// to snake case on every encode, formats dates through a format style and boxes every value;
/// a response body is the most common thing the server makes, so this keeps keys converted once
/// and writes straight into bytes.
enum APIJSONEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        if T.self is any DirectJSON.Type {
            (value as! any DirectJSON).writeJSON(into: &out)
        } else {
            try node(for: value).write(into: &out)
        }
        return out
    }

    static func node<T: Encodable>(for value: T) throws -> Node {
        // The types Foundation's encoder writes its own way, recognised by type, not by a dynamic
        // cast of every nested value (five of those were a tenth of encoding a product).
        switch special(T.self, value) {
        case .date: return .string(iso8601(value as! Date))
        case .url: return .string((value as! URL).absoluteString)
        case .data: return .string((value as! Data).base64EncodedString())
        case .decimal: return .number((value as! Decimal).description)
        // A dictionary's keys are data, not property names: Foundation leaves them as they are.
        case .dictionary: return try (value as! any StringKeyedDictionary).apiNode()
        case .direct:
            var bytes: [UInt8] = []
            (value as! any DirectJSON).writeJSON(into: &bytes)
            return .raw(bytes)
        case .plain: break
        }
        let encoder = NodeEncoder()
        try value.encode(to: encoder)
        return encoder.root ?? .object(ObjectBox())
    }

    enum Special { case date, url, data, decimal, dictionary, direct, plain }

    /// Metatype comparisons and one conformance check (the runtime caches those without a lock).
    static func special<T>(_ type: T.Type, _ value: T) -> Special {
        if type == Date.self { return .date }
        if type == URL.self { return .url }
        if type == Data.self { return .data }
        if type == Decimal.self { return .decimal }
        if type is any StringKeyedDictionary.Type { return .dictionary }
        if type is any DirectJSON.Type { return .direct }
        return .plain
    }

    /// A value being built; containers are boxes because Codable hands them out before they are filled.
    enum Node {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        /// Already written (a `DirectJSON` value).
        case raw([UInt8])
        case array(ArrayBox)
        case object(ObjectBox)

        func write(into out: inout [UInt8]) {
            switch self {
            case .string(let text): JSONValue.writeString(text, into: &out)
            case .number(let text): out.append(contentsOf: text.utf8)
            case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
            case .null: out.append(contentsOf: "null".utf8)
            case .raw(let bytes): out.append(contentsOf: bytes)
            case .array(let box):
                out.append(UInt8(ascii: "["))
                for (index, item) in box.items.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    item.write(into: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .object(let box):
                out.append(UInt8(ascii: "{"))
                for (index, key) in box.members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    JSONValue.writeString(key, into: &out)
                    out.append(UInt8(ascii: ":"))
                    box.members[key]!.write(into: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
    }

    final class ArrayBox { var items: [Node] = [] }
    final class ObjectBox { var members: [String: Node] = [:] }

    // MARK: - Scalars as Foundation writes them

    static func number(_ value: Double) throws -> Node {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) is not valid JSON"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }

    /// `2026-12-04T04:08:39Z`: whole seconds in UTC, as `.iso8601` writes them.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let year = parts.tm_year + 1900
        let y = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(y)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// Keys converted once per process: the set of keys an API has is small and fixed.
    private static let snakeKeys = Mutex<[String: String]>([:])

    static func snake(_ key: String) -> String {
        if let known = snakeKeys.withLock({ $0[key] }) { return known }
        let converted = convertToSnakeCase(key)
        snakeKeys.withLock { if $0.count < 10_000 { $0[key] = converted } }
        return converted
    }

    /// Foundation's `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`: words split where a
    /// lowercase letter meets an uppercase one, acronyms kept together ("myURLProperty" → "my_url_property").
    static func convertToSnakeCase(_ key: String) -> String {
        guard !key.isEmpty, key.contains(where: \.isUppercase) else { return key }
        var words: [Range<String.Index>] = []
        var wordStart = key.startIndex
        var searchRange = key.index(after: wordStart)..<key.endIndex
        while let upper = key[searchRange].firstIndex(where: \.isUppercase) {
            words.append(wordStart..<upper)
            searchRange = upper..<searchRange.upperBound
            guard let lower = key[searchRange].firstIndex(where: \.isLowercase) else {
                wordStart = searchRange.lowerBound
                break
            }
            let afterCapital = key.index(after: upper)
            if lower == afterCapital {
                wordStart = upper
            } else {
                let beforeLower = key.index(before: lower)
                words.append(upper..<beforeLower)
                wordStart = beforeLower
            }
            searchRange = key.index(after: lower)..<searchRange.upperBound
        }
        words.append(wordStart..<searchRange.upperBound)
        return words.map { key[$0].lowercased() }.joined(separator: "_")
    }
}

/// `[String: Value]`, whose keys `APIJSONEncoder` writes unconverted.
protocol StringKeyedDictionary {
    func apiNode() throws -> APIJSONEncoder.Node
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    func apiNode() throws -> APIJSONEncoder.Node {
        let box = APIJSONEncoder.ObjectBox()
        for (key, value) in self { box.members[key] = try APIJSONEncoder.node(for: value) }
        return .object(box)
    }
}
