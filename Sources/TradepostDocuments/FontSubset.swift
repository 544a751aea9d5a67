import Foundation

/// A TrueType font cut down to the glyphs one document uses. Glyph ids stay as they are (the PDF
/// maps character codes to them one to one); unused outlines are emptied and the glyph count
/// ends at the highest id used, so a page of Cyrillic and Latin text embeds tens of kilobytes,
/// not the whole 750 KB font.
enum FontSubset {
    static func make(_ font: TrueTypeFont, glyphs used: Set<UInt16>) -> [UInt8] {
        var keep = used.union([0])
        // Composite glyphs (accented letters, й, ї) draw other glyphs: keep those too.
        var queue = Array(keep)
        while let g = queue.popLast() {
            for part in components(font.outline(Int(g))) where keep.insert(part).inserted { queue.append(part) }
        }
        let count = Int(keep.max()!) + 1

        var glyf: [UInt8] = [], loca: [UInt8] = []
        for g in 0..<count {
            append32(&loca, UInt32(glyf.count))
            if keep.contains(UInt16(g)) {
                glyf += font.outline(g)
                while glyf.count % 4 != 0 { glyf.append(0) }
            }
        }
        append32(&loca, UInt32(glyf.count))

        let hhea = font.tables["hhea"]!
        let fullMetrics = Int(TrueTypeFont.u16(font.data, hhea.lowerBound + 34))
        let metrics = min(fullMetrics, count)
        var hmtx: [UInt8] = []
        let source = font.tables["hmtx"]!.lowerBound
        for g in 0..<metrics { hmtx += font.data[(source + 4 * g)..<(source + 4 * g + 4)] }
        // Glyphs past the last full metric keep only their left side bearing (none in DejaVu).
        for g in metrics..<count {
            let at = source + 4 * fullMetrics + 2 * (g - fullMetrics)
            hmtx += font.data[at..<at + 2]
        }

        var head = Array(font.data[font.tables["head"]!])
        head.replaceSubrange(8..<12, with: [0, 0, 0, 0])
        head.replaceSubrange(50..<52, with: [0, 1])
        var hheaBytes = Array(font.data[hhea])
        hheaBytes.replaceSubrange(34..<36, with: [UInt8(metrics >> 8), UInt8(metrics & 0xFF)])
        var maxp = Array(font.data[font.tables["maxp"]!])
        maxp.replaceSubrange(4..<6, with: [UInt8(count >> 8), UInt8(count & 0xFF)])

        var tables: [(String, [UInt8])] = [("glyf", glyf), ("head", head), ("hhea", hheaBytes), ("hmtx", hmtx), ("loca", loca), ("maxp", maxp)]
        for tag in ["cvt ", "fpgm", "prep"] { if let range = font.tables[tag] { tables.append((tag, Array(font.data[range]))) } }
        tables.sort { $0.0 < $1.0 }
        var font = assemble(tables)
        // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
        let adjustment = 0xB1B0_AFBA &- checksum(font[...])
        let headAt = headOffset(font)
        font.replaceSubrange((headAt + 8)..<(headAt + 12), with: bytes32(adjustment))
        return font
    }

    /// The glyph ids a composite glyph is built from (none for a simple one).
    static func components(_ outline: ArraySlice<UInt8>) -> [UInt16] {
        let b = Array(outline)
        guard b.count >= 10, TrueTypeFont.i16(b, 0) < 0 else { return [] }
        var parts: [UInt16] = [], at = 10
        while at + 4 <= b.count {
            let flags = TrueTypeFont.u16(b, at)
            parts.append(TrueTypeFont.u16(b, at + 2))
            at += 4 + (flags & 0x0001 != 0 ? 4 : 2)
            if flags & 0x0008 != 0 { at += 2 } else if flags & 0x0040 != 0 { at += 4 } else if flags & 0x0080 != 0 { at += 8 }
            guard flags & 0x0020 != 0 else { break }
        }
        return parts
    }

    private static func assemble(_ tables: [(String, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        let n = tables.count
        var power = 1, log = 0
        while power * 2 <= n { power *= 2; log += 1 }
        out += bytes32(0x0001_0000)
        out += bytes16(n) + bytes16(power * 16) + bytes16(log) + bytes16(n * 16 - power * 16)
        var offset = 12 + 16 * n
        var body: [UInt8] = []
        for (tag, data) in tables {
            out += Array(tag.utf8)
            var padded = data
            while padded.count % 4 != 0 { padded.append(0) }
            out += bytes32(checksum(padded[...])) + bytes32(UInt32(offset)) + bytes32(UInt32(data.count))
            body += padded
            offset += padded.count
        }
        return out + body
    }

    private static func headOffset(_ font: [UInt8]) -> Int {
        let n = Int(TrueTypeFont.u16(font, 4))
        for i in 0..<n where font[(12 + 16 * i)..<(16 + 16 * i)].elementsEqual("head".utf8) {
            return Int(TrueTypeFont.u32(font, 12 + 16 * i + 8))
        }
        return 0
    }

    private static func checksum(_ data: ArraySlice<UInt8>) -> UInt32 {
        var sum: UInt32 = 0, i = data.startIndex
        while i < data.endIndex {
            var word: UInt32 = 0
            for k in 0..<4 { word = word << 8 | UInt32(i + k < data.endIndex ? data[i + k] : 0) }
            sum = sum &+ word
            i += 4
        }
        return sum
    }

    private static func append32(_ out: inout [UInt8], _ v: UInt32) { out += bytes32(v) }
    private static func bytes32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    private static func bytes16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
