import Foundation
import TradepostCore

/// Create and update share one body; on update a missing field stays and `null` clears an optional one.
/// Prices are decimal strings ("12.50"); plain JSON numbers are read exactly too.
struct ProductBody: APIRequestBody {
    var input: ProductInput

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sku, name, brand, manufacturer, description, attributes, unit, currency, price, tiers, availability, status, priority
        case taxRate = "tax_rate"
        case categoryId = "category_id"
        case packSize = "pack_size"
        case minOrderQuantity = "min_order_quantity"
        case orderMultiple = "order_multiple"
        case stockQuantity = "stock_quantity"
    }

    struct TierBody: Decodable {
        var minQuantity: Int64
        var price: DecimalText
        enum CodingKeys: String, CodingKey {
            case minQuantity = "min_quantity"
            case price
        }
    }

    /// A string or a number, kept as its exact decimal text.
    struct DecimalText: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                text = s
            } else {
                text = "\(try c.decode(Decimal.self))"
            }
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var input = ProductInput()
        input.sku = try c.decodeIfPresent(String.self, forKey: .sku)
        input.name = try c.decodeIfPresent(String.self, forKey: .name)
        input.brand = try c.decodeNullable(String.self, forKey: .brand)
        input.manufacturer = try c.decodeNullable(String.self, forKey: .manufacturer)
        input.categoryId = try c.decodeNullable(String.self, forKey: .categoryId)
        input.description = try c.decodeNullable(String.self, forKey: .description)
        input.attributes = try c.decodeIfPresent([String: AttributeValue].self, forKey: .attributes)
        input.unit = try c.decodeIfPresent(String.self, forKey: .unit)
        input.packSize = try c.decodeIfPresent(Int64.self, forKey: .packSize)
        input.minOrderQuantity = try c.decodeIfPresent(Int64.self, forKey: .minOrderQuantity)
        input.orderMultiple = try c.decodeIfPresent(Int64.self, forKey: .orderMultiple)
        input.currency = try c.decodeIfPresent(String.self, forKey: .currency)
        input.price = try c.decodeIfPresent(DecimalText.self, forKey: .price)?.text
        input.tiers = try c.decodeIfPresent([TierBody].self, forKey: .tiers)?.map { ProductInput.Tier(minQuantity: $0.minQuantity, price: $0.price.text) }
        input.stockQuantity = try c.decodeIfPresent(Int64.self, forKey: .stockQuantity)
        input.availability = try c.decodeIfPresent(Availability.self, forKey: .availability)
        input.status = try c.decodeIfPresent(ProductStatus.self, forKey: .status)
        input.priority = try c.decodeIfPresent(Int.self, forKey: .priority)
        input.taxRate = try c.decodeIfPresent(DecimalText.self, forKey: .taxRate)?.text
        self.input = input
    }
}
