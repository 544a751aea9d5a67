import Foundation
import GRDB
import TradepostCore

/// Product ← row, and the JSON columns (tiers, attributes): shared by the store and the search index.
extension Product {
    public init(row: Row) {
        let currency: String = row["currency"]
        let tiersJSON: String = row["tiers"]
        let attributesJSON: String = row["attributes"]
        let tiers = tiersJSON == "[]" ? [] : Self.fastTiers(tiersJSON)
            ?? (try? Self.decoder.decode([StoredTier].self, from: Data(tiersJSON.utf8))) ?? []
        let attributes = attributesJSON == "{}" ? [:] : Self.fastAttributes(attributesJSON)
            ?? (try? Self.decoder.decode([String: AttributeValue].self, from: Data(attributesJSON.utf8))) ?? [:]
        self.init(
            id: row["id"], businessId: row["business_id"], sku: row["sku"], name: row["name"], brand: row["brand"],
            manufacturer: row["manufacturer"], categoryId: row["category_id"], description: row["description"],
            attributes: attributes, unit: row["unit"], packSize: row["pack_size"], minOrderQuantity: row["min_order_quantity"],
            orderMultiple: row["order_multiple"], price: Money(minor: row["price_minor"], currency: currency),
            tiers: tiers.map { PriceTier(minQuantity: $0.q, price: Money(minor: $0.p, currency: currency)) },
            stockQuantity: row["stock_quantity"], availability: Availability(rawValue: row["availability"]) ?? .outOfStock,
            status: ProductStatus(rawValue: row["status"]) ?? .draft, rejectionReason: row["rejection_reason"],
            priority: row["priority"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    /// Compact tier storage: quantity and minor units; the currency is the product's.
    package struct StoredTier: Codable {
        package init(q: Int64, p: Int64) { (self.q, self.p) = (q, p) }
        package var q: Int64
        package var p: Int64
    }

    package static let decoder = JSONDecoder()

    /// Sorted keys: the same attributes always store as the same text.
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// What the encoder makes of `[StoredTier]` with sorted keys (`[{"p":…,"q":…}]`), written out:
    /// two integers per tier do not need JSONEncoder's generic machinery (3 % of an import).
    package static func tiersJSON(_ tiers: [PriceTier]) -> String {
        "[" + tiers.map { "{\"p\":\($0.price.minor),\"q\":\($0.minQuantity)}" }.joined(separator: ",") + "]"
    }

    /// Products decoded from the statement's own rows. A copied row (what `Row.fetchAll` and
    /// `Row.fetchOne` return) finds a column by lowercasing every column name until one matches —
    /// two dozen columns looked up by name cost more than the rest of decoding (a tenth of a 1M-row
    /// re-import); the statement's rows look names up in a dictionary.
    public static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [Product] {
        try Array(Row.fetchCursor(db, sql: sql, arguments: arguments).map(Product.init(row:)))
    }

    public static func fetchOne(_ statement: Statement, arguments: StatementArguments) throws -> Product? {
        try Row.fetchCursor(statement, arguments: arguments).map(Product.init(row:)).next()
    }
}
