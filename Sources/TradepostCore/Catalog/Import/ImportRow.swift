import Foundation

/// One price-list line read into product fields. A column that is present sets its field; an empty cell
/// clears an optional field (brand, description…) and leaves a required one (name, price…) as it is, so a
/// file exported from Tradepost imports back to the same catalog.
public struct ImportRow: Sendable {
    public var input = ProductInput()
    /// The category as a path of names ("Medicines / Analgesics"); `.some(nil)` clears it.
    public var categoryPath: [String]??
    public var issues: [AppError.FieldError] = []

    public init(_ record: [String], header: ImportHeader) {
        var attributes: [String: AttributeValue] = [:]
        for (i, field) in header.fields.enumerated() {
            guard let field else { continue }
            let cell = i < record.count ? record[i].trimmed() : ""
            let value: String? = cell.isEmpty ? nil : cell
            switch field {
            case .sku: input.sku = value
            case .name: input.name = value
            case .brand: input.brand = .some(value)
            case .manufacturer: input.manufacturer = .some(value)
            case .description: input.description = .some(value)
            case .category:
                categoryPath = .some(value.map { $0.split(whereSeparator: { "/>\\|".contains($0) })
                    .map { String($0).trimmed() }.filter { !$0.isEmpty } })
            case .unit: input.unit = value
            case .packSize: input.packSize = integer(value, "pack_size")
            case .minOrderQuantity: input.minOrderQuantity = integer(value, "min_order_quantity")
            case .orderMultiple: input.orderMultiple = integer(value, "order_multiple")
            case .currency: input.currency = value
            case .price: input.price = value
            case .tiers: input.tiers = value.map { tiers($0) } ?? []
            case .stockQuantity: input.stockQuantity = integer(value, "stock_quantity")
            case .availability:
                if let value {
                    input.availability = Availability(rawValue: value.lowercased().replacingOccurrences(of: " ", with: "_"))
                    if input.availability == nil { issues.append(.init("availability", "must be in_stock, out_of_stock or on_request")) }
                }
            case .status:
                if let value {
                    input.status = ProductStatus(rawValue: value.lowercased())
                    if input.status == nil { issues.append(.init("status", "must be draft, published or archived")) }
                }
            case .priority: input.priority = integer(value, "priority").map { Int(clamping: $0) }
            case .taxRate: input.taxRate = value?.replacingOccurrences(of: "%", with: "").trimmingCharacters(in: .whitespaces)
            case .attribute(let name):
                if let value { attributes[name] = AttributeValue(text: value) }
            }
        }
        if header.fields.contains(where: { if case .attribute = $0 { true } else { false } }) { input.attributes = attributes }
    }

    /// A whole number as spreadsheets write it: "1 000", "12", "12,0" or "12.00".
    private mutating func integer(_ text: String?, _ field: String) -> Int64? {
        guard var text else { return nil }
        text.removeAll { $0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}" }
        if let separator = text.firstIndex(where: { $0 == "." || $0 == "," }),
           text[text.index(after: separator)...].allSatisfy({ $0 == "0" }) {
            text = String(text[..<separator])
        }
        guard let number = Int64(text) else {
            issues.append(.init(field, "must be a whole number"))
            return nil
        }
        return number
    }

    /// Quantity tiers as "10:11.90 50:10.50" (also "10=11,90" and "|" or newlines between tiers).
    private mutating func tiers(_ text: String) -> [ProductInput.Tier] {
        var out: [ProductInput.Tier] = []
        for part in text.split(whereSeparator: { $0 == " " || $0 == "|" || $0 == "\n" }) {
            let pieces = part.split(maxSplits: 1, whereSeparator: { $0 == ":" || $0 == "=" })
            guard pieces.count == 2, let quantity = Int64(pieces[0]) else {
                issues.append(.init("tiers", "are written as quantity:price pairs, like \"10:11.90 50:10.50\""))
                return []
            }
            out.append(.init(minQuantity: quantity, price: String(pieces[1])))
        }
        return out
    }
}

extension AttributeValue {
    /// A cell's attribute: numbers stay numbers, "yes/no/true/false" become flags, the rest is text.
    init(text: String) {
        switch text.lowercased() {
        case "true", "yes", "так", "да": self = .bool(true)
        case "false", "no", "ні", "нет": self = .bool(false)
        default:
            if text.count <= 30, Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) != nil,
               text.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" }), text.contains(where: { ("0"..."9").contains($0) }) {
                self = .number(text)
            } else {
                self = .text(text)
            }
        }
    }
}
