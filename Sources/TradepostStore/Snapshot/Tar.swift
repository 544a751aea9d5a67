import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The POSIX ustar format, so a snapshot is also an ordinary archive (`tar -tf` lists it, `tar -xf`
/// unpacks it into a data dir by hand). Sizes past the 8 GiB octal field use GNU's base-256 form.
enum Tar {
    static let block = 512

    struct Header {
        var path: String
        var size: Int64
        var mode: Int = 0o600
        var modified = Date()
        var isDirectory = false
    }

    static func encode(_ h: Header) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: block)
        let (prefix, name) = try split(h.path)
        put(&bytes, 0, 100, Array(name.utf8))
        put(&bytes, 100, 8, octal(Int64(h.mode), width: 8))
        put(&bytes, 108, 8, octal(0, width: 8))
        put(&bytes, 116, 8, octal(0, width: 8))
        if h.size < 0o77777777777 {
            put(&bytes, 124, 12, octal(h.size, width: 12))
        } else {
            bytes[124] = 0x80
            for i in 0..<8 { bytes[135 - i] = UInt8(truncatingIfNeeded: h.size >> (8 * Int64(i))) }
        }
        put(&bytes, 136, 12, octal(Int64(h.modified.timeIntervalSince1970), width: 12))
        bytes[156] = h.isDirectory ? UInt8(ascii: "5") : UInt8(ascii: "0")
        put(&bytes, 257, 6, Array("ustar\0".utf8))
        put(&bytes, 263, 2, Array("00".utf8))
        put(&bytes, 345, 155, Array(prefix.utf8))
        for i in 148..<156 { bytes[i] = UInt8(ascii: " ") }
        let sum = bytes.reduce(0) { $0 + Int64($1) }
        put(&bytes, 148, 8, octal(sum, width: 7) + [0x20])
        return bytes
    }

    /// Nil for the two zero blocks that end an archive; throws on a damaged header.
    static func decode(_ bytes: [UInt8]) throws -> Header? {
        guard bytes.count == block else { throw SnapshotError.damaged("truncated archive") }
        if bytes.allSatisfy({ $0 == 0 }) { return nil }
        var copy = bytes
        for i in 148..<156 { copy[i] = UInt8(ascii: " ") }
        let sum = copy.reduce(0) { $0 + Int64($1) }
        guard parseOctal(bytes[148..<156]) == sum else { throw SnapshotError.damaged("an archive header's checksum does not match") }
        let name = string(bytes[0..<100]), prefix = string(bytes[345..<500])
        let size: Int64
        if bytes[124] & 0x80 != 0 {
            size = bytes[128..<136].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        } else {
            guard let parsed = parseOctal(bytes[124..<136]) else { throw SnapshotError.damaged("an archive header's size is unreadable") }
            size = parsed
        }
        return Header(path: prefix.isEmpty ? name : "\(prefix)/\(name)", size: size,
                      mode: Int(parseOctal(bytes[100..<108]) ?? 0o600),
                      modified: Date(timeIntervalSince1970: TimeInterval(parseOctal(bytes[136..<148]) ?? 0)),
                      isDirectory: bytes[156] == UInt8(ascii: "5"))
    }

    static func padding(_ size: Int64) -> Int { Int((Int64(block) - size % Int64(block)) % Int64(block)) }

    private static func split(_ path: String) throws -> (String, String) {
        let utf8 = Array(path.utf8)
        if utf8.count <= 100 { return ("", path) }
        // ustar: up to 155 bytes of leading folders in `prefix`, the rest (≤ 100) in `name`.
        for (i, byte) in utf8.enumerated().reversed() where byte == UInt8(ascii: "/") && i <= 155 && utf8.count - i - 1 <= 100 {
            return (String(decoding: utf8[..<i], as: UTF8.self), String(decoding: utf8[(i + 1)...], as: UTF8.self))
        }
        throw SnapshotError.damaged("path too long for the archive: \(path)")
    }

    private static func put(_ bytes: inout [UInt8], _ offset: Int, _ width: Int, _ value: [UInt8]) {
        for (i, b) in value.prefix(width).enumerated() { bytes[offset + i] = b }
    }

    private static func octal(_ value: Int64, width: Int) -> [UInt8] {
        let digits = String(value, radix: 8)
        return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
    }

    private static func parseOctal(_ field: ArraySlice<UInt8>) -> Int64? {
        let text = String(decoding: field.prefix { $0 != 0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? 0 : Int64(text, radix: 8)
    }

    private static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Raw file descriptor I/O for archives: big sequential reads and writes without Foundation's copies.
struct RawFile {
    let fd: Int32
    let path: String

    static func create(_ path: String, mode: mode_t = 0o600) throws -> RawFile {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SnapshotError.io("cannot create \(path): \(String(cString: strerror(errno)))") }
        return RawFile(fd: fd, path: path)
    }

    static func open(_ path: String) throws -> RawFile {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SnapshotError.io("cannot open \(path): \(String(cString: strerror(errno)))") }
        return RawFile(fd: fd, path: path)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw SnapshotError.io("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Fills as much of `buffer` as the file still has; returns the count (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw SnapshotError.io("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    func sync() throws {
        guard fsync(fd) == 0 else { throw SnapshotError.io("cannot fsync \(path): \(String(cString: strerror(errno)))") }
    }

    func close() { _ = Glibc.close(fd) }

    static func size(_ path: String) -> Int64? {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : nil
    }

    static func syncDirectory(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        _ = Glibc.close(fd)
    }
}
