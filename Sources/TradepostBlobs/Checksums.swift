import Crypto
import Foundation
import TradepostCore

/// How S3 names each checksum in headers: `x-amz-checksum-crc32` and so on.
extension ChecksumAlgorithm {
    /// The request/response header carrying this checksum, e.g. `x-amz-checksum-crc32`.
    public var header: String { "x-amz-checksum-" + rawValue.lowercased() }

    public init?(header name: String) {
        guard name.hasPrefix("x-amz-checksum-") else { return nil }
        self.init(rawValue: name.dropFirst("x-amz-checksum-".count).uppercased())
    }
}

/// Running digests over one body. MD5 always (the ETag); SHA-256 when the signature covers the
/// payload; any `x-amz-checksum-*` the client asked for.
public struct BodyDigests: Sendable {
    private var md5 = Insecure.MD5()
    private var sha256: SHA256?
    private var sha1: Insecure.SHA1?
    private var crc32: CRC?
    private var crc32c: CRC?
    private var crc64: CRC64?
    public private(set) var size: Int64 = 0

    public init(sha256 wantSHA256: Bool, checksums: Set<ChecksumAlgorithm>) {
        if wantSHA256 || checksums.contains(.sha256) { sha256 = SHA256() }
        if checksums.contains(.sha1) { sha1 = Insecure.SHA1() }
        if checksums.contains(.crc32) { crc32 = CRC(table: CRC.ieee) }
        if checksums.contains(.crc32c) { crc32c = CRC(table: CRC.castagnoli) }
        if checksums.contains(.crc64nvme) { crc64 = CRC64() }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        size += Int64(bytes.count)
        md5.update(bufferPointer: bytes)
        sha256?.update(bufferPointer: bytes)
        sha1?.update(bufferPointer: bytes)
        crc32?.update(bytes)
        crc32c?.update(bytes)
        crc64?.update(bytes)
    }

    public func finish() -> BlobDigests {
        var sums: [ChecksumAlgorithm: String] = [:]
        var shaHex: String?
        if let sha256 {
            let digest = Array(sha256.finalize())
            shaHex = Hex.encode(digest)
            sums[.sha256] = Data(digest).base64EncodedString()
        }
        if let sha1 { sums[.sha1] = Data(Array(sha1.finalize())).base64EncodedString() }
        if let crc32 { sums[.crc32] = crc32.base64 }
        if let crc32c { sums[.crc32c] = crc32c.base64 }
        if let crc64 { sums[.crc64nvme] = crc64.base64 }
        return BlobDigests(size: size, md5: Array(md5.finalize()), sha256Hex: shaHex, checksums: sums)
    }
}

/// A reflected 32-bit CRC (IEEE for CRC32, Castagnoli for CRC32C), slicing by 8.
struct CRC: Sendable {
    static let ieee = tables(0xEDB8_8320)
    static let castagnoli = tables(0x82F6_3B78)
    let table: [UInt32]
    var value: UInt32 = 0xFFFF_FFFF

    init(table: [UInt32]) { self.table = table }

    static func tables(_ poly: UInt32) -> [UInt32] {
        var t = [UInt32](repeating: 0, count: 256 * 8)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ poly : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 { t[k * 256 + i] = (t[(k - 1) * 256 + i] >> 8) ^ t[Int(t[(k - 1) * 256 + i] & 0xFF)] }
        }
        return t
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = value
        table.withUnsafeBufferPointer { t in
            var i = 0
            let n = bytes.count
            while i + 8 <= n {
                let lo = c ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(bytes[i + 4])] ^ t[2 * 256 + Int(bytes[i + 5])]
                    ^ t[1 * 256 + Int(bytes[i + 6])] ^ t[Int(bytes[i + 7])]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        value = c
    }

    var final: UInt32 { value ^ 0xFFFF_FFFF }
    var base64: String {
        let v = final
        return Data([UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]).base64EncodedString()
    }
}

/// CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5), the newest S3 checksum.
struct CRC64: Sendable {
    static let table: [UInt64] = (0..<256).map { i in
        var c = UInt64(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x9A6C_9329_AC4B_C9B5 : c >> 1 }
        return c
    }
    var value: UInt64 = ~0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = value
        Self.table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt64(b)) & 0xFF)] ^ (c >> 8) }
        }
        value = c
    }

    var base64: String {
        let v = ~value
        return Data((0..<8).map { UInt8((v >> (56 - 8 * UInt64($0))) & 0xFF) }).base64EncodedString()
    }
}
