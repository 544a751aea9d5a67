import Foundation
import GRDB
import TradepostCore

/// Product ↔ row, and the JSON columns (tiers, attributes).
extension Product {
    public init(row: Row) {
        let currency: String = row["currency"]
        let tiersJSON: String = row["tiers"]
        let attributesJSON: String = row["attributes"]
        let tiers = tiersJSON == "[]" ? [] : (try? Self.decoder.decode([StoredTier].self, from: Data(tiersJSON.utf8))) ?? []
        let attributes = attributesJSON == "{}" ? [:] : (try? Self.decoder.decode([String: AttributeValue].self, from: Data(attributesJSON.utf8))) ?? [:]
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
    struct StoredTier: Codable {
        var q: Int64
        var p: Int64
    }

    static let decoder = JSONDecoder()

    /// Sorted keys: the same attributes always store as the same text.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// What the encoder makes of `[StoredTier]` with sorted keys (`[{"p":…,"q":…}]`), written out:
    /// two integers per tier do not need JSONEncoder's generic machinery (3 % of an import).
    static func tiersJSON(_ tiers: [PriceTier]) -> String {
        "[" + tiers.map { "{\"p\":\($0.price.minor),\"q\":\($0.minQuantity)}" }.joined(separator: ",") + "]"
    }

    func save(_ db: Database, insert: Bool) throws {
        let tiersJSON = Self.tiersJSON(tiers)
        let attributesJSON = attributes.isEmpty ? "{}" : String(decoding: try Self.encoder.encode(attributes), as: UTF8.self)
        let args: StatementArguments = [
            sku, name, brand, manufacturer, categoryId, description, attributesJSON, unit, packSize, minOrderQuantity, orderMultiple,
            price.currency, price.minor, tiersJSON, stockQuantity, availability.rawValue, status.rawValue, rejectionReason, priority,
            DateValues.value(updatedAt), id,
        ]
        if insert {
            try db.cachedStatement(sql: """
                INSERT INTO products (sku, name, brand, manufacturer, category_id, description, attributes, unit, pack_size,
                    min_order_quantity, order_multiple, currency, price_minor, tiers, stock_quantity, availability, status,
                    rejection_reason, priority, updated_at, id, business_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: args + [businessId, DateValues.value(createdAt)])
        } else {
            try db.cachedStatement(sql: """
                UPDATE products SET sku = ?, name = ?, brand = ?, manufacturer = ?, category_id = ?, description = ?, attributes = ?,
                    unit = ?, pack_size = ?, min_order_quantity = ?, order_multiple = ?, currency = ?, price_minor = ?, tiers = ?,
                    stock_quantity = ?, availability = ?, status = ?, rejection_reason = ?, priority = ?, updated_at = ?
                WHERE id = ?
                """).execute(arguments: args)
        }
    }

    static func fetch(_ db: Database, id: String) throws -> Product? {
        try fetchOne(db.cachedStatement(sql: "SELECT * FROM products WHERE id = ?"), arguments: [id])
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

extension PriceChange {
    public init(row: Row) {
        let currency: String = row["currency"]
        self.init(
            id: row["id"], productId: row["product_id"], at: row["at"], actor: row["actor"], actorLabel: row["actor_label"],
            kind: row["kind"], minQuantity: row["min_quantity"],
            oldPrice: (row["old_minor"] as Int64?).map { Money(minor: $0, currency: currency) },
            newPrice: (row["new_minor"] as Int64?).map { Money(minor: $0, currency: currency) })
    }

    /// Records the differences between two price sets (base and tiers) of one product, at the time `new` was updated.
    static func record(_ db: Database, product: String, audit: AuditContext, old: Product?, new: Product) throws {
        let currency = new.price.currency
        func insert(_ kind: String, _ quantity: Int64?, _ from: Int64?, _ to: Int64?) throws {
            try db.cachedStatement(sql: """
                INSERT INTO price_history (product_id, at, actor, actor_label, kind, min_quantity, currency, old_minor, new_minor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [product, DateValues.value(new.updatedAt), audit.actor, audit.actorLabel, kind, quantity, currency, from, to])
        }
        // A currency change re-prices everything: record it as every price going from old to new.
        let sameCurrency = old?.price.currency == new.price.currency
        let oldBase = sameCurrency ? old?.price.minor : nil
        if oldBase != new.price.minor || !sameCurrency { try insert("base", nil, old?.price.minor, new.price.minor) }
        let before = Dictionary(uniqueKeysWithValues: (old?.tiers ?? []).map { ($0.minQuantity, $0.price.minor) })
        let after = Dictionary(uniqueKeysWithValues: new.tiers.map { ($0.minQuantity, $0.price.minor) })
        for quantity in Set(before.keys).union(after.keys).sorted() where before[quantity] != after[quantity] || (!sameCurrency && old != nil) {
            try insert("tier", quantity, before[quantity], after[quantity])
        }
    }
}
