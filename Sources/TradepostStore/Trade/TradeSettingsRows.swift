import Foundation
import GRDB
import TradepostCore

/// A seller's trade settings: stored once set, derived from the business until then.
enum TradeSettingsRows {
    static func read(_ db: Database, business: String) throws -> TradeSettings {
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM trade_settings WHERE business_id = ?"), arguments: [business]) {
            let kind = PaymentTerms.Kind(rawValue: row["payment_kind"]) ?? .prepaid
            return TradeSettings(orderPrefix: row["order_prefix"], pricesIncludeTax: row["prices_include_tax"], allowBackorders: row["allow_backorders"],
                                 defaultPaymentTerms: PaymentTerms(kind: kind, days: row["payment_days"]))
        }
        let name = try String.fetchOne(db.cachedStatement(sql: "SELECT name FROM businesses WHERE id = ?"), arguments: [business]) ?? ""
        return TradeSettings(orderPrefix: OrderNumber.prefix(fromName: name), pricesIncludeTax: false, allowBackorders: false,
                             defaultPaymentTerms: .prepaid)
    }

    static func write(_ db: Database, business: String, _ s: TradeSettings, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO trade_settings (business_id, order_prefix, prices_include_tax, allow_backorders, payment_kind, payment_days, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (business_id) DO UPDATE SET order_prefix = excluded.order_prefix, prices_include_tax = excluded.prices_include_tax,
                allow_backorders = excluded.allow_backorders, payment_kind = excluded.payment_kind, payment_days = excluded.payment_days,
                updated_at = excluded.updated_at
            """).execute(arguments: [business, s.orderPrefix, s.pricesIncludeTax, s.allowBackorders, s.defaultPaymentTerms.kind.rawValue,
                             s.defaultPaymentTerms.days, now])
    }

    /// The next number of a gapless series (`scope`, `year`), taken in the caller's transaction: a
    /// rollback gives it back, so numbers are consecutive with no holes.
    static func nextNumber(_ db: Database, scope: String, year: Int) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO number_sequences (scope, year, last) VALUES (?, ?, 1)
            ON CONFLICT (scope, year) DO UPDATE SET last = last + 1
            RETURNING last
            """), arguments: [scope, year])!
    }
}
