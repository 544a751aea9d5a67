import Foundation
import Testing
import TradepostCore
@testable import TradepostDocuments

@Suite("Invoice PDFs: a well-formed file, the same bytes for the same invoice, fonts subset with their text recoverable")
struct InvoicePDFTests {
    static func invoice(lines: Int, language: String = "uk") -> Invoice {
        func uah(_ minor: Int64) -> Money { Money(minor: minor, currency: "UAH") }
        let items = (1...lines).map { i in
            InvoiceLine(lineNo: i, orderLineNo: i, sku: "SKU-\(i)", name: "Товар \(i): парацетамол 500 мг, ✓ таблетки", quantity: Int64(i),
                        unitPrice: uah(1_005), taxRate: TaxRate(basisPoints: 2000), net: uah(1_005 * Int64(i)), tax: uah(201 * Int64(i)),
                        gross: uah(1_206 * Int64(i)))
        }
        let net = items.reduce(0) { $0 + $1.net.minor }, tax = items.reduce(0) { $0 + $1.tax.minor }
        return Invoice(id: "01J0000000000000000000000", number: "INV-FARM-2026-000007", series: "INV", orderId: "o", orderNumber: "FARM-2026-000042",
                       sellerBusinessId: "s", buyerBusinessId: "b", currency: "UAH", pricesIncludeTax: false, net: uah(net), tax: uah(tax),
                       gross: uah(net + tax), taxes: [TaxSummary(rate: TaxRate(basisPoints: 2000), net: uah(net), tax: uah(tax))], paid: uah(0),
                       overdue: false, issuedAt: Date(timeIntervalSince1970: 1_796_000_000), dueDate: "2026-12-18",
                       seller: LegalDetails(legalName: "ТОВ «Фарм Опт»", taxId: "12345678", address: "Київ", bankAccount: "UA21322313", bankName: "Банк"),
                       buyer: LegalDetails(legalName: "Аптека №1", documentLanguage: language), language: language, issuedBy: "user:1",
                       lines: items, payments: nil)
    }

    /// Every object the cross-reference table names starts where it says.
    static func checkXref(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-1.7\n") && text.hasSuffix("%%EOF\n"))
        let start = try #require(text.range(of: "startxref\n", options: .backwards))
        let xrefOffset = try #require(Int(text[start.upperBound...].prefix { $0.isNumber }))
        let xref = String(decoding: bytes[xrefOffset...], as: UTF8.self)
        #expect(xref.hasPrefix("xref\n0 "))
        let entries = xref.split(separator: "\n").dropFirst(3).prefix { $0.hasSuffix(" n ") }
        #expect(entries.count > 10)
        for (i, entry) in entries.enumerated() {
            let offset = try #require(Int(entry.prefix(10)))
            #expect(String(decoding: bytes[offset..<offset + 12], as: UTF8.self).hasPrefix("\(i + 1) 0 obj"))
        }
    }

    @Test func aHundredLinesMakeAWellFormedMultiPageFileWithTheSameBytesEachTime() throws {
        let pdf = [UInt8](InvoicePDF.render(Self.invoice(lines: 100)))
        try Self.checkXref(pdf)
        let text = String(decoding: pdf, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page ").count - 1
        #expect(pages >= 3)
        #expect(text.contains("/Count \(pages)") && text.contains("/ToUnicode") && text.contains("/CIDToGIDMap /Identity"))
        #expect(pdf == [UInt8](InvoicePDF.render(Self.invoice(lines: 100))))
        #expect(pdf.count < 400_000)   // two subset fonts, not two whole 700 KB files
    }

    @Test func theToUnicodeMapGivesBackEveryCharacterDrawn() throws {
        let layout = TradeDocumentLayout(invoice: Self.invoice(lines: 2, language: "ru"), title: DocumentText.ru.invoice)
        _ = layout.render()
        let drawn = Set(layout.regular.used.values).union(layout.bold.used.values)
        for ch in "Счёт-фактураТОВ«ФармОпт»Аптека№1Сумма прописью✓01".unicodeScalars {
            #expect(drawn.contains(ch), "\(ch) was not drawn")
        }
        // Nothing fell back to the missing glyph (which would read back as nothing).
        #expect(layout.regular.used[0] == nil && layout.bold.used[0] == nil)
    }

    @Test func theSubsetIsAValidTrueTypeFileWithTheGlyphsItNeeds() throws {
        let font = InvoicePDF.fonts.regular
        let й = font.glyph("й"), a = font.glyph("a")
        #expect(й != 0 && a != 0)
        let subset = FontSubset.make(font, glyphs: [й, a])
        // The whole file sums to 0xB1B0AFBA once head.checkSumAdjustment is set.
        var sum: UInt32 = 0
        for i in stride(from: 0, to: subset.count, by: 4) {
            var word: UInt32 = 0
            for k in 0..<4 { word = word << 8 | UInt32(i + k < subset.count ? subset[i + k] : 0) }
            sum = sum &+ word
        }
        #expect(sum == 0xB1B0_AFBA)
        #expect(subset.count < font.data.count / 4)
        // й is a composite of и and the breve: its parts come along.
        let parts = FontSubset.components(font.outline(Int(й)))
        #expect(!parts.isEmpty)
        let cut = try TrueTypeFont(subset + [], name: "cut", requireCmap: false)
        for g in [й, a] + parts { #expect(!cut.outline(Int(g)).isEmpty) }
        #expect(cut.outline(Int(font.glyph("b"))).isEmpty)
    }
}
