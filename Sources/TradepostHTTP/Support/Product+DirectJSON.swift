import Foundation
import TradepostCore

extension Product: DirectJSON {
    /// Members in byte order of their snake_case keys, as `JSONCoding.encoder` sorts them.
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.key("attributes", &out)
        Self.write(attributes, into: &out)
        o.string("availability", availability.rawValue, &out)
        o.string("brand", brand, &out)
        o.string("business_id", businessId, &out)
        o.string("category_id", categoryId, &out)
        o.date("created_at", createdAt, &out)
        o.string("description", description, &out)
        o.string("id", id, &out)
        o.string("manufacturer", manufacturer, &out)
        o.number("min_order_quantity", minOrderQuantity, &out)
        o.string("name", name, &out)
        o.number("order_multiple", orderMultiple, &out)
        o.number("pack_size", packSize, &out)
        o.key("price", &out)
        price.writeJSON(into: &out)
        o.number("priority", priority, &out)
        o.string("rejection_reason", rejectionReason, &out)
        o.string("sku", sku, &out)
        o.string("status", status.rawValue, &out)
        o.number("stock_quantity", stockQuantity, &out)
        o.string("tax_rate", taxRate.percent, &out)
        o.key("tiers", &out)
        out.append(UInt8(ascii: "["))
        for (index, tier) in tiers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            var t = JSONObjectWriter(&out)
            t.number("min_quantity", tier.minQuantity, &out)
            t.key("price", &out)
            tier.price.writeJSON(into: &out)
            t.close(&out)
        }
        out.append(UInt8(ascii: "]"))
        o.string("unit", unit, &out)
        o.date("updated_at", updatedAt, &out)
        o.close(&out)
    }

    /// Keys as they are (data, not property names), sorted by their bytes; a number as its
    /// `Decimal` prints, which is how `AttributeValue` encodes it.
    private static func write(_ attributes: [String: AttributeValue], into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        for key in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            o.dataKey(key, &out)
            switch attributes[key]! {
            case .text(let text): JSONValue.writeString(text, into: &out)
            case .number(let text):
                if AttributeValue.isPlainInteger(text.utf8) { out.append(contentsOf: text.utf8) }
                else { out.append(contentsOf: (Decimal(string: text) ?? 0).description.utf8) }
            case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
            }
        }
        o.close(&out)
    }
}

extension Money: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.string("amount", decimal, &out)
        o.string("currency", currency, &out)
        o.close(&out)
    }
}
