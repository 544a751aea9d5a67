import Foundation

/// What a price-list column means, read from its header. Headers are matched without case, spaces or
/// punctuation, in English, Ukrainian or Russian, the way distributors' spreadsheets name them.
public enum ImportField: Hashable, Sendable {
    case sku, name, brand, manufacturer, category, description, unit, packSize, minOrderQuantity, orderMultiple
    case currency, price, tiers, stockQuantity, availability, status, priority, taxRate
    case attribute(String)

    /// The header export writes, which import reads back.
    public var header: String {
        switch self {
        case .sku: "sku"
        case .name: "name"
        case .brand: "brand"
        case .manufacturer: "manufacturer"
        case .category: "category"
        case .description: "description"
        case .unit: "unit"
        case .packSize: "pack_size"
        case .minOrderQuantity: "min_order_quantity"
        case .orderMultiple: "order_multiple"
        case .currency: "currency"
        case .price: "price"
        case .tiers: "tiers"
        case .stockQuantity: "stock_quantity"
        case .availability: "availability"
        case .status: "status"
        case .priority: "priority"
        case .taxRate: "tax_rate"
        case .attribute(let name): "attr:\(name)"
        }
    }

    public static let exported: [ImportField] = [
        .sku, .name, .brand, .manufacturer, .category, .unit, .packSize, .minOrderQuantity, .orderMultiple,
        .currency, .price, .tiers, .stockQuantity, .availability, .status, .priority, .taxRate, .description,
    ]

    static let aliases: [String: ImportField] = {
        let table: [(ImportField, [String])] = [
            (.sku, ["sku", "артикул", "код", "code", "article", "кодтовару", "кодтовара"]),
            (.name, ["name", "назва", "найменування", "наименование", "название", "товар", "product", "productname"]),
            (.brand, ["brand", "бренд", "торговамарка", "торговаямарка", "марка", "tm", "тм"]),
            (.manufacturer, ["manufacturer", "виробник", "производитель", "maker"]),
            (.category, ["category", "категорія", "категория", "група", "группа", "розділ", "раздел"]),
            (.description, ["description", "опис", "описание"]),
            (.unit, ["unit", "од", "одвиміру", "одиниця", "ед", "едизм", "единица"]),
            (.packSize, ["packsize", "pack", "упаковка", "вупаковці", "вупаковке", "фасування", "фасовка"]),
            (.minOrderQuantity, ["minorderquantity", "moq", "minorder", "мінзамовлення", "минзаказ"]),
            (.orderMultiple, ["ordermultiple", "multiple", "кратність", "кратность"]),
            (.currency, ["currency", "валюта"]),
            (.price, ["price", "ціна", "цена", "baseprice"]),
            (.tiers, ["tiers", "pricetiers", "оптовіціни", "оптовыецены"]),
            (.stockQuantity, ["stockquantity", "stock", "qty", "quantity", "залишок", "остаток", "кількість", "количество"]),
            (.availability, ["availability", "наявність", "наличие"]),
            (.status, ["status", "статус"]),
            (.priority, ["priority", "пріоритет", "приоритет"]),
            (.taxRate, ["taxrate", "tax", "vat", "пдв", "ндс", "ставкапдв", "ставкандс"]),
        ]
        var map: [String: ImportField] = [:]
        for (field, names) in table { for name in names { map[name] = field } }
        return map
    }()

    /// The field a header names, or nil when Tradepost has no such field (the column is ignored).
    public static func from(header: String) -> ImportField? {
        let trimmed = header.trimmed()
        for prefix in ["attr:", "attribute:", "атрибут:"] where trimmed.lowercased().hasPrefix(prefix) {
            return .attribute(String(trimmed.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
        }
        let key = String(trimmed.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
            .map(Character.init))
        return aliases[key]
    }
}

/// The first line of a price list: which column holds which field.
public struct ImportHeader: Sendable {
    public let fields: [ImportField?]
    /// Headers that name no field; their columns are skipped and the report says so.
    public let ignored: [String]

    /// Throws `.invalid` when there is no SKU column or a field appears twice.
    public init(_ header: [String]) throws {
        var seen: Set<ImportField> = []
        var fields: [ImportField?] = []
        var ignored: [String] = []
        var v = Validator()
        for (i, name) in header.enumerated() {
            let text = i == 0 ? String(name.drop { $0 == "\u{FEFF}" }) : name
            guard let field = ImportField.from(header: text) else {
                if !text.trimmingCharacters(in: .whitespaces).isEmpty { ignored.append(text) }
                fields.append(nil)
                continue
            }
            if !seen.insert(field).inserted { v.fail("header", "the column \"\(text)\" appears twice") }
            fields.append(field)
        }
        if !seen.contains(.sku) {
            v.fail("header", "the first line must name the columns and include a SKU column (sku, артикул or код)")
        }
        try v.check("The price list's header is not usable")
        self.fields = fields
        self.ignored = ignored
    }
}
