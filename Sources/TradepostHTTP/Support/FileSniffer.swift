import Foundation

/// What a file's first bytes say it is, and an image's size from its header, so a file is never
/// served as something it is not and the page can reserve an image's box before it loads.
enum FileSniffer {
    /// Whether `head` fits the declared type (text types cannot be told by their bytes; they pass
    /// unless they hold NUL bytes).
    static func matches(_ declared: String, _ head: [UInt8]) -> Bool {
        switch declared {
        case "image/jpeg", "image/png", "image/gif", "image/webp": return MediaRoutes.sniff(head) == declared
        case "application/pdf": return head.starts(with: Array("%PDF-".utf8))
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": return head.starts(with: [0x50, 0x4B, 0x03, 0x04])
        case "application/vnd.ms-excel": return head.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
        default: return !head.contains(0)
        }
    }

    /// Width and height from a PNG, GIF, JPEG or WebP header; nil when the head does not say.
    static func imageSize(_ b: [UInt8]) -> (width: Int, height: Int)? {
        func be16(_ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        func le16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func be32(_ i: Int) -> Int { be16(i) << 16 | be16(i + 2) }
        switch MediaRoutes.sniff(b) {
        case "image/png" where b.count >= 24: return (be32(16), be32(20))
        case "image/gif" where b.count >= 10: return (le16(6), le16(8))
        case "image/webp" where b.count >= 30:
            let chunk = String(decoding: b[12..<16], as: UTF8.self)
            if chunk == "VP8X" { return ((Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16) + 1, (Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16) + 1) }
            if chunk == "VP8L" { let v = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24; return ((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1) }
            if chunk == "VP8 " { return (le16(26) & 0x3FFF, le16(28) & 0x3FFF) }
            return nil
        case "image/jpeg":
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                // Start of frame (baseline, progressive, …): height, then width.
                if (0xC0...0xCF).contains(marker), marker != 0xC4, marker != 0xC8, marker != 0xCC { return (be16(i + 7), be16(i + 5)) }
                i += 2 + be16(i + 2)
            }
            return nil
        default: return nil
        }
    }
}
