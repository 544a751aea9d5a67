import Foundation
import TradepostBlobs

/// Pictures for the demo sample, drawn here rather than shipped: a soft background in the item's
/// own hue and a pack, bottle or jar on it — enough for a catalog that does not look empty. The PNG
/// is written by hand (stored deflate blocks, no compression library): a few tens of kilobytes each.
enum DemoPicture {
    enum Shape { case box, bottle, jar, logo }

    static let size = 160

    /// An RGB PNG of `shape` in `hue` (0–360).
    static func png(_ shape: Shape, hue: Double) -> [UInt8] {
        let (bg, fg, accent) = (rgb(hue, 0.35, 0.95), rgb(hue, 0.65, 0.55), rgb((hue + 180).truncatingRemainder(dividingBy: 360), 0.5, 0.9))
        var pixels = [UInt8]()
        pixels.reserveCapacity(size * (size * 3 + 1))
        for y in 0..<size {
            pixels.append(0)  // filter: none
            for x in 0..<size {
                let color = inside(shape, x, y) ? (isLabel(shape, x, y) ? accent : fg) : bg
                pixels += color
            }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        chunk("IHDR", be32(size) + be32(size) + [8, 2, 0, 0, 0], into: &out)
        chunk("IDAT", zlibStored(pixels), into: &out)
        chunk("IEND", [], into: &out)
        return out
    }

    private static func inside(_ shape: Shape, _ x: Int, _ y: Int) -> Bool {
        let (cx, s) = (Double(x) - 80, Double(size))
        switch shape {
        case .box: return x >= 36 && x < 124 && y >= 44 && y < 128
        case .bottle:
            if y >= 30 && y < 48 { return abs(cx) < 14 }
            return y >= 48 && y < 134 && abs(cx) < 34 - max(0, 58 - Double(y)) * 0.8
        case .jar: return y >= 52 && y < 130 && abs(cx) < 42 || (y >= 40 && y < 52 && abs(cx) < 46)
        case .logo:
            let dy = Double(y) - s / 2
            return cx * cx + dy * dy < 58 * 58
        }
    }

    private static func isLabel(_ shape: Shape, _ x: Int, _ y: Int) -> Bool {
        switch shape {
        case .box: return y >= 70 && y < 98 && x >= 36 && x < 124
        case .bottle, .jar: return y >= 78 && y < 108
        case .logo: return abs(x - 80) < 8 || abs(y - 80) < 8
        }
    }

    private static func rgb(_ h: Double, _ s: Double, _ l: Double) -> [UInt8] {
        let c = (1 - abs(2 * l - 1)) * s, hp = h / 60, x = c * (1 - abs(hp.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) = switch Int(hp) % 6 {
        case 0: (c, x, 0)
        case 1: (x, c, 0)
        case 2: (0, c, x)
        case 3: (0, x, c)
        case 4: (x, 0, c)
        default: (c, 0, x)
        }
        let m = l - c / 2
        return [r, g, b].map { UInt8(max(0, min(255, (($0 + m) * 255).rounded()))) }
    }

    private static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let body = Array(type.utf8) + data
        out += be32(data.count) + body + be32(Int(crc32(body)))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks, at most 65,535 bytes each.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            let last: UInt8 = offset + n == data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + be32(Int(b << 16 | a))
    }

    /// CRC-32 (IEEE), the one the blob store computes for S3 checksums.
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var digests = BodyDigests(sha256: false, checksums: [.crc32])
        bytes.withUnsafeBytes { digests.update($0) }
        let encoded = digests.finish().checksums[.crc32].flatMap { Data(base64Encoded: $0) } ?? Data(count: 4)
        return encoded.reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
