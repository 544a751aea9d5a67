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

    static let warehouseFields: [(String, JSONValue)] = [
        ("name", Schema.line(maxLength: 120)),
        ("address", Schema.nullable(Schema.text(maxLength: 300))),
        ("priority", Schema.integer("Higher is reserved from first (default 0)", minimum: -1_000_000, maximum: 1_000_000)),
        ("active", Schema.boolean()),
    ]
}
