import Foundation

/// The parts of a TrueType font a PDF needs: glyphs by character (cmap formats 4 and 12), advance
/// widths, the metrics of the font descriptor, and the raw tables to cut a subset from.
final class TrueTypeFont: @unchecked Sendable {
    let data: [UInt8]
    let tables: [String: Range<Int>]
    let unitsPerEm: Int
    let numGlyphs: Int
    let ascender: Int
    let descender: Int
    let bbox: (Int, Int, Int, Int)
    let longLoca: Bool
    let postScriptName: String
    private let advances: [UInt16]
    private var glyphOf: [UInt32: UInt16] = [:]

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    /// `requireCmap: false` reads a subset made for a PDF, which maps no characters.
    init(_ bytes: [UInt8], name: String, requireCmap: Bool = true) throws {
        data = bytes
        postScriptName = name
        guard bytes.count > 12 else { throw FormatError(description: "not a TrueType font") }
        var tables: [String: Range<Int>] = [:]
        let count = Int(Self.u16(bytes, 4))
        for i in 0..<count {
            let at = 12 + 16 * i
            let tag = String(decoding: bytes[at..<at + 4], as: UTF8.self)
            let offset = Int(Self.u32(bytes, at + 8)), length = Int(Self.u32(bytes, at + 12))
            guard offset + length <= bytes.count else { throw FormatError(description: "table \(tag) runs past the end") }
            tables[tag] = offset..<offset + length
        }
        for needed in ["head", "hhea", "maxp", "hmtx", "loca", "glyf"] + (requireCmap ? ["cmap"] : []) where tables[needed] == nil {
            throw FormatError(description: "no \(needed) table")
        }
        self.tables = tables
        let head = tables["head"]!.lowerBound, hhea = tables["hhea"]!.lowerBound
        unitsPerEm = Int(Self.u16(bytes, head + 18))
        bbox = (Int(Self.i16(bytes, head + 36)), Int(Self.i16(bytes, head + 38)), Int(Self.i16(bytes, head + 40)), Int(Self.i16(bytes, head + 42)))
        longLoca = Self.i16(bytes, head + 50) == 1
        ascender = Int(Self.i16(bytes, hhea + 4))
        descender = Int(Self.i16(bytes, hhea + 6))
        numGlyphs = Int(Self.u16(bytes, tables["maxp"]!.lowerBound + 4))
        let metrics = Int(Self.u16(bytes, hhea + 34))
        let hmtx = tables["hmtx"]!.lowerBound
        var advances = [UInt16](repeating: 0, count: numGlyphs)
        for g in 0..<numGlyphs { advances[g] = Self.u16(bytes, hmtx + 4 * min(g, metrics - 1)) }
        self.advances = advances
        if requireCmap { try readCmap() }
    }

    /// The glyph drawn for a character (0, the missing glyph, when the font has none).
    func glyph(_ scalar: Unicode.Scalar) -> UInt16 { glyphOf[scalar.value] ?? 0 }

    /// Advance width in font units.
    func advance(_ glyph: UInt16) -> Int { Int(advances[Int(glyph)]) }

    /// Width of `text` at `size` points.
    func width(_ text: String, size: Double) -> Double {
        var units = 0
        for scalar in text.unicodeScalars { units += advance(glyph(scalar)) }
        return Double(units) * size / Double(unitsPerEm)
    }

    /// A glyph's outline bytes.
    func outline(_ glyph: Int) -> ArraySlice<UInt8> {
        let loca = tables["loca"]!.lowerBound, glyf = tables["glyf"]!.lowerBound
        let start = longLoca ? Int(Self.u32(data, loca + 4 * glyph)) : 2 * Int(Self.u16(data, loca + 2 * glyph))
        let end = longLoca ? Int(Self.u32(data, loca + 4 * glyph + 4)) : 2 * Int(Self.u16(data, loca + 2 * glyph + 2))
        return data[(glyf + start)..<(glyf + max(start, end))]
    }

    private func readCmap() throws {
        let cmap = tables["cmap"]!.lowerBound
        let count = Int(Self.u16(data, cmap + 2))
        var best: (format: UInt16, offset: Int)?
        for i in 0..<count {
            let at = cmap + 4 + 8 * i
            let platform = Self.u16(data, at), encoding = Self.u16(data, at + 2)
            let offset = cmap + Int(Self.u32(data, at + 4))
            let format = Self.u16(data, offset)
            guard platform == 3 || platform == 0 else { continue }
            if format == 12 && (platform == 0 || encoding == 10) { best = (12, offset) }
            else if format == 4 && best?.format != 12 && (platform == 0 || encoding == 1) { best = (4, offset) }
        }
        guard let best else { throw FormatError(description: "no Unicode cmap") }
        if best.format == 12 {
            let groups = Int(Self.u32(data, best.offset + 12))
            for g in 0..<groups {
                let at = best.offset + 16 + 12 * g
                let start = Self.u32(data, at), end = Self.u32(data, at + 4), first = Self.u32(data, at + 8)
                for c in start...end { glyphOf[c] = UInt16(truncatingIfNeeded: first + (c - start)) }
            }
        } else {
            let segments = Int(Self.u16(data, best.offset + 6)) / 2
            let ends = best.offset + 14, starts = ends + 2 * segments + 2
            let deltas = starts + 2 * segments, ranges = deltas + 2 * segments
            for s in 0..<segments {
                let end = Self.u16(data, ends + 2 * s), start = Self.u16(data, starts + 2 * s)
                let delta = Self.u16(data, deltas + 2 * s), rangeOffset = Int(Self.u16(data, ranges + 2 * s))
                guard start != 0xFFFF, start <= end else { continue }
                for c in start...end {
                    var g: UInt16
                    if rangeOffset == 0 { g = c &+ delta } else {
                        let at = ranges + 2 * s + rangeOffset + 2 * Int(c - start)
                        g = Self.u16(data, at)
                        if g != 0 { g = g &+ delta }
                    }
                    if g != 0 { glyphOf[UInt32(c)] = g }
                }
            }
        }
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
    static func i16(_ b: [UInt8], _ at: Int) -> Int16 { Int16(bitPattern: u16(b, at)) }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
