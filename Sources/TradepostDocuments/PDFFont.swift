import Foundation

/// A TrueType font as one document uses it: text is written as glyph ids (Identity-H), and the
/// glyphs used are remembered so the font is embedded as a subset with a ToUnicode map — which is
/// what lets a PDF reader give the text back, Cyrillic included.
final class PDFFont {
    let font: TrueTypeFont
    let resourceName: String
    private(set) var used: [UInt16: Unicode.Scalar] = [:]

    init(_ font: TrueTypeFont, resourceName: String) {
        self.font = font
        self.resourceName = resourceName
    }

    /// `text` as a PDF hex string of glyph ids.
    func encode(_ text: String) -> String {
        var out = "<"
        out.reserveCapacity(text.unicodeScalars.count * 4 + 2)
        for scalar in text.unicodeScalars {
            let g = font.glyph(scalar)
            if used[g] == nil { used[g] = scalar }
            out += Self.hex4(g)
        }
        return out + ">"
    }

    func width(_ text: String, size: Double) -> Double { font.width(text, size: size) }

    /// The objects of this font, numbered from `first`: Type0 font, CIDFont, descriptor, font file, ToUnicode.
    func objects(first: Int) -> [[UInt8]] {
        let glyphs = used.keys.sorted()
        let subset = FontSubset.make(font, glyphs: Set(glyphs))
        // A subset's name starts with six capitals of its own; derived from the glyphs, so the same text gives the same bytes.
        var hash: UInt32 = 2_166_136_261
        for g in glyphs { hash = (hash ^ UInt32(g)) &* 16_777_619 }
        let tag = String((0..<6).map { Character(Unicode.Scalar(UInt8(65 + (hash >> (UInt32($0) * 5)) % 26))) })
        let name = "\(tag)+\(font.postScriptName)"
        let scale = 1000.0 / Double(font.unitsPerEm)
        func s(_ v: Int) -> Int { Int((Double(v) * scale).rounded()) }
        let widths = glyphs.map { "\($0) [\(s(font.advance($0)))]" }.joined(separator: " ")
        let (x0, y0, x1, y1) = font.bbox

        var cmap = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        let mapped = glyphs.filter { $0 != 0 }
        for start in stride(from: 0, to: mapped.count, by: 100) {
            let chunk = mapped[start..<min(start + 100, mapped.count)]
            cmap += "\(chunk.count) beginbfchar\n"
            for g in chunk { cmap += "\(Self.hex4(g)) \(Self.utf16Hex(used[g]!))\n" }
            cmap += "endbfchar\n"
        }
        cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"

        return [
            Array("<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H /DescendantFonts [\(first + 1) 0 R] /ToUnicode \(first + 4) 0 R >>".utf8),
            Array(("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                   + "/FontDescriptor \(first + 2) 0 R /CIDToGIDMap /Identity /DW \(s(font.advance(0))) /W [\(widths)] >>").utf8),
            Array(("<< /Type /FontDescriptor /FontName /\(name) /Flags 32 /FontBBox [\(s(x0)) \(s(y0)) \(s(x1)) \(s(y1))] /ItalicAngle 0 "
                   + "/Ascent \(s(font.ascender)) /Descent \(s(font.descender)) /CapHeight \(s(font.ascender)) /StemV 80 /FontFile2 \(first + 3) 0 R >>").utf8),
            PDFWriter.stream(subset, extra: "/Length1 \(subset.count)"),
            PDFWriter.stream(Array(cmap.utf8)),
        ]
    }

    private static let digits = Array("0123456789ABCDEF")

    static func hex4(_ v: UInt16) -> String {
        String([digits[Int(v >> 12)], digits[Int(v >> 8 & 0xF)], digits[Int(v >> 4 & 0xF)], digits[Int(v & 0xF)]])
    }

    static func utf16Hex(_ scalar: Unicode.Scalar) -> String {
        "<" + String(scalar).utf16.map { hex4($0) }.joined() + ">"
    }
}
