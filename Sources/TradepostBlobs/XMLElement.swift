/// The few XML bodies S3 clients send (CompleteMultipartUpload, Delete, CreateBucketConfiguration),
/// parsed into a small tree. Our own parser: Foundation's XMLParser on Linux drags in libxml2,
/// which the static binary must not need. Attributes, comments, processing instructions and
/// DOCTYPEs are skipped; DTD entities are not expanded (no billion-laughs).
public final class XMLNode: Sendable {
    public let name: String
    public let children: [XMLNode]
    public let text: String

    init(name: String, children: [XMLNode], text: String) {
        self.name = name
        self.children = children
        self.text = text
    }

    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    public func all(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    public func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a document; throws MalformedXML for anything that is not well-formed.
    public static func parse(_ bytes: [UInt8]) throws(S3Error) -> XMLNode {
        var parser = Parser(bytes: bytes)
        guard let root = try parser.document() else { throw .malformedXML }
        return root
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0
        var depth = 0

        mutating func document() throws(S3Error) -> XMLNode? {
            try skipMisc()
            guard peek("<") else { return nil }
            let root = try element()
            try skipMisc()
            guard i == bytes.count else { throw .malformedXML }
            return root
        }

        func peek(_ s: String) -> Bool {
            let u = Array(s.utf8)
            return i + u.count <= bytes.count && Array(bytes[i..<(i + u.count)]) == u
        }

        mutating func skip(until s: String) throws(S3Error) {
            while i < bytes.count && !peek(s) { i += 1 }
            guard i < bytes.count else { throw .malformedXML }
            i += s.utf8.count
        }

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }

        /// Whitespace, `<?…?>`, comments and DOCTYPE between elements.
        mutating func skipMisc() throws(S3Error) {
            while true {
                skipSpace()
                if peek("<?") { try skip(until: "?>") }
                else if peek("<!--") { try skip(until: "-->") }
                else if peek("<!DOCTYPE") { try skip(until: ">") }
                else { return }
            }
        }

        mutating func name() throws(S3Error) -> String {
            let start = i
            while i < bytes.count, !([0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "=")].contains(bytes[i])) { i += 1 }
            guard i > start else { throw .malformedXML }
            let full = String(decoding: bytes[start..<i], as: UTF8.self)
            // Namespace prefixes are dropped: <s3:Key> and <Key> are the same element to us.
            return full.split(separator: ":").last.map(String.init) ?? full
        }

        mutating func element() throws(S3Error) -> XMLNode {
            depth += 1
            guard depth < 32 else { throw .malformedXML }
            defer { depth -= 1 }
            i += 1  // "<"
            let tag = try name()
            // Attributes: skipped, but quotes are honoured so a '>' inside one does not end the tag.
            while i < bytes.count && bytes[i] != UInt8(ascii: ">") && !peek("/>") {
                if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    let q = bytes[i]
                    i += 1
                    while i < bytes.count && bytes[i] != q { i += 1 }
                }
                i += 1
            }
            guard i < bytes.count else { throw .malformedXML }
            if peek("/>") {
                i += 2
                return XMLNode(name: tag, children: [], text: "")
            }
            i += 1
            var children: [XMLNode] = []
            var text: [UInt8] = []
            while true {
                guard i < bytes.count else { throw .malformedXML }
                if peek("</") {
                    i += 2
                    let end = try name()
                    skipSpace()
                    guard end == tag, i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw .malformedXML }
                    i += 1
                    return XMLNode(name: tag, children: children, text: String(decoding: text, as: UTF8.self))
                } else if peek("<!--") {
                    try skip(until: "-->")
                } else if peek("<![CDATA[") {
                    i += 9
                    let start = i
                    try skip(until: "]]>")
                    text += bytes[start..<(i - 3)]
                } else if peek("<?") {
                    try skip(until: "?>")
                } else if peek("<") {
                    children.append(try element())
                } else if bytes[i] == UInt8(ascii: "&") {
                    text += try entity()
                } else {
                    text.append(bytes[i])
                    i += 1
                }
            }
        }

        mutating func entity() throws(S3Error) -> [UInt8] {
            let start = i
            while i < bytes.count && bytes[i] != UInt8(ascii: ";") && i - start < 12 { i += 1 }
            guard i < bytes.count, bytes[i] == UInt8(ascii: ";") else { throw .malformedXML }
            let name = String(decoding: bytes[(start + 1)..<i], as: UTF8.self)
            i += 1
            switch name {
            case "amp": return Array("&".utf8)
            case "lt": return Array("<".utf8)
            case "gt": return Array(">".utf8)
            case "quot": return Array("\"".utf8)
            case "apos": return Array("'".utf8)
            default:
                let value: UInt32? = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16)
                    : name.hasPrefix("#") ? UInt32(name.dropFirst(1)) : nil
                guard let value, let scalar = Unicode.Scalar(value) else { throw .malformedXML }
                return Array(String(Character(scalar)).utf8)
            }
        }
    }
}
