import Foundation

/// Reads CSV records from a file a chunk at a time, so a million-row price list is never in memory.
/// RFC 4180 quoting (doubled quotes, delimiters and line breaks inside quotes), CRLF or LF, and what
/// spreadsheet exports really contain: a UTF-8 byte-order mark, Windows-1251 text, `;` instead of `,`.
public final class CSVReader {
    public enum Encoding: String, Sendable, Codable, CaseIterable {
        case utf8 = "utf-8"
        case windows1251 = "windows-1251"
    }

    public let encoding: Encoding
    public let delimiter: UInt8
    /// The line the last record returned by `next()` started on (1-based).
    public private(set) var line = 0
    /// Bytes consumed so far, for progress.
    public private(set) var bytesRead: Int64 = 0
    public let fileSize: Int64

    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8]
    private var position = 0
    private var end = 0
    private var nextLine = 1
    private var field: [UInt8] = []

    static let chunk = 1 << 20

    /// Opens `path`, detecting what is not given: UTF-8 if there is a byte-order mark or the first
    /// 64 KiB are valid UTF-8, Windows-1251 otherwise; the delimiter that occurs most in the first line
    /// outside quotes (`;`, `,` or tab). Throws `.invalid` when the file cannot be read.
    public init(path: String, encoding: Encoding? = nil, delimiter: UInt8? = nil) throws {
        guard let file = fopen(path, "rb") else { throw AppError.invalid("The file cannot be read") }
        self.file = file
        var info = stat()
        fileSize = fstat(fileno(file), &info) == 0 ? Int64(info.st_size) : 0
        buffer = [UInt8](repeating: 0, count: Self.chunk)
        end = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, Self.chunk, file) }
        bytesRead = Int64(end)
        var bom = false
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            position = 3
            bom = true
        }
        let sample = buffer[position..<min(end, position + 65_536)]
        self.encoding = encoding ?? (bom || Self.isUTF8(sample, truncated: end > position + 65_536) ? .utf8 : .windows1251)
        self.delimiter = delimiter ?? Self.detectDelimiter(buffer[position..<end])
    }

    deinit { fclose(file) }

    /// The next record's fields, or nil at the end. Throws `.invalid` for a quote left open at the end
    /// of the file; a field that is not valid in the encoding comes back with U+FFFD in it.
    public func next() throws -> [String]? {
        var fields: [String] = []
        field.removeAll(keepingCapacity: true)
        var quoted = false
        var fieldWasQuoted = false
        var any = false
        line = nextLine
        while true {
            if position == end {
                guard refill() else {
                    if quoted { throw AppError.invalid("Line \(line): a quoted field is not closed before the end of the file") }
                    if !any && fields.isEmpty { return nil }
                    fields.append(decode(field))
                    return fields
                }
            }
            let byte = buffer[position]
            position += 1
            any = true
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if position == end { _ = refill() }
                    if position < end, buffer[position] == UInt8(ascii: "\"") {
                        field.append(byte)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if byte == 0x0A { nextLine += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                fields.append(decode(field))
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
            case 0x0A:
                nextLine += 1
                if field.last == 0x0D && !fieldWasQuoted { field.removeLast() }
                // A blank line is not a record.
                if fields.isEmpty && field.isEmpty { any = false; line = nextLine; continue }
                fields.append(decode(field))
                return fields
            case UInt8(ascii: "\"") where field.isEmpty && !fieldWasQuoted:
                quoted = true
                fieldWasQuoted = true
            default:
                if byte == 0x0D && fieldWasQuoted { continue }
                field.append(byte)
            }
        }
    }

    private func refill() -> Bool {
        end = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, Self.chunk, file) }
        position = 0
        bytesRead += Int64(end)
        return end > 0
    }

    private func decode(_ bytes: [UInt8]) -> String {
        switch encoding {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .windows1251:
            var scalars = String.UnicodeScalarView()
            scalars.reserveCapacity(bytes.count)
            for b in bytes { scalars.append(Windows1251.scalar(b)) }
            return String(scalars)
        }
    }

    /// Whether `bytes` are valid UTF-8; a sequence cut off at the end of a `truncated` sample is fine.
    static func isUTF8(_ bytes: ArraySlice<UInt8>, truncated: Bool) -> Bool {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            if i + length > bytes.endIndex { return truncated }
            for j in 1..<length where bytes[i + j] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }

    /// The candidate that occurs most in the first line, outside quotes; a comma when none does.
    static func detectDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ";"): 0, UInt8(ascii: ","): 0, UInt8(ascii: "\t"): 0]
        var quoted = false
        for b in bytes {
            if b == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A { break }
            if counts[b] != nil { counts[b]! += 1 }
        }
        let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key == UInt8(ascii: ";")) }!
        return best.value > 0 ? best.key : UInt8(ascii: ",")
    }
}

/// Windows-1251 (Cyrillic) to Unicode: ASCII below 0x80, the table above it.
public enum Windows1251 {
    public static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        if byte < 0x80 { return Unicode.Scalar(byte) }
        return Unicode.Scalar(high[Int(byte - 0x80)])!
    }

    // 0x80–0xBF from the code page; 0xC0–0xFF are А–я in order.
    static let high: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ] + (0x0410...0x044F).map { UInt32($0) }

    /// The byte of a character in the code page, or nil when it has none.
    public static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value < 0x80 ? UInt8(scalar.value) : reverse[scalar.value]
    }

    static let reverse: [UInt32: UInt8] = Dictionary(uniqueKeysWithValues: high.enumerated().filter { $0.element != 0xFFFD }
        .map { ($0.element, UInt8($0.offset + 0x80)) })
}
