/// A query string's pairs, decoded, in the order sent. `?uploads` is ("uploads", "").
public struct Query: Sendable {
    public let pairs: [(String, String)]

    /// Splits on bytes, not Characters: grapheme breaking made this a tenth of a presigned GET's CPU.
    public init(_ raw: String) {
        var pairs: [(String, String)] = []
        let bytes = raw.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            if start < end {
                let part = bytes[start..<end]
                if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                    pairs.append((PercentDecoding.text(String(Substring(part[..<eq])), plusIsSpace: true),
                                  PercentDecoding.text(String(Substring(part[bytes.index(after: eq)...])), plusIsSpace: true)))
                } else {
                    pairs.append((PercentDecoding.text(String(Substring(part)), plusIsSpace: true), ""))
                }
            }
            start = end < bytes.endIndex ? bytes.index(after: end) : end
        }
        self.pairs = pairs
    }

    public func first(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }
    public func has(_ name: String) -> Bool { pairs.contains { $0.0 == name } }
}
