import Foundation
import TradepostCore

/// An order list page is 50 of these: written directly, as `Product` is (members in byte order of
/// their snake_case keys). `APIJSONEncoderTests` holds them equal to Foundation's output.
extension Order: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.string("buyer_business_id", buyerBusinessId, &out)
        o.string("buyer_name", buyerName, &out)
        o.string("cancel_reason", cancelReason, &out)
        o.date("cancelled_at", cancelledAt, &out)
        o.date("confirmed_at", confirmedAt, &out)
        o.string("currency", currency, &out)
        o.string("delivery_address", deliveryAddress, &out)
        o.object("discount", discount, &out)
        o.object("gross", gross, &out)
        o.array("history", history, &out)
        o.string("id", id, &out)
        o.array("lines", lines, &out)
        o.object("net", net, &out)
        o.string("notes", notes, &out)
        o.string("number", number, &out)
        o.object("payment_terms", paymentTerms, &out)
        o.date("placed_at", placedAt, &out)
        o.string("placed_by", placedBy, &out)
        o.bool("prices_include_tax", pricesIncludeTax, &out)
        o.string("promo_code", promoCode, &out)
        o.string("requested_date", requestedDate, &out)
        o.string("seller_business_id", sellerBusinessId, &out)
        o.string("seller_name", sellerName, &out)
        o.string("state", state.rawValue, &out)
        o.object("tax", tax, &out)
        o.array("taxes", taxes, &out)
        o.date("updated_at", updatedAt, &out)
        o.close(&out)
    }
}

extension OrderLine: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.number("backordered", backordered, &out)
        o.object("discount", discount, &out)
        o.object("gross", gross, &out)
        o.number("line_no", lineNo, &out)
        o.string("name", name, &out)
        o.object("net", net, &out)
        o.string("price_list_id", priceListId, &out)
        o.string("price_source", priceSource.rawValue, &out)
        o.string("product_id", productId, &out)
        o.number("quantity", quantity, &out)
        o.number("reserved", reserved, &out)
        o.number("shipped", shipped, &out)
        o.string("sku", sku, &out)
        o.object("tax", tax, &out)
        o.string("tax_rate", taxRate.percent, &out)
        o.number("tier_min_quantity", tierMinQuantity, &out)
        o.object("unit_price", unitPrice, &out)
        o.close(&out)
    }
}

extension TaxSummary: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.object("net", net, &out)
        o.string("rate", rate.percent, &out)
        o.object("tax", tax, &out)
        o.close(&out)
    }
}

extension PaymentTerms: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.number("days", days, &out)
        o.string("kind", kind.rawValue, &out)
        o.close(&out)
    }
}

extension OrderHistoryEntry: DirectJSON {
    func writeJSON(into out: inout [UInt8]) {
        var o = JSONObjectWriter(&out)
        o.string("actor", actor, &out)
        o.string("actor_label", actorLabel, &out)
        o.date("at", at, &out)
        o.string("from", from?.rawValue, &out)
        o.string("note", note, &out)
        o.string("to", to.rawValue, &out)
        o.close(&out)
    }
}
