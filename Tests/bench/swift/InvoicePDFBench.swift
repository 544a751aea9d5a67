import Foundation
import TradepostCore
import TradepostDocuments

/// Issue 21's PDF bar: making a 100-line invoice (Cyrillic names, three tax rates), in process,
/// as the first download does; and, from the same run, the cost of copying the finished bytes (the
/// floor any document maker pays to hand its output over).
enum InvoicePDFBench {
    static func run() {
        func uah(_ minor: Int64) -> Money { Money(minor: minor, currency: "UAH") }
        let rates: [Int64] = [2000, 700, 0]
        let lines = (1...100).map { i -> InvoiceLine in
            let rate = TaxRate(basisPoints: rates[i % 3])
            let a = try! TaxMath.line(unitMinor: 1_000 + Int64(i) * 37, quantity: Int64(i % 7 + 1), rate: rate, pricesIncludeTax: false)
            return InvoiceLine(lineNo: i, orderLineNo: i, sku: "SKU-\(1000 + i)", name: "Парацетамол \(i) мг, таблетки вкриті плівковою оболонкою №\(i % 30 + 10)",
                               quantity: Int64(i % 7 + 1), unitPrice: uah(1_000 + Int64(i) * 37), taxRate: rate, net: uah(a.net), tax: uah(a.tax), gross: uah(a.gross))
        }
        let net = lines.reduce(0) { $0 + $1.net.minor }, tax = lines.reduce(0) { $0 + $1.tax.minor }
        let taxes = TaxMath.byRate(lines.map { (rate: $0.taxRate, amounts: LineAmounts(net: $0.net.minor, tax: $0.tax.minor, gross: $0.gross.minor)) })
            .map { TaxSummary(rate: $0.rate, net: uah($0.net), tax: uah($0.tax)) }
        let invoice = Invoice(
            id: "01J0000000000000000000000", number: "INV-FARM-2026-000100", series: "INV", orderId: "o", orderNumber: "FARM-2026-000042",
            sellerBusinessId: "s", buyerBusinessId: "b", currency: "UAH", pricesIncludeTax: false, net: uah(net), tax: uah(tax), gross: uah(net + tax),
            taxes: taxes, paid: uah(0), overdue: false, issuedAt: Date(), dueDate: "2026-12-31",
            seller: LegalDetails(legalName: "ТОВ «Фарм Опт»", taxId: "12345678", address: "Київ, вул. Хрещатик, 1", bankAccount: "UA213223130000026007233566001",
                                 bankName: "АТ «Приватбанк»"),
            buyer: LegalDetails(legalName: "ФОП Іваненко Ірина", taxId: "3012345678", address: "Львів, пл. Ринок, 5", documentLanguage: "uk"),
            language: "uk", issuedBy: "user:1", lines: lines, payments: nil)
        var size = 0, pages = 0
        _ = InvoicePDF.render(invoice)   // the fonts are parsed once per process: not part of a document's cost
        var makes: [Double] = [], copies: [Double] = []
        for _ in 0..<50 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let pdf = InvoicePDF.render(invoice)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let copy = [UInt8](pdf)
            let t2 = DispatchTime.now().uptimeNanoseconds
            size = copy.count
            pages = String(decoding: copy, as: UTF8.self).components(separatedBy: "/Type /Page ").count - 1
            makes.append(Double(t1 - t0) / 1e6)
            copies.append(Double(t2 - t1) / 1e6)
        }
        makes.sort(); copies.sort()
        let median = makes[makes.count / 2], worst = makes[makes.count * 99 / 100]
        print(String(format: "invoice PDF, 100 lines (%d pages, %d KB): median %.1f ms, p99 %.1f ms to make; copying the finished bytes %.2f ms"
                     + " [bar <= 50 ms: %@]", pages, size / 1024, median, worst, copies[copies.count / 2], worst <= 50 ? "meets" : "MISSES"))
    }
}
