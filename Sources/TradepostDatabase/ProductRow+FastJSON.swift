import Foundation
import TradepostCore

/// The product's JSON columns read without `JSONDecoder`: every product read decodes them (a
/// product page, a cart line, a search hit), and the text is always what this module wrote — tiers
/// by `tiersJSON`, attributes by the sorted-keys encoder. Anything else (a control escape, an
/// unexpected shape) returns nil and the caller falls back to `JSONDecoder`.
extension Product {
    /// `[{"p":850,"q":10},…]`.
    static func fastTiers(_ text: String) -> [StoredTier]? {
        var numbers: [Int64] = []
        var current: Int64 = 0, negative = false, inNumber = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times, o1) = current.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                if o1 || o2 { return nil }
                current = sum
                inNumber = true
            case UInt8(ascii: "-"): negative = true
            default:
                if inNumber { numbers.append(negative ? -current : current) }
                current = 0; negative = false; inNumber = false
            }
        }
        guard numbers.count % 2 == 0 else { return nil }
        let tiers = stride(from: 0, to: numbers.count, by: 2).map { StoredTier(q: numbers[$0 + 1], p: numbers[$0]) }
        // Only the exact text tiersJSON writes is trusted.
        let canonical = "[" + tiers.map { "{\"p\":\($0.p),\"q\":\($0.q)}" }.joined(separator: ",") + "]"
        return canonical == text ? tiers : nil
    }

    /// `{"key":"text","n":500,"rx":false}`: strings, plain numbers, booleans.
    static func fastAttributes(_ text: String) -> [String: AttributeValue]? {
        let bytes = Array(text.utf8)
        var i = 0
        /// A string whose only escapes are `\/`, `\"` and `\\` (the encoder escapes slashes).
        func string() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            var j = i + 1
            var value: [UInt8] = []
            while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                if bytes[j] < 0x20 { return nil }
                if bytes[j] == UInt8(ascii: "\\") {
                    guard j + 1 < bytes.count, [UInt8(ascii: "/"), UInt8(ascii: "\""), UInt8(ascii: "\\")].contains(bytes[j + 1]) else { return nil }
                    j += 1
                }
                value.append(bytes[j])
                j += 1
            }
            guard j < bytes.count else { return nil }
            i = j + 1
            return String(decoding: value, as: UTF8.self)
        }
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        i = 1
        var out: [String: AttributeValue] = [:]
        while i < bytes.count, bytes[i] != UInt8(ascii: "}") {
            guard let key = string(), i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let value = string() else { return nil }
                out[key] = .text(value)
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                let flag = bytes[i] == UInt8(ascii: "t")
                let word = Array((flag ? "true" : "false").utf8)
                guard bytes.count >= i + word.count, Array(bytes[i..<i + word.count]) == word else { return nil }
                i += word.count
                out[key] = .bool(flag)
            default:
                let start = i
                while i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: ".") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                    i += 1
                }
                // Exponents and other forms go the long way; a plain integer is already what Decimal prints.
                let token = bytes[start..<i]
                if AttributeValue.isPlainInteger(token) {
                    out[key] = .number(String(decoding: token, as: UTF8.self))
                } else {
                    guard i > start, let decimal = Decimal(string: String(decoding: token, as: UTF8.self)) else { return nil }
                    out[key] = .number("\(decimal)")
                }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1 }
        }
        guard i == bytes.count - 1 else { return nil }
        return out
    }
}
