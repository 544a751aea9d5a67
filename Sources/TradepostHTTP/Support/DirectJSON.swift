import Foundation

/// A type that writes its own API JSON, byte for byte what `JSONCoding.encoder` writes for it
/// (sorted snake_case keys, absent optionals left out), without `Encodable`'s per-field
/// containers, boxes and key conversions. For the few types the server writes most — a product
/// is in every catalog page, search hit and product read — where that machinery cost more than
/// the database read. `APIJSONEncoderTests` holds each one equal to Foundation's output.
protocol DirectJSON {
    func writeJSON(into out: inout JSONObjectWriter.Buffer)
}

/// Writes one JSON object's members in the order given; the caller gives them sorted.
struct JSONObjectWriter: ~Copyable {
    typealias Buffer = [UInt8]
    private var first = true

    init(_ out: inout Buffer) { out.append(UInt8(ascii: "{")) }

    /// The key, already in its wire spelling and JSON-safe (ASCII, nothing to escape).
    mutating func key(_ key: StaticString, _ out: inout Buffer) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    /// A member whose key is data (a dictionary's): escaped like any string.
    mutating func dataKey(_ key: String, _ out: inout Buffer) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONValue.writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
    }

    mutating func string(_ key: StaticString, _ value: String, _ out: inout Buffer) {
        self.key(key, &out)
        JSONValue.writeString(value, into: &out)
    }

    /// Left out when nil, as `encodeIfPresent` does.
    mutating func string(_ key: StaticString, _ value: String?, _ out: inout Buffer) {
        if let value { string(key, value, &out) }
    }

    /// An array of strings, written even when empty (as `encode` writes `[]`).
    mutating func strings(_ key: StaticString, _ values: [String], _ out: inout Buffer) {
        self.key(key, &out)
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(value, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A nested value that writes itself; left out when nil.
    mutating func object(_ key: StaticString, _ value: (some DirectJSON)?, _ out: inout Buffer) {
        guard let value else { return }
        self.key(key, &out)
        value.writeJSON(into: &out)
    }

    mutating func number<I: BinaryInteger>(_ key: StaticString, _ value: I, _ out: inout Buffer) {
        self.key(key, &out)
        out.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ key: StaticString, _ value: Bool, _ out: inout Buffer) {
        self.key(key, &out)
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Left out when nil.
    mutating func number<I: BinaryInteger>(_ key: StaticString, _ value: I?, _ out: inout Buffer) {
        if let value { number(key, value, &out) }
    }

    /// Left out when nil.
    mutating func date(_ key: StaticString, _ value: Date?, _ out: inout Buffer) {
        if let value { date(key, value, &out) }
    }

    /// An array of values that write themselves; left out when nil.
    mutating func array<T: DirectJSON>(_ key: StaticString, _ values: [T]?, _ out: inout Buffer) {
        guard let values else { return }
        self.key(key, &out)
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            value.writeJSON(into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func date(_ key: StaticString, _ value: Date, _ out: inout Buffer) {
        string(key, APIJSONEncoder.iso8601(value), &out)
    }

    consuming func close(_ out: inout Buffer) { out.append(UInt8(ascii: "}")) }
}
