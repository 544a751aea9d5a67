import TradepostCore

extension Components {
    static let legalFields: [(String, JSONValue)] = [
        ("legal_name", Schema.line(maxLength: 200)), ("tax_id", Schema.nullable(Schema.line(minLength: 0, maxLength: 40))),
        ("address", Schema.nullable(Schema.text(maxLength: 400))), ("bank_account", Schema.nullable(Schema.line(minLength: 0, maxLength: 64))),
        ("bank_name", Schema.nullable(Schema.line(minLength: 0, maxLength: 200))),
        ("document_language", Schema.string("The language of its documents and of amounts in words", values: LegalDetails.languages)),
    ]

    static let fulfilment: [(String, JSONValue)] = [
        ("NewShipment", Schema.object([
            ("warehouse_id", Schema.id),
            ("lines", Schema.array(Schema.object([("line_no", Schema.integer(minimum: 1)), ("quantity", Schema.integer(minimum: 1, maximum: 1_000_000_000_000))],
                                                 required: ["line_no", "quantity"]), "Without lines, everything the warehouse holds for the order",
                                   minItems: 1, maxItems: 1000)),
            ("carrier", Schema.text(maxLength: 120)), ("tracking_number", Schema.text(maxLength: 120)),
        ], description: "Without warehouse_id, the one warehouse holding the order's stock")),
        ("Shipment", Schema.object([
            ("id", Schema.id), ("order_id", Schema.id), ("number", Schema.integer("1, 2, … within the order")), ("warehouse_id", Schema.id),
            ("warehouse_name", Schema.string()), ("carrier", Schema.nullable(Schema.string())), ("tracking_number", Schema.nullable(Schema.string())),
            ("shipped_at", Schema.dateTime), ("delivered_at", Schema.nullable(Schema.dateTime)), ("created_by", Schema.string()),
            ("lines", Schema.array(Schema.object([("line_no", Schema.integer()), ("sku", Schema.string()), ("name", Schema.string()),
                                                  ("quantity", Schema.integer())], required: ["line_no", "sku", "name", "quantity"], closed: false))),
        ], required: ["id", "order_id", "number", "warehouse_id", "warehouse_name", "shipped_at", "created_by", "lines"], closed: false)),
        ("ShipmentList", Schema.list(of: "Shipment")),
        ("NewInvoice", Schema.object([
            ("basis", Schema.enumeration(InvoiceInput.Basis.self, "order (default): everything not invoiced yet; shipped: what has shipped and is not invoiced")),
            ("series", Schema.string("Default INV", pattern: "^[A-Z][A-Z0-9]{1,9}$")),
        ])),
        ("LegalDetails", Schema.object(legalFields, required: ["legal_name"])),
        ("Invoice", Schema.object([
            ("id", Schema.id), ("number", Schema.string("e.g. INV-ACME-2026-000001")), ("series", Schema.string()), ("order_id", Schema.id),
            ("order_number", Schema.string()), ("seller_business_id", Schema.id), ("buyer_business_id", Schema.id), ("currency", Schema.string()),
            ("prices_include_tax", Schema.boolean()), ("net", money), ("tax", money), ("gross", money),
            ("taxes", Schema.array(Schema.object([("rate", taxRate), ("net", money), ("tax", money)], required: ["rate", "net", "tax"], closed: false))),
            ("paid", Schema.ref("Money")), ("credited", Schema.ref("Money")),
            ("balance", Schema.ref("Money")), ("status", Schema.enumeration(InvoiceStatus.self)),
            ("overdue", Schema.boolean("Past its due date with a balance left (set nightly)")), ("issued_at", Schema.dateTime),
            ("due_date", Schema.string(format: "date")), ("seller", Schema.ref("LegalDetails")), ("buyer", Schema.ref("LegalDetails")),
            ("language", Schema.string()), ("issued_by", Schema.string()),
            ("lines", Schema.array(Schema.object([
                ("line_no", Schema.integer()), ("order_line_no", Schema.integer()), ("sku", Schema.string()), ("name", Schema.string()),
                ("quantity", Schema.integer()), ("unit_price", money), ("tax_rate", taxRate), ("net", money), ("tax", money), ("gross", money),
            ], required: ["line_no", "order_line_no", "sku", "name", "quantity", "unit_price", "tax_rate", "net", "tax", "gross"], closed: false),
                                   "Present when one invoice is read")),
            ("payments", Schema.array(Schema.ref("Payment"), "Present when one invoice is read")),
        ], required: ["id", "number", "series", "order_id", "order_number", "seller_business_id", "buyer_business_id", "currency", "net", "tax",
                      "gross", "taxes", "paid", "credited", "balance", "status", "overdue", "issued_at", "due_date", "seller", "buyer", "language"], closed: false)),
        ("InvoiceList", Schema.list(of: "Invoice")),
        ("NewPayment", Schema.object([
            ("amount", Schema.string("A decimal in the invoice's currency, e.g. \"120.50\"")), ("method", Schema.enumeration(Payment.Method.self)),
            ("direction", Schema.enumeration(Payment.Direction.self, "in (default): received; out: a refund")),
            ("received_on", Schema.string("Default today", format: "date")), ("reference", Schema.text(maxLength: 200)),
        ], required: ["amount", "method"])),
        ("Payment", Schema.object([
            ("id", Schema.id), ("invoice_id", Schema.id), ("invoice_number", Schema.string()), ("direction", Schema.enumeration(Payment.Direction.self)),
            ("method", Schema.enumeration(Payment.Method.self)), ("amount", money), ("received_on", Schema.string(format: "date")),
            ("reference", Schema.nullable(Schema.string())), ("recorded_by", Schema.string()), ("recorded_at", Schema.dateTime),
        ], required: ["id", "invoice_id", "invoice_number", "direction", "method", "amount", "received_on", "recorded_by", "recorded_at"], closed: false)),
        ("PaymentList", Schema.list(of: "Payment")),
        ("NewCreditLimit", Schema.object([("limit", Schema.ref("Money"))], required: ["limit"])),
        ("CreditLimit", Schema.object([
            ("seller_business_id", Schema.id), ("buyer_business_id", Schema.id), ("buyer_name", Schema.string()), ("limit", money),
            ("exposure", Schema.ref("Money")),
        ], required: ["seller_business_id", "buyer_business_id", "buyer_name", "limit", "exposure"], closed: false)),
        ("CreditLimitList", Schema.list(of: "CreditLimit")),
        ("NewReturn", Schema.object([
            ("lines", Schema.array(Schema.object([("line_no", Schema.integer(minimum: 1)), ("quantity", Schema.integer(minimum: 1, maximum: 1_000_000_000_000))],
                                                 required: ["line_no", "quantity"]), minItems: 1, maxItems: 1000)),
            ("reason", Schema.text(minLength: 1, maxLength: 500)),
        ], required: ["lines", "reason"])),
        ("ReceiveReturn", Schema.object([
            ("warehouse_id", Schema.id),
            ("lines", Schema.array(Schema.object([("line_no", Schema.integer(minimum: 1)), ("damaged", Schema.integer(minimum: 0, maximum: 1_000_000_000_000))],
                                                 required: ["line_no", "damaged"]), "How many of each line are damaged (written off); 0 when left out", maxItems: 1000)),
        ], description: "Without warehouse_id, the warehouse the order's first shipment left from")),
        ("Return", Schema.object([
            ("id", Schema.id), ("order_id", Schema.id), ("order_number", Schema.string()), ("number", Schema.integer()),
            ("state", Schema.enumeration(ReturnState.self)), ("reason", Schema.string()), ("requested_by", Schema.string()),
            ("requested_at", Schema.dateTime), ("decided_at", Schema.nullable(Schema.dateTime)), ("decision_note", Schema.nullable(Schema.string())),
            ("received_at", Schema.nullable(Schema.dateTime)), ("warehouse_id", Schema.nullable(Schema.id)),
            ("credit_note_id", Schema.nullable(Schema.id)), ("credit_note_number", Schema.nullable(Schema.string())),
            ("lines", Schema.array(Schema.object([("line_no", Schema.integer()), ("sku", Schema.string()), ("name", Schema.string()),
                                                  ("quantity", Schema.integer()), ("damaged", Schema.integer())],
                                                 required: ["line_no", "sku", "name", "quantity", "damaged"], closed: false))),
        ], required: ["id", "order_id", "order_number", "number", "state", "reason", "requested_by", "requested_at", "lines"], closed: false)),
        ("ReturnList", Schema.list(of: "Return")),
        ("CreditNote", Schema.object([
            ("id", Schema.id), ("number", Schema.string("e.g. CN-ACME-2026-000001")), ("order_id", Schema.id), ("order_number", Schema.string()),
            ("return_id", Schema.id), ("invoice_id", Schema.nullable(Schema.id)), ("invoice_number", Schema.nullable(Schema.string())),
            ("seller_business_id", Schema.id), ("buyer_business_id", Schema.id), ("currency", Schema.string()), ("prices_include_tax", Schema.boolean()),
            ("net", money), ("tax", money), ("gross", money),
            ("taxes", Schema.array(Schema.object([("rate", taxRate), ("net", money), ("tax", money)], required: ["rate", "net", "tax"], closed: false))),
            ("reason", Schema.string()), ("issued_at", Schema.dateTime), ("seller", Schema.ref("LegalDetails")), ("buyer", Schema.ref("LegalDetails")),
            ("language", Schema.string()), ("issued_by", Schema.string()),
            ("lines", Schema.array(Schema.object([
                ("line_no", Schema.integer()), ("order_line_no", Schema.integer()), ("sku", Schema.string()), ("name", Schema.string()),
                ("quantity", Schema.integer()), ("unit_price", money), ("tax_rate", taxRate), ("net", money), ("tax", money), ("gross", money),
            ], required: ["line_no", "sku", "quantity", "net", "tax", "gross"], closed: false), "Present when one credit note is read")),
        ], required: ["id", "number", "order_id", "order_number", "return_id", "currency", "net", "tax", "gross", "taxes", "reason", "issued_at",
                      "seller", "buyer", "language"], closed: false)),
        ("CreditNoteList", Schema.list(of: "CreditNote")),
        ("NewPromoCode", Schema.object([
            ("code", Schema.string("3–32 letters, digits, - or _; compared in upper case")), ("kind", Schema.enumeration(PromoCode.Kind.self)),
            ("percent", Schema.string("For percent codes, e.g. \"10\" or \"7.5\"")), ("amount", Schema.string("For fixed codes, a decimal in currency")),
            ("currency", Schema.string(minLength: 3, maxLength: 3)), ("min_order", Schema.string("The least order total (price × quantity) it applies to")),
            ("valid_from", Schema.string(format: "date")), ("valid_to", Schema.string(format: "date")),
            ("total_limit", Schema.integer(minimum: 1)), ("per_buyer_limit", Schema.integer(minimum: 1)),
            ("product_ids", Schema.array(Schema.id, maxItems: 1000)), ("category_ids", Schema.array(Schema.id, maxItems: 1000)),
        ], required: ["code", "kind"])),
        ("PromoCodeActive", Schema.object([("active", Schema.boolean())], required: ["active"])),
        ("PromoCode", Schema.object([
            ("id", Schema.id), ("seller_business_id", Schema.id), ("code", Schema.string()), ("kind", Schema.enumeration(PromoCode.Kind.self)),
            ("percent", Schema.nullable(taxRate)), ("amount", Schema.nullable(money)), ("min_order", Schema.nullable(money)),
            ("valid_from", Schema.nullable(Schema.string(format: "date"))), ("valid_to", Schema.nullable(Schema.string(format: "date"))),
            ("total_limit", Schema.nullable(Schema.integer())), ("per_buyer_limit", Schema.nullable(Schema.integer())), ("used", Schema.integer()),
            ("product_ids", Schema.array(Schema.id)), ("category_ids", Schema.array(Schema.id)), ("active", Schema.boolean()), ("created_at", Schema.dateTime),
        ], required: ["id", "seller_business_id", "code", "kind", "used", "product_ids", "category_ids", "active", "created_at"], closed: false)),
        ("PromoCodeList", Schema.list(of: "PromoCode")),
    ]
}
