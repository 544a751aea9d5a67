/// Percent-decoding of URL parts to bytes, the one implementation the API's request-target check
/// and the S3 listener's addressing share. An escape that is not `%` and two hex digits stays as it
/// is (as browsers and S3 treat a stray `%`).
public enum PercentDecoding {
    public static func bytes<S: StringProtocol>(_ text: S, plusIsSpace: Bool = false) -> [UInt8] {
        let u = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let hi = hexValue(u[i + 1]), let lo = hexValue(u[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusIsSpace && u[i] == UInt8(ascii: "+") ? UInt8(ascii: " ") : u[i])
                i += 1
            }
        }
        return out
    }

    /// The decoded text; bytes that are not UTF-8 become U+FFFD. Keeps invalid escapes as they are.
    public static func text(_ text: String, plusIsSpace: Bool = false) -> String {
        if !text.utf8.contains(UInt8(ascii: "%")) && !(plusIsSpace && text.utf8.contains(UInt8(ascii: "+"))) { return text }
        return String(decoding: bytes(text, plusIsSpace: plusIsSpace), as: UTF8.self)
    }

    /// The decoded text, or nil when the bytes are not valid UTF-8.
    public static func utf8<S: StringProtocol>(_ text: S, plusIsSpace: Bool = false) -> String? {
        String(validating: bytes(text, plusIsSpace: plusIsSpace), as: UTF8.self)
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
