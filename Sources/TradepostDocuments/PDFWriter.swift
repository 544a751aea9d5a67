import Foundation

/// A PDF file from pages of drawing operators and the fonts they use: objects, the cross-reference
/// table and the trailer (PDF 1.7, uncompressed, so the same document gives the same bytes).
struct PDFWriter {
    static let pageWidth = 595.28, pageHeight = 841.89   // A4 in points

    /// One stream object.
    static func stream(_ bytes: [UInt8], extra: String = "") -> [UInt8] {
        Array("<< /Length \(bytes.count)\(extra.isEmpty ? "" : " " + extra) >>\nstream\n".utf8) + bytes + Array("\nendstream".utf8)
    }

    /// `info` is the document information dictionary's entries (Title, Author, …), as text.
    static func write(pages: [[UInt8]], fonts: [PDFFont], info: [(String, String)], created: Date) -> [UInt8] {
        var objects: [[UInt8]] = []   // object n is objects[n - 1]
        var fontRefs: [String] = []
        objects.append([])   // 1: catalog, filled in below
        objects.append([])   // 2: pages
        objects.append([])   // 3: info
        for font in fonts {
            let number = objects.count + 1
            fontRefs.append("/\(font.resourceName) \(number) 0 R")
            objects += font.objects(first: number)
        }
        var kids: [String] = []
        for content in pages {
            let contentNumber = objects.count + 1
            objects.append(stream(content))
            let pageNumber = objects.count + 1
            objects.append(Array(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(pageWidth) \(pageHeight)] "
                                  + "/Resources << /Font << \(fontRefs.joined(separator: " ")) >> >> /Contents \(contentNumber) 0 R >>").utf8))
            kids.append("\(pageNumber) 0 R")
        }
        objects[0] = Array("<< /Type /Catalog /Pages 2 0 R >>".utf8)
        objects[1] = Array("<< /Type /Pages /Kids [\(kids.joined(separator: " "))] /Count \(pages.count) >>".utf8)
        let date = pdfDate(created)
        objects[2] = Array(("<< " + info.map { "/\($0.0) \(textString($0.1))" }.joined(separator: " ")
                            + " /Producer (Tradepost) /CreationDate (\(date)) /ModDate (\(date)) >>").utf8)

        var out = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 3 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }

    /// A text string for the info dictionary: UTF-16BE with its byte-order mark, in hex.
    static func textString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { PDFFont.hex4($0) }.joined() + ">"
    }

    static func pdfDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : String(n) }
        return "D:\(c.year ?? 1970)\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(c.second))Z"
    }
}
