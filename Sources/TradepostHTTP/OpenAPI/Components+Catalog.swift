import TradepostCore

/// Schemas of the catalog and search.
extension Components {
    static let money = Schema.object([
        ("amount", Schema.string("Exact decimal text with the currency's digits, e.g. \"12.50\"")),
        ("currency", Schema.string("ISO 4217", minLength: 3, maxLength: 3)),
    ], required: ["amount", "currency"], closed: false, description: "Money: never a floating-point number")

    static let decimalInput: JSONValue = .object([("type", .array(["string", "number"])), ("description", "A decimal amount, e.g. \"12.50\"")])

    static let attributeValue: JSONValue = .object([("type", .array(["string", "number", "boolean"]))])

    /// What a product is written with, on create and on update.
    static let productFields: [(String, JSONValue)] = [
        ("sku", Schema.line(maxLength: 64)), ("name", Schema.line(maxLength: 300)),
        ("brand", Schema.nullable(Schema.line(minLength: 0, maxLength: 120))),
        ("manufacturer", Schema.nullable(Schema.line(minLength: 0, maxLength: 200))),
        ("category_id", Schema.nullable(Schema.id)), ("description", Schema.nullable(Schema.text(maxLength: 10000))),
        ("attributes", .object([("type", "object"), ("maxProperties", 50), ("additionalProperties", attributeValue),
                                ("description", "At most 50; names are snake_case (1–60 lowercase letters, digits or underscores, starting with a letter); text values at most 500 characters")])),
        ("unit", Schema.line(maxLength: 20)), ("pack_size", Schema.integer(minimum: 1, maximum: 1_000_000)),
        ("min_order_quantity", Schema.integer(minimum: 1, maximum: 1_000_000_000)),
        ("order_multiple", Schema.integer(minimum: 1, maximum: 1_000_000)),
        ("currency", Schema.string("ISO 4217, e.g. UAH", minLength: 3, maxLength: 3, pattern: "^[A-Za-z]{3}$")),
        ("price", decimalInput),
        ("tiers", Schema.array(Schema.object([("min_quantity", Schema.integer(minimum: 2)), ("price", decimalInput)],
                                             required: ["min_quantity", "price"]), "Replaces all tiers; quantities differ", maxItems: 20)),
        ("stock_quantity", Schema.integer(minimum: 0, maximum: 1_000_000_000_000)), ("availability", Schema.enumeration(Availability.self)),
        ("status", Schema.string("published waits for review when the tenant requires it", values: ["draft", "published", "archived"])),
        ("priority", Schema.integer(minimum: 0, maximum: 1000)),
        ("tax_rate", Schema.string("Percent, at most two decimals: \"20\", \"7.5\", \"0\" (default 0)", pattern: #"^(100([.,]0{1,2})?|[0-9]{1,2}([.,][0-9]{1,2})?)$"#)),
    ]

    static let priceListFields: [(String, JSONValue)] = [
        ("name", Schema.line(maxLength: 120)),
        ("valid_from", Schema.nullable(Schema.string("YYYY-MM-DD", format: "date"))),
        ("valid_to", Schema.nullable(Schema.string("YYYY-MM-DD, not before valid_from", format: "date"))),
        ("items", Schema.array(Schema.object([
            ("product_id", Schema.id), ("sku", Schema.line("Instead of product_id", maxLength: 64)),
            ("price", Schema.string("Decimal in the product's currency, like \"11.90\"", minLength: 1, maxLength: 40)),
        ], required: ["price"], exactlyOne: ["product_id", "sku"]), "Replaces every item", maxItems: 10000)),
    ]

    static let catalog: [(String, JSONValue)] = [
        ("Money", money),
        ("Category", Schema.object([
            ("id", Schema.id), ("parent_id", Schema.nullable(Schema.id)), ("name", Schema.string()),
            ("path", Schema.array(Schema.string(), "Names from the root to this category")),
            ("product_count", Schema.integer("Published products in the whole subtree")), ("created_at", Schema.dateTime),
        ], required: ["id", "name", "path", "product_count", "created_at"], closed: false)),
        ("CategoryList", Schema.list(of: "Category")),
        ("NewCategory", Schema.object([("name", Schema.line(maxLength: 120)), ("parent_id", Schema.nullable(Schema.id))], required: ["name"])),
        ("CategoryUpdate", Schema.object([("name", Schema.line(maxLength: 120)), ("parent_id", Schema.nullable(Schema.id))],
                                         description: "A missing parent_id keeps the parent; null makes it a root")),
        ("CategoryMerge", Schema.object([("into", Schema.id)], required: ["into"])),
        ("Product", Schema.object([
            ("id", Schema.id), ("business_id", Schema.id), ("sku", Schema.string()), ("name", Schema.string()),
            ("brand", Schema.nullable(Schema.string())), ("manufacturer", Schema.nullable(Schema.string())),
            ("category_id", Schema.nullable(Schema.id)), ("description", Schema.nullable(Schema.string())),
            ("attributes", .object([("type", "object"), ("additionalProperties", attributeValue)])),
            ("unit", Schema.string()), ("pack_size", Schema.integer()), ("min_order_quantity", Schema.integer()),
            ("order_multiple", Schema.integer()), ("price", Schema.ref("Money")),
            ("tiers", Schema.array(Schema.object([("min_quantity", Schema.integer()), ("price", Schema.ref("Money"))],
                                                 required: ["min_quantity", "price"], closed: false))),
            ("stock_quantity", Schema.integer()), ("availability", Schema.enumeration(Availability.self)),
            ("status", Schema.enumeration(ProductStatus.self)), ("rejection_reason", Schema.nullable(Schema.string())),
            ("priority", Schema.integer(minimum: 0, maximum: 1000)), ("tax_rate", Schema.string("Percent, e.g. \"20\"")),
            ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
        ], required: ["id", "business_id", "sku", "name", "attributes", "unit", "pack_size", "min_order_quantity", "order_multiple",
                      "price", "tiers", "stock_quantity", "availability", "status", "priority", "tax_rate", "created_at", "updated_at"], closed: false)),
        ("ProductList", Schema.list(of: "Product")),
        ("NewProduct", Schema.object(productFields, required: ["sku", "name", "currency", "price"],
                                     description: "Optional fields may be null or left out")),
        ("ProductUpdate", Schema.object(productFields,
                                        description: "A missing field stays as it is; null clears an optional one. A new currency needs a new price")),
        ("PriceChange", Schema.object([
            ("id", Schema.integer()), ("product_id", Schema.id), ("at", Schema.dateTime), ("actor", Schema.string()),
            ("actor_label", Schema.nullable(Schema.string())), ("kind", Schema.string(values: ["base", "tier"])),
            ("min_quantity", Schema.nullable(Schema.integer())), ("old_price", Schema.nullable(Schema.ref("Money"))),
            ("new_price", Schema.nullable(Schema.ref("Money"))),
        ], required: ["id", "product_id", "at", "actor", "kind"], closed: false)),
        ("PriceChangeList", Schema.list(of: "PriceChange")),
        ("EffectivePrice", Schema.object([
            ("product_id", Schema.id), ("quantity", Schema.integer()), ("unit_price", Schema.ref("Money")), ("total", Schema.ref("Money")),
            ("tier_min_quantity", Schema.nullable(Schema.integer())), ("price_list_id", Schema.nullable(Schema.string())),
        ], required: ["product_id", "quantity", "unit_price", "total"], closed: false)),
        ("ProductRejection", Schema.object([("reason", Schema.text(minLength: 1, maxLength: 1000))], required: ["reason"])),
        ("CatalogSettings", Schema.object([("require_review", Schema.boolean())], required: ["require_review"])),
        ("ImportIssue", Schema.object([
            ("line", Schema.integer("Line of the file the row starts on")), ("sku", Schema.nullable(Schema.string())),
            ("field", Schema.nullable(Schema.string())), ("message", Schema.string()),
        ], required: ["line", "message"], closed: false)),
        ("ImportReport", Schema.object([
            ("encoding", Schema.enumeration(CSVReader.Encoding.self)), ("delimiter", Schema.string()), ("rows", Schema.integer()),
            ("created", Schema.integer()), ("updated", Schema.integer()), ("unchanged", Schema.integer()),
            ("failed", Schema.integer("Rows with an error; with any, an apply writes nothing")),
            ("issues", Schema.array(Schema.ref("ImportIssue"), "The first 1000 problems, by line")),
            ("ignored_columns", Schema.array(Schema.string())), ("applied", Schema.boolean()),
        ], required: ["encoding", "delimiter", "rows", "created", "updated", "unchanged", "failed", "issues", "applied"], closed: false)),
        ("CatalogImport", Schema.object([
            ("id", Schema.id), ("business_id", Schema.id), ("file_name", Schema.string()), ("file_bytes", Schema.integer()),
            ("dry_run", Schema.boolean()),
            ("options", Schema.object([
                ("encoding", Schema.enumeration(CSVReader.Encoding.self)), ("delimiter", Schema.string()), ("currency", Schema.string()),
                ("status", Schema.string(values: ["published", "draft"])),
            ], closed: false)),
            ("state", Schema.enumeration(ImportState.self)),
            ("progress", Schema.nullable(Schema.object([
                ("rows", Schema.integer()), ("bytes_read", Schema.integer()), ("bytes_total", Schema.integer()),
            ], closed: false))),
            ("report", Schema.nullable(Schema.ref("ImportReport"))), ("error", Schema.nullable(Schema.string())),
            ("created_by", Schema.string()), ("created_at", Schema.dateTime), ("finished_at", Schema.nullable(Schema.dateTime)),
        ], required: ["id", "business_id", "file_name", "dry_run", "state", "created_at"], closed: false)),
        ("CatalogImportList", Schema.list(of: "CatalogImport")),
        ("BuyerGroup", Schema.object([
            ("id", Schema.id), ("seller_business_id", Schema.id), ("name", Schema.string()),
            ("buyer_business_ids", Schema.array(Schema.id)), ("created_at", Schema.dateTime),
        ], required: ["id", "seller_business_id", "name", "buyer_business_ids", "created_at"], closed: false)),
        ("BuyerGroupList", Schema.list(of: "BuyerGroup")),
        ("NewBuyerGroup", Schema.object([
            ("name", Schema.line(maxLength: 120)), ("buyer_business_ids", Schema.array(Schema.id, maxItems: 1000)),
        ], required: ["name"])),
        ("BuyerGroupUpdate", Schema.object([
            ("name", Schema.line(maxLength: 120)), ("buyer_business_ids", Schema.array(Schema.id, "Replaces the members", maxItems: 1000)),
        ])),
        ("PriceList", Schema.object([
            ("id", Schema.id), ("seller_business_id", Schema.id), ("name", Schema.string()),
            ("buyer_business_id", Schema.nullable(Schema.id)), ("buyer_group_id", Schema.nullable(Schema.id)),
            ("valid_from", Schema.nullable(Schema.string(format: "date"))), ("valid_to", Schema.nullable(Schema.string(format: "date"))),
            ("item_count", Schema.integer()),
            ("items", Schema.array(Schema.object([("product_id", Schema.id), ("sku", Schema.string()), ("price", Schema.ref("Money"))],
                                                 required: ["product_id", "sku", "price"], closed: false), "Present when one list is read")),
            ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
        ], required: ["id", "seller_business_id", "name", "item_count", "created_at", "updated_at"], closed: false)),
        ("PriceListList", Schema.list(of: "PriceList")),
        ("NewPriceList", Schema.object(priceListFields + [
            ("buyer_business_id", Schema.id), ("buyer_group_id", Schema.id),
        ], required: ["name"], exactlyOne: ["buyer_business_id", "buyer_group_id"],
           description: "For one buyer business or one buyer group: exactly one of buyer_business_id and buyer_group_id")),
        ("PriceListUpdate", Schema.object(priceListFields,
                                          description: "A missing field stays as it is; items replace every item. The buyer is fixed: make a new list")),
        ("SearchHit", Schema.object([
            ("product", Schema.ref("Product")),
            ("highlight", Schema.object([("name", Schema.string()), ("description", Schema.string())], closed: false,
                                        description: "Matched words in <mark>; everything else HTML-escaped")),
        ], required: ["product", "highlight"], closed: false)),
        ("FacetValue", Schema.object([("value", Schema.string()), ("label", Schema.nullable(Schema.string())), ("count", Schema.integer())],
                                     required: ["value", "count"], closed: false)),
        ("SearchResult", Schema.object([
            ("items", Schema.array(Schema.ref("SearchHit"))),
            ("next_cursor", Schema.nullable(Schema.string())),
            ("total", Schema.nullable(Schema.integer("Matches of all the words; null when not counted"))),
            ("total_exact", Schema.boolean("False when counting stopped at 10,000")),
            ("facets", Schema.nullable(.object([("type", "object"), ("additionalProperties", Schema.array(Schema.ref("FacetValue")))]))),
            ("took_ms", .object([("type", "number")])),
        ], required: ["items", "next_cursor", "total_exact", "took_ms"], closed: false)),
        ("Suggestion", Schema.object([("text", Schema.string()), ("highlight", Schema.string()), ("product_id", Schema.id)],
                                     required: ["text", "highlight", "product_id"], closed: false)),
        ("SuggestionList", Schema.list(of: "Suggestion")),
        ("SearchVocabulary", Schema.object([
            ("synonyms", Schema.array(Schema.array(Schema.line(maxLength: 100)), "Groups of words that mean the same")),
            ("stop_words", Schema.array(Schema.line(maxLength: 100), "Words ignored in queries")),
        ], required: ["synonyms", "stop_words"])),
    ]
}
