import Foundation
import TradepostCore

/// An invoice as an A4 PDF: both parties' legal details as issued, the lines (names wrapped,
/// pages broken with the table header repeated), tax per rate, totals, the total in words in the
/// buyer's language, and the due date. Same invoice, same bytes.
public enum InvoicePDF {
    /// The fonts, parsed once per process from the embedded DejaVu files.
    static let fonts: (regular: TrueTypeFont, bold: TrueTypeFont) = {
        func load(_ base64: String, _ name: String) -> TrueTypeFont {
            // The embedded files are checked by the build; failing here is a broken build, not bad input.
            try! TrueTypeFont(Array(Data(base64Encoded: base64)!), name: name)
        }
        return (load(EmbeddedFonts.regular, "DejaVuSans"), load(EmbeddedFonts.bold, "DejaVuSans-Bold"))
    }()

    public static func render(_ invoice: Invoice) -> Data {
        Data(TradeDocumentLayout(invoice: invoice, title: DocumentText.of(invoice.language).invoice).render())
    }
}

/// A credit note as an A4 PDF: the invoice's layout, naming the invoice it corrects and why.
public enum CreditNotePDF {
    public static func render(_ note: CreditNote) -> Data {
        let t = DocumentText.of(note.language)
        let asInvoice = Invoice(
            id: note.id, number: note.number, series: "CN", orderId: note.orderId, orderNumber: note.orderNumber, sellerBusinessId: note.sellerBusinessId,
            buyerBusinessId: note.buyerBusinessId, currency: note.currency, pricesIncludeTax: note.pricesIncludeTax, net: note.net, tax: note.tax,
            gross: note.gross, taxes: note.taxes, paid: Money(minor: 0, currency: note.currency), overdue: false, issuedAt: note.issuedAt, dueDate: "",
            seller: note.seller, buyer: note.buyer, language: note.language, issuedBy: note.issuedBy, lines: note.lines, payments: nil)
        var facts = ["\(t.date): \(TradeDocumentLayout.day(note.issuedAt))"]
        if let invoice = note.invoiceNumber { facts.append("\(t.corrects): \(invoice)") }
        facts.append("\(t.order): \(note.orderNumber)")
        return Data(TradeDocumentLayout(invoice: asInvoice, title: t.creditNote, facts: facts, note: "\(t.reason): \(note.reason)").render())
    }
}

/// The layout shared by invoices and credit notes.
struct TradeDocumentLayout {
    let invoice: Invoice
    let title: String
    /// The line under the title: date, due date and order for an invoice.
    let facts: [String]
    /// A line printed above the table (a credit note's reason).
    let note: String?
    let t: DocumentText
    let regular = PDFFont(InvoicePDF.fonts.regular, resourceName: "F1")
    let bold = PDFFont(InvoicePDF.fonts.bold, resourceName: "F2")

    static let margin = 40.0, bottom = 56.0
    /// Table columns: left edge, width, alignment.
    static let columns: [(x: Double, width: Double, align: PDFCanvas.Align)] = [
        (40, 22, .left), (62, 70, .left), (132, 168, .left), (300, 45, .right), (345, 62, .right), (407, 38, .right), (445, 55, .right), (500, 55, .right),
    ]

    init(invoice: Invoice, title: String, facts: [String]? = nil, note: String? = nil) {
        self.invoice = invoice
        self.title = title
        let t = DocumentText.of(invoice.language)
        self.t = t
        self.facts = facts ?? ["\(t.date): \(Self.day(invoice.issuedAt))", "\(t.due): \(invoice.dueDate)", "\(t.order): \(invoice.orderNumber)"]
        self.note = note
    }

    func render() -> [UInt8] {
        var pages: [PDFCanvas] = []
        var page = PDFCanvas()
        var y = PDFWriter.pageHeight - Self.margin - 16
        page.text("\(title) \(t.number) \(invoice.number)", x: Self.margin, y: y, font: bold, size: 16)
        y -= 20
        page.text(facts.joined(separator: "    "), x: Self.margin, y: y, font: regular, size: 9.5)
        y -= 26
        let sellerEnd = party(&page, t.seller, invoice.seller, x: Self.margin, y: y, bank: true)
        let buyerEnd = party(&page, t.buyer, invoice.buyer, x: 310, y: y, bank: false)
        y = min(sellerEnd, buyerEnd) - 14
        if let note {
            for part in wrap(note, width: PDFWriter.pageWidth - 2 * Self.margin, size: 9, maxLines: 5) {
                page.text(part, x: Self.margin, y: y, font: regular, size: 9)
                y -= 12
            }
            y -= 6
        }

        y = header(&page, y)
        for line in invoice.lines ?? [] {
            let name = wrap(line.name, width: Self.columns[2].width - 4, size: 8.5, maxLines: 3)
            let height = 11.0 * Double(name.count) + 3
            if y - height < Self.bottom {
                pages.append(page)
                page = PDFCanvas()
                y = header(&page, PDFWriter.pageHeight - Self.margin)
            }
            let cells = [String(line.lineNo), line.sku, "", t.quantity(line.quantity), t.amount(line.unitPrice), "\(line.taxRate.percent)%",
                         t.amount(line.net), t.amount(line.gross)]
            for (i, cell) in cells.enumerated() where i != 2 {
                let c = Self.columns[i]
                let text = i == 1 ? clip(cell, width: c.width - 4, size: 8.5) : cell
                page.text(text, x: c.align == .left ? c.x + 2 : c.x + c.width - 2, y: y - 9, font: regular, size: 8.5, align: c.align)
            }
            for (k, part) in name.enumerated() {
                page.text(part, x: Self.columns[2].x + 2, y: y - 9 - 11 * Double(k), font: regular, size: 8.5)
            }
            y -= height
            page.line(Self.margin, y, PDFWriter.pageWidth - Self.margin, y, width: 0.3, gray: 0.8)
        }

        // Totals: tax per rate, then net, tax and the total; the total in words under them.
        let needed = 30.0 + 13 * Double(invoice.taxes.count + 3) + 40
        if y - needed < Self.bottom {
            pages.append(page)
            page = PDFCanvas()
            y = PDFWriter.pageHeight - Self.margin
        }
        y -= 16
        let right = PDFWriter.pageWidth - Self.margin, labelX = 445.0 - 4
        for tax in invoice.taxes {
            page.text("\(t.taxAt) \(tax.rate.percent)% \(t.on) \(t.amount(tax.net))", x: labelX, y: y, font: regular, size: 9, align: .right)
            page.text(t.amount(tax.tax), x: right, y: y, font: regular, size: 9, align: .right)
            y -= 13
        }
        page.text(t.totalNet, x: labelX, y: y, font: regular, size: 9, align: .right)
        page.text(t.amount(invoice.net), x: right, y: y, font: regular, size: 9, align: .right)
        y -= 13
        page.text(t.totalTax, x: labelX, y: y, font: regular, size: 9, align: .right)
        page.text(t.amount(invoice.tax), x: right, y: y, font: regular, size: 9, align: .right)
        y -= 15
        page.text("\(t.totalDue), \(invoice.currency)", x: labelX, y: y, font: bold, size: 10.5, align: .right)
        page.text(t.amount(invoice.gross), x: right, y: y, font: bold, size: 10.5, align: .right)
        y -= 24
        page.text("\(t.inWords):", x: Self.margin, y: y, font: bold, size: 9)
        y -= 12
        for part in wrap(AmountInWords.text(invoice.gross, language: invoice.language), width: right - Self.margin, size: 9, maxLines: 4) {
            page.text(part, x: Self.margin, y: y, font: regular, size: 9)
            y -= 12
        }
        if invoice.pricesIncludeTax {
            page.text(t.pricesIncludeTax, x: Self.margin, y: y - 4, font: regular, size: 8)
        }
        pages.append(page)

        let count = pages.count
        for i in pages.indices {
            pages[i].text("\(invoice.number) · \(t.page) \(i + 1) \(t.of) \(count)", x: PDFWriter.pageWidth - Self.margin, y: 28, font: regular, size: 7.5, align: .right)
        }
        return PDFWriter.write(pages: pages.map(\.ops), fonts: [regular, bold],
                               info: [("Title", "\(title) \(invoice.number)"), ("Author", invoice.seller.legalName)], created: invoice.issuedAt)
    }

    /// A party's block; answers the y below it.
    private func party(_ page: inout PDFCanvas, _ label: String, _ d: LegalDetails, x: Double, y: Double, bank: Bool) -> Double {
        var y = y
        page.text(label, x: x, y: y, font: bold, size: 9.5)
        y -= 13
        var rows = wrap(d.legalName, width: 245, size: 9, maxLines: 2)
        if let taxId = d.taxId { rows.append("\(t.taxId): \(taxId)") }
        if let address = d.address { rows += wrap(address.replacingOccurrences(of: "\n", with: ", "), width: 245, size: 9, maxLines: 3) }
        if bank, let account = d.bankAccount { rows.append("\(t.bankAccount): \(account)") }
        if bank, let name = d.bankName { rows += wrap("\(t.bank): \(name)", width: 245, size: 9, maxLines: 2) }
        for row in rows {
            page.text(row, x: x, y: y, font: regular, size: 9)
            y -= 12
        }
        return y
    }

    /// The table's header row at `y`; answers the y below it.
    private func header(_ page: inout PDFCanvas, _ y: Double) -> Double {
        page.fill(x: Self.margin, y: y - 15, width: PDFWriter.pageWidth - 2 * Self.margin, height: 15, gray: 0.92)
        let names = [t.number, t.sku, t.item, t.quantity, t.price, t.tax, t.net, t.total]
        for (i, name) in names.enumerated() {
            let c = Self.columns[i]
            page.text(name, x: c.align == .left ? c.x + 2 : c.x + c.width - 2, y: y - 11, font: bold, size: 8, align: c.align)
        }
        return y - 15
    }

    /// `text` broken into lines of at most `width` points (words longer than a line are cut).
    private func wrap(_ text: String, width: Double, size: Double, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if regular.width(candidate, size: size) <= width { current = candidate; continue }
            if !current.isEmpty { lines.append(current) }
            current = clip(word, width: width, size: size)
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            lines[maxLines - 1] = clip(lines[maxLines - 1] + " …", width: width, size: size)
        }
        return lines.isEmpty ? [""] : lines
    }

    private func clip(_ text: String, width: Double, size: Double) -> String {
        guard regular.width(text, size: size) > width else { return text }
        var out = text
        while !out.isEmpty && regular.width(out + "…", size: size) > width { out.removeLast() }
        return out + "…"
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
