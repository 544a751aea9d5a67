import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Product ↔ row, and the JSON columns (tiers, attributes).
extension Product {
    func save(_ db: Database, insert: Bool) throws {
        let tiersJSON = Self.tiersJSON(tiers)
        let attributesJSON = attributes.isEmpty ? "{}" : String(decoding: try Self.encoder.encode(attributes), as: UTF8.self)
        let args: StatementArguments = [
            sku, name, brand, manufacturer, categoryId, description, attributesJSON, unit, packSize, minOrderQuantity, orderMultiple,
            price.currency, price.minor, tiersJSON, stockQuantity, availability.rawValue, status.rawValue, rejectionReason, priority,
            DateValues.value(updatedAt), taxRate.basisPoints, id,
        ]
        if insert {
            try db.cachedStatement(sql: """
                INSERT INTO products (sku, name, brand, manufacturer, category_id, description, attributes, unit, pack_size,
                    min_order_quantity, order_multiple, currency, price_minor, tiers, stock_quantity, availability, status,
                    rejection_reason, priority, updated_at, tax_rate_bp, id, business_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: args + [businessId, DateValues.value(createdAt)])
        } else {
            try db.cachedStatement(sql: """
                UPDATE products SET sku = ?, name = ?, brand = ?, manufacturer = ?, category_id = ?, description = ?, attributes = ?,
                    unit = ?, pack_size = ?, min_order_quantity = ?, order_multiple = ?, currency = ?, price_minor = ?, tiers = ?,
                    stock_quantity = ?, availability = ?, status = ?, rejection_reason = ?, priority = ?, updated_at = ?, tax_rate_bp = ?
                WHERE id = ?
                """).execute(arguments: args)
        }
    }

    static func fetch(_ db: Database, id: String) throws -> Product? {
        try fetchOne(db, where: "id = ?", arguments: [id])
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
