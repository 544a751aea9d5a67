import Foundation
import TradepostCore

/// The words printed on trade documents, in English, Ukrainian and Russian, and how amounts are
/// written in each (1,234.56 in English; 1 234,56 in Ukrainian and Russian).
struct DocumentText {
    var invoice: String
    var creditNote: String
    var date: String
    var due: String
    var order: String
    /// "Corrects invoice": on a credit note.
    var corrects: String
    var reason: String
    var seller: String
    var buyer: String
    var taxId: String
    var bankAccount: String
    var bank: String
    var number: String
    var sku: String
    var item: String
    var quantity: String
    var price: String
    var tax: String
    var net: String
    var total: String
    var taxAt: String
    /// Between a rate and the amount it is charged on: "Tax 20% on 10.00".
    var on: String
    var totalNet: String
    var totalTax: String
    var totalDue: String
    var inWords: String
    var pricesIncludeTax: String
    var page: String
    var of: String
    var language: String

    static func of(_ language: String) -> DocumentText {
        switch language {
        case "uk": uk
        case "ru": ru
        default: en
        }
    }

    static let en = DocumentText(
        invoice: "Invoice", creditNote: "Credit note", date: "Date", due: "Due date", order: "Order", corrects: "Corrects invoice", reason: "Reason", seller: "Seller", buyer: "Buyer",
        taxId: "Tax ID", bankAccount: "Account", bank: "Bank", number: "No.", sku: "SKU", item: "Item", quantity: "Qty", price: "Price",
        tax: "Tax", net: "Net", total: "Total", taxAt: "Tax", on: "on", totalNet: "Total net", totalTax: "Total tax", totalDue: "Total",
        inWords: "Amount in words", pricesIncludeTax: "Prices include tax", page: "Page", of: "of", language: "en")

    static let uk = DocumentText(
        invoice: "Рахунок-фактура", creditNote: "Кредит-нота", date: "Дата", due: "Сплатити до", order: "Замовлення", corrects: "Коригує рахунок", reason: "Причина",
        seller: "Постачальник", buyer: "Покупець", taxId: "Податковий номер", bankAccount: "Рахунок", bank: "Банк", number: "№", sku: "Артикул",
        item: "Товар", quantity: "К-сть", price: "Ціна", tax: "ПДВ", net: "Без ПДВ", total: "Разом", taxAt: "ПДВ", on: "з", totalNet: "Разом без ПДВ",
        totalTax: "Сума ПДВ", totalDue: "Всього до сплати", inWords: "Сума прописом", pricesIncludeTax: "Ціни з ПДВ", page: "Сторінка",
        of: "з", language: "uk")

    static let ru = DocumentText(
        invoice: "Счёт-фактура", creditNote: "Кредит-нота", date: "Дата", due: "Оплатить до", order: "Заказ", corrects: "Корректирует счёт", reason: "Причина", seller: "Поставщик",
        buyer: "Покупатель", taxId: "Налоговый номер", bankAccount: "Счёт", bank: "Банк", number: "№", sku: "Артикул", item: "Товар",
        quantity: "Кол-во", price: "Цена", tax: "НДС", net: "Без НДС", total: "Итого", taxAt: "НДС", on: "с", totalNet: "Итого без НДС",
        totalTax: "Сумма НДС", totalDue: "Всего к оплате", inWords: "Сумма прописью", pricesIncludeTax: "Цены с НДС", page: "Страница",
        of: "из", language: "ru")

    /// An amount with grouped thousands, without its currency.
    func amount(_ money: Money) -> String {
        let decimal = money.decimal
        let parts = decimal.split(separator: ".", maxSplits: 1)
        let whole = String(parts[0])
        let group = language == "en" ? "," : "\u{00A0}"
        var grouped = ""
        for (i, ch) in whole.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && ch != "-" { grouped.append(contentsOf: group) }
            grouped.append(ch)
        }
        grouped = String(grouped.reversed())
        guard parts.count > 1 else { return grouped }
        return grouped + (language == "en" ? "." : ",") + parts[1]
    }

    func quantity(_ n: Int64) -> String { amount(Money(minor: n, currency: "JPY")) }
}
