import TradepostCore

extension Components {
    static let quantity = Schema.integer(minimum: 0, maximum: 1_000_000_000_000)

    static let trade: [(String, JSONValue)] = [
        ("Warehouse", Schema.object([
            ("id", Schema.id), ("business_id", Schema.id), ("name", Schema.string()), ("address", Schema.nullable(Schema.string())),
            ("priority", Schema.integer("Higher is reserved from first")), ("active", Schema.boolean()),
            ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
        ], required: ["id", "business_id", "name", "priority", "active", "created_at", "updated_at"], closed: false)),
        ("WarehouseList", Schema.list(of: "Warehouse")),
        ("NewWarehouse", Schema.object(warehouseFields, required: ["name"])),
        ("WarehouseUpdate", Schema.object(warehouseFields, description: "A missing field stays as it is; address null clears it")),
        ("StockLevel", Schema.object([
            ("product_id", Schema.id), ("sku", Schema.string()), ("product_name", Schema.string()),
            ("warehouse_id", Schema.id), ("warehouse_name", Schema.string()),
            ("on_hand", Schema.integer()), ("reserved", Schema.integer("Promised to orders")),
            ("available", Schema.integer("on_hand − reserved")), ("incoming", Schema.integer("Expected, not yet received")),
            ("low_threshold", Schema.nullable(Schema.integer())), ("low", Schema.boolean("available is below low_threshold")),
        ], required: ["product_id", "sku", "product_name", "warehouse_id", "warehouse_name", "on_hand", "reserved", "available", "incoming",
                      "low_threshold", "low"], closed: false)),
        ("StockLevelList", Schema.list(of: "StockLevel")),
        ("StockThreshold", Schema.object([("low_threshold", Schema.nullable(quantity))], required: ["low_threshold"],
                                         description: "null clears the threshold")),
        ("StockMove", Schema.object([
            ("id", Schema.integer()), ("at", Schema.dateTime), ("product_id", Schema.id), ("sku", Schema.string()), ("warehouse_id", Schema.id),
            ("kind", Schema.enumeration(StockMoveKind.self)),
            ("on_hand_delta", Schema.integer()), ("reserved_delta", Schema.integer()), ("incoming_delta", Schema.integer()),
            ("reason", Schema.nullable(Schema.string())), ("actor", Schema.string()), ("actor_label", Schema.nullable(Schema.string())),
            ("document_type", Schema.nullable(Schema.string("What caused it: order, shipment, return, transfer, stock_count, product, migration"))),
            ("document_id", Schema.nullable(Schema.string())),
        ], required: ["id", "at", "product_id", "sku", "warehouse_id", "kind", "on_hand_delta", "reserved_delta", "incoming_delta", "actor"],
           closed: false)),
        ("StockMoveList", Schema.list(of: "StockMove")),
        ("StockCountReport", Schema.object([
            ("encoding", Schema.enumeration(CSVReader.Encoding.self)), ("delimiter", Schema.string()),
            ("rows", Schema.integer()), ("changed", Schema.integer("Levels the count changes")), ("unchanged", Schema.integer()),
            ("failed", Schema.integer("Rows with an error: when any, nothing is written")),
            ("issues", Schema.array(Schema.ref("ImportIssue"))), ("ignored_columns", Schema.array(Schema.string())),
            ("applied", Schema.boolean()), ("count_id", Schema.nullable(Schema.string("The document the adjustments name"))),
        ], required: ["encoding", "delimiter", "rows", "changed", "unchanged", "failed", "issues", "ignored_columns", "applied"], closed: false)),
        ("NewStockMovement", Schema.object([
            ("kind", Schema.enumeration(StockMovementInput.Kind.self)),
            ("product_id", Schema.id), ("warehouse_id", Schema.id),
            ("to_warehouse_id", Schema.id),
            ("quantity", Schema.integer("Units moved (at least 1); for an adjustment a signed change", minimum: -1_000_000_000_000,
                                        maximum: 1_000_000_000_000)),
            ("counted", quantity),
            ("reason", Schema.text(maxLength: 500)),
        ], required: ["kind", "product_id", "warehouse_id"],
           description: "A transfer needs to_warehouse_id; an adjustment needs either quantity or counted (what a count found) and a reason; "
               + "a write-off needs a reason; every other kind needs quantity")),
    ]

    static let paymentTerms = Schema.object([
        ("kind", Schema.enumeration(PaymentTerms.Kind.self)), ("days", Schema.integer("Days after the invoice, for net terms", minimum: 1, maximum: 365)),
    ], required: ["kind"], description: "prepaid, or net with days")
    static let taxRate = Schema.string("A percent, e.g. \"20\" or \"7.5\"")

    static let ordering: [(String, JSONValue)] = [
        ("MyBusiness", Schema.object([("business", Schema.ref("Business")), ("role", Schema.enumeration(BusinessRole.self))],
                                     required: ["business", "role"], closed: false)),
        ("MyBusinessList", Schema.list(of: "MyBusiness")),
        ("CartLine", Schema.object([
            ("product_id", Schema.id), ("sku", Schema.string()), ("name", Schema.string()), ("quantity", Schema.integer()),
            ("unit_price", Schema.nullable(money)), ("total", Schema.nullable(money)),
            ("price_source", Schema.nullable(Schema.enumeration(PriceSource.self, "Which rule gave the price"))),
            ("price_list_id", Schema.nullable(Schema.id)), ("tier_min_quantity", Schema.nullable(Schema.integer())),
            ("available", Schema.integer("What the seller has available now")),
            ("problem", Schema.nullable(Schema.string("Why the line cannot be ordered as it is (minimum order, multiple, no longer sold)"))),
        ], required: ["product_id", "sku", "name", "quantity", "available"], closed: false)),
        ("Cart", Schema.object([
            ("buyer_business_id", Schema.id), ("seller_business_id", Schema.id), ("seller_name", Schema.string()),
            ("lines", Schema.array(Schema.ref("CartLine"))), ("total", Schema.nullable(money)),
        ], required: ["buyer_business_id", "seller_business_id", "seller_name", "lines"], closed: false)),
        ("CartList", Schema.list(of: "Cart")),
        ("CartQuantity", Schema.object([("quantity", Components.quantity)], required: ["quantity"], description: "0 removes the line")),
        ("QuickOrder", Schema.object([("text", Schema.text("One line per product: SKU and quantity, e.g. \"PAR-500 20\"", maxLength: 1_000_000))],
                                     required: ["text"])),
        ("QuickOrderResult", Schema.object([
            ("added", Schema.integer()),
            ("issues", Schema.array(Schema.object([("line", Schema.integer()), ("text", Schema.string()), ("message", Schema.string())],
                                                  required: ["line", "text", "message"], closed: false))),
            ("carts", Schema.array(Schema.ref("Cart"))),
        ], required: ["added", "issues", "carts"], closed: false)),
        ("NewOrder", Schema.object([
            ("buyer_business_id", Schema.id), ("seller_business_id", Schema.id),
            ("lines", Schema.array(Schema.object([("product_id", Schema.id), ("sku", Schema.string()),
                                                  ("quantity", Schema.integer(minimum: 1, maximum: 1_000_000_000_000))],
                                                 required: ["quantity"], exactlyOne: ["product_id", "sku"]),
                                   "Without lines, my cart with the seller", minItems: 1, maxItems: 1000)),
            ("notes", Schema.text(maxLength: 2000)), ("delivery_address", Schema.text(maxLength: 500)),
            ("requested_date", Schema.string(format: "date")), ("payment_terms", paymentTerms),
            ("expected_total", Schema.ref("Money")), ("promo_code", Schema.string("A promo code of the seller")),
        ], required: ["buyer_business_id", "seller_business_id"],
           description: "expected_total is the cart total the buyer saw (the sum of price × quantity): when prices changed since, 409 price_changed")),
        ("OrderLine", Schema.object([
            ("line_no", Schema.integer()), ("product_id", Schema.id), ("sku", Schema.string()), ("name", Schema.string()),
            ("quantity", Schema.integer()), ("unit_price", money), ("price_source", Schema.enumeration(PriceSource.self)),
            ("price_list_id", Schema.nullable(Schema.id)), ("tier_min_quantity", Schema.nullable(Schema.integer())), ("tax_rate", taxRate),
            ("net", money), ("tax", money), ("gross", money),
            ("reserved", Schema.integer()), ("backordered", Schema.integer()), ("shipped", Schema.integer()),
            ("discount", Schema.nullable(money)),
        ], required: ["line_no", "product_id", "sku", "name", "quantity", "unit_price", "price_source", "tax_rate", "net", "tax", "gross",
                      "reserved", "backordered", "shipped"], closed: false)),
        ("Order", Schema.object([
            ("id", Schema.id), ("number", Schema.string("e.g. ACME-2026-000123")), ("seller_business_id", Schema.id), ("seller_name", Schema.string()),
            ("buyer_business_id", Schema.id), ("buyer_name", Schema.string()), ("state", Schema.enumeration(OrderState.self)),
            ("currency", Schema.string()), ("prices_include_tax", Schema.boolean()), ("net", money), ("tax", money), ("gross", money),
            ("taxes", Schema.array(Schema.object([("rate", taxRate), ("net", money), ("tax", money)], required: ["rate", "net", "tax"], closed: false),
                                   "Net and tax per rate")),
            ("notes", Schema.nullable(Schema.string())), ("delivery_address", Schema.nullable(Schema.string())),
            ("requested_date", Schema.nullable(Schema.string(format: "date"))), ("payment_terms", paymentTerms),
            ("placed_by", Schema.string()), ("placed_at", Schema.dateTime), ("confirmed_at", Schema.nullable(Schema.dateTime)),
            ("cancelled_at", Schema.nullable(Schema.dateTime)), ("cancel_reason", Schema.nullable(Schema.string())), ("updated_at", Schema.dateTime),
            ("lines", Schema.array(Schema.ref("OrderLine"), "Present when one order is read")),
            ("promo_code", Schema.nullable(Schema.string())), ("discount", Schema.nullable(money)),
            ("history", Schema.array(Schema.object([
                ("at", Schema.dateTime), ("actor", Schema.string()), ("actor_label", Schema.nullable(Schema.string())),
                ("from", Schema.nullable(Schema.enumeration(OrderState.self))), ("to", Schema.enumeration(OrderState.self)),
                ("note", Schema.nullable(Schema.string())),
            ], required: ["at", "actor", "to"], closed: false), "Present when one order is read")),
        ], required: ["id", "number", "seller_business_id", "seller_name", "buyer_business_id", "buyer_name", "state", "currency",
                      "prices_include_tax", "net", "tax", "gross", "taxes", "payment_terms", "placed_by", "placed_at", "updated_at"], closed: false)),
        ("OrderList", Schema.list(of: "Order")),
        ("OrderTransition", Schema.object([("reason", Schema.text(maxLength: 500))], description: "Optional; a cancellation's reason")),
        ("TradeSettings", Schema.object([
            ("order_prefix", Schema.string("2–10 capital Latin letters or digits, starting with a letter", pattern: "^[A-Z][A-Z0-9]{1,9}$")),
            ("prices_include_tax", Schema.boolean()), ("allow_backorders", Schema.boolean()), ("default_payment_terms", paymentTerms),
        ], required: ["order_prefix", "prices_include_tax", "allow_backorders", "default_payment_terms"])),
    ]

    static let warehouseFields: [(String, JSONValue)] = [
        ("name", Schema.line(maxLength: 120)),
        ("address", Schema.nullable(Schema.text(maxLength: 300))),
        ("priority", Schema.integer("Higher is reserved from first (default 0)", minimum: -1_000_000, maximum: 1_000_000)),
        ("active", Schema.boolean()),
    ]
}
