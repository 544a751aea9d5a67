import Foundation
import GRDB
import TradepostCore

extension SQLiteCatalogImportService {
    /// Every product of the business in SKU order, 1,000 per read, in the columns import reads back.
    public func export(
        _ caller: Caller, businessID: String, encoding: CSVReader.Encoding, delimiter: UInt8,
        write: ([UInt8]) async throws -> Void
    ) async throws {
        let tenant = try caller.authorize(.catalogRead)
        let (paths, attributes) = try await mapErrors(stats) {
            try await tenants.read(tenant) { db -> ([String: String], [String]) in
                try CallerFacts.requireCatalogManager(db, caller, business: businessID)
                let tree = try CategoryTree.load(db)
                let paths = Dictionary(uniqueKeysWithValues: tree.all().map { ($0.id, $0.path.joined(separator: " / ")) })
                let names = try String.fetchAll(db, sql: """
                    SELECT DISTINCT j.key FROM products p, json_each(p.attributes) j WHERE p.business_id = ? ORDER BY j.key
                    """, arguments: [businessID])
                return (paths, names)
            }
        }
        var writer = CSVWriter(encoding: encoding, delimiter: delimiter)
        let columns = ImportField.exported + attributes.map { ImportField.attribute($0) }
        writer.record(columns.map(\.header))
        try await write(writer.take())
        var after = ""
        while true {
            let from = after
            let products = try await mapErrors(stats) {
                try await tenants.read(tenant) { db in
                    try Product.fetchAll(db, sql: "SELECT * FROM products WHERE business_id = ? AND sku > ? ORDER BY sku LIMIT 1000",
                                         arguments: [businessID, from])
                }
            }
            guard let last = products.last else { break }
            for p in products { writer.record(columns.map { Self.cell(p, $0, paths) }) }
            try await write(writer.take())
            after = last.sku
        }
    }

    static func cell(_ p: Product, _ field: ImportField, _ paths: [String: String]) -> String {
        switch field {
        case .sku: p.sku
        case .name: p.name
        case .brand: p.brand ?? ""
        case .manufacturer: p.manufacturer ?? ""
        case .category: p.categoryId.flatMap { paths[$0] } ?? ""
        case .description: p.description ?? ""
        case .unit: p.unit
        case .packSize: String(p.packSize)
        case .minOrderQuantity: String(p.minOrderQuantity)
        case .orderMultiple: String(p.orderMultiple)
        case .currency: p.price.currency
        case .price: p.price.decimal
        case .tiers: p.tiers.map { "\($0.minQuantity):\($0.price.decimal)" }.joined(separator: " ")
        case .stockQuantity: String(p.stockQuantity)
        case .availability: p.availability.rawValue
        // Import sets draft, published or archived; the states only moderation gives export as draft.
        case .status: [.published, .archived].contains(p.status) ? p.status.rawValue : "draft"
        case .priority: String(p.priority)
        case .taxRate: p.taxRate.percent
        case .attribute(let name): p.attributes[name]?.display ?? ""
        }
    }
}

/// CSV output: quotes only where needed; UTF-8 starts with a byte-order mark so spreadsheets read it as UTF-8.
struct CSVWriter {
    let encoding: CSVReader.Encoding
    let delimiter: UInt8
    private var bytes: [UInt8] = []

    init(encoding: CSVReader.Encoding, delimiter: UInt8) {
        self.encoding = encoding
        self.delimiter = delimiter
        if encoding == .utf8 { bytes = [0xEF, 0xBB, 0xBF] }
    }

    mutating func record(_ fields: [String]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(delimiter) }
            let special: (UInt8) -> Bool = { [delimiter] b in b == delimiter || b == 0x22 || b == 0x0A || b == 0x0D }
            let needsQuotes = field.utf8.contains(where: special) || field.hasPrefix(" ") || field.hasSuffix(" ")
            if needsQuotes { bytes.append(0x22) }
            append(needsQuotes ? field.replacingOccurrences(of: "\"", with: "\"\"") : field)
            if needsQuotes { bytes.append(0x22) }
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
    }

    mutating func take() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    private mutating func append(_ text: String) {
        switch encoding {
        case .utf8:
            bytes.append(contentsOf: text.utf8)
        case .windows1251:
            for scalar in text.unicodeScalars {
                bytes.append(Windows1251.byte(scalar) ?? UInt8(ascii: "?"))
            }
        }
    }
}
