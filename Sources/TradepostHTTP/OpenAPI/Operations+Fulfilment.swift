import TradepostCore

extension Operations {
    static let sideQuery = Operation.paging + [
        .init(name: "side", schema: Schema.enumeration(OrderFilter.Side.self), description: "seller (the business's as seller) or buyer", required: true),
    ]

    static let returns: [Operation] = [
        Operation(method: "post", path: "/api/v1/orders/{id}/returns", id: "requestReturn", tag: "returns",
                  summary: "Ask to return shipped goods (the buyer): lines and quantities (at most what shipped and is not already being returned) and why",
                  body: "NewReturn", status: 201, response: "Return", errors: [403, 404, 409], idempotent: true),
        Operation(method: "get", path: "/api/v1/orders/{id}/returns", id: "listOrderReturns", tag: "returns",
                  summary: "An order's returns, oldest first", response: "ReturnList", errors: [404]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/returns", id: "listReturns", tag: "returns",
                  summary: "Returns to a business (side=seller) or asked for by it (side=buyer), newest first", query: sideQuery,
                  response: "ReturnList", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/returns/{id}/accept", id: "acceptReturn", tag: "returns",
                  summary: "Accept a requested return (the seller; requested → accepted)", body: "OrderTransition", bodyOptional: true,
                  response: "Return", errors: [403, 404, 409], idempotent: true),
        Operation(method: "post", path: "/api/v1/returns/{id}/refuse", id: "refuseReturn", tag: "returns",
                  summary: "Refuse a requested return, saying why (the seller; requested → refused)", body: "OrderTransition", bodyOptional: true,
                  response: "Return", errors: [403, 404, 409], idempotent: true),
        Operation(method: "post", path: "/api/v1/returns/{id}/receive", id: "receiveReturn", tag: "returns",
                  summary: "Receive an accepted return (the seller): the goods back on hand in one warehouse, the damaged written off, "
                      + "and a credit note (CN-ACME-2026-000001, its own gapless series) issued, all at once",
                  body: "ReceiveReturn", bodyOptional: true, response: "Return", errors: [403, 404, 409], idempotent: true),
        Operation(method: "get", path: "/api/v1/orders/{id}/credit-notes", id: "listCreditNotes", tag: "returns",
                  summary: "An order's credit notes, oldest first", response: "CreditNoteList", errors: [404]),
        Operation(method: "get", path: "/api/v1/credit-notes/{id}", id: "getCreditNote", tag: "returns",
                  summary: "A credit note with its lines (by id or number)", response: "CreditNote", errors: [404]),
        Operation(method: "get", path: "/api/v1/credit-notes/{id}/pdf", id: "getCreditNotePDF", tag: "returns",
                  summary: "The credit note as a PDF, in the buyer's document language", responseSchema: Schema.string("The PDF", format: "binary"),
                  responseMediaType: "application/pdf", errors: [404]),
    ]

    static let proposals: [Operation] = [
        Operation(method: "post", path: "/api/v1/orders/{id}/proposals", id: "proposeOrderChange", tag: "orders",
                  summary: "Propose changes to a placed order (the seller): the whole new set of lines with quantities and prices, dates; "
                      + "a new version the buyer accepts or declines, nothing changing until then (a new proposal withdraws the open one)",
                  body: "NewOrderProposal", status: 201, response: "OrderProposal", errors: [403, 404, 409], idempotent: true),
        Operation(method: "get", path: "/api/v1/orders/{id}/proposals", id: "listOrderProposals", tag: "orders",
                  summary: "An order's proposed versions, oldest first", response: "OrderProposalList", errors: [404]),
        Operation(method: "post", path: "/api/v1/proposals/{id}/accept", id: "acceptOrderProposal", tag: "orders",
                  summary: "Accept a proposal (the buyer): the order takes its lines, totals and dates and reserves stock for them",
                  response: "OrderProposal", errors: [403, 404, 409], idempotent: true),
        Operation(method: "post", path: "/api/v1/proposals/{id}/decline", id: "declineOrderProposal", tag: "orders",
                  summary: "Decline a proposal (the buyer): the order stays as it is", response: "OrderProposal", errors: [403, 404, 409],
                  idempotent: true),
    ]

    static let promos: [Operation] = [
        Operation(method: "get", path: "/api/v1/businesses/{id}/promo-codes", id: "listPromoCodes", tag: "orders",
                  summary: "A seller's promo codes with how often each was used", response: "PromoCodeList", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/businesses/{id}/promo-codes", id: "createPromoCode", tag: "orders",
                  summary: "Add a promo code: percent or fixed amount off, from a minimum order, within dates, with total and per-buyer limits, "
                      + "optionally for some products or categories only. Buyers give it as promo_code when placing an order",
                  body: "NewPromoCode", status: 201, response: "PromoCode", errors: [403, 404, 409], idempotent: true),
        Operation(method: "patch", path: "/api/v1/promo-codes/{id}", id: "setPromoCodeActive", tag: "orders",
                  summary: "Switch a promo code off (or on again)", body: "PromoCodeActive", response: "PromoCode", errors: [403, 404]),
    ]

    static let fulfilment: [Operation] = [
        Operation(method: "post", path: "/api/v1/orders/{id}/shipments", id: "shipOrder", tag: "fulfilment",
                  summary: "Ship lines of a confirmed order from one warehouse (the seller): off on-hand and out of the reservation; "
                      + "the order becomes partially_shipped or shipped. Without lines, everything the warehouse holds for the order",
                  body: "NewShipment", status: 201, response: "Shipment", errors: [403, 404, 409], idempotent: true),
        Operation(method: "get", path: "/api/v1/orders/{id}/shipments", id: "listShipments", tag: "fulfilment",
                  summary: "An order's shipments, oldest first", response: "ShipmentList", errors: [404]),
        Operation(method: "post", path: "/api/v1/shipments/{id}/deliver", id: "deliverShipment", tag: "fulfilment",
                  summary: "Mark a shipment delivered (either side); a shipped order becomes delivered with its last shipment",
                  response: "Shipment", errors: [403, 404, 409], idempotent: true),
        Operation(method: "post", path: "/api/v1/orders/{id}/invoices", id: "issueInvoice", tag: "fulfilment",
                  summary: "Issue an invoice (the seller) for what the order has not been invoiced for: all of it (basis=order) or what has shipped "
                      + "(basis=shipped). Its number (e.g. INV-ACME-2026-000001) is the next of a gapless series per seller, series and year, "
                      + "taken at issue; an issued invoice never changes",
                  body: "NewInvoice", bodyOptional: true, status: 201, response: "Invoice", errors: [403, 404, 409], idempotent: true),
        Operation(method: "get", path: "/api/v1/orders/{id}/invoices", id: "listOrderInvoices", tag: "fulfilment",
                  summary: "An order's invoices, oldest first", response: "InvoiceList", errors: [404]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/invoices", id: "listInvoices", tag: "fulfilment",
                  summary: "Invoices a business issued (side=seller) or received (side=buyer), newest first", query: sideQuery,
                  response: "InvoiceList", errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/invoices/{id}", id: "getInvoice", tag: "fulfilment",
                  summary: "An invoice with its lines and payments (by id or number)", response: "Invoice", errors: [404]),
        Operation(method: "get", path: "/api/v1/invoices/{id}/pdf", id: "getInvoicePDF", tag: "fulfilment",
                  summary: "The invoice as a PDF, in the buyer's document language, with the total in words (made once, then kept in the blob store)",
                  responseSchema: Schema.string("The PDF", format: "binary"), responseMediaType: "application/pdf", errors: [404]),
        Operation(method: "post", path: "/api/v1/invoices/{id}/payments", id: "recordPayment", tag: "fulfilment",
                  summary: "Record a payment received (direction=in, up to the balance) or a refund (direction=out, up to what was paid); the seller",
                  body: "NewPayment", status: 201, response: "Invoice", errors: [403, 404], idempotent: true),
        Operation(method: "get", path: "/api/v1/businesses/{id}/payments", id: "listPayments", tag: "fulfilment",
                  summary: "Payments a business received (side=seller) or made (side=buyer), newest first", query: sideQuery,
                  response: "PaymentList", errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/legal", id: "getLegalDetails", tag: "fulfilment",
                  summary: "The legal details printed on the business's documents (its name and address until set)", response: "LegalDetails",
                  errors: [403, 404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/legal", id: "setLegalDetails", tag: "fulfilment",
                  summary: "Set the legal details printed on documents from now on (issued invoices keep theirs)", body: "LegalDetails",
                  response: "LegalDetails", errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/credit-limits", id: "listCreditLimits", tag: "fulfilment",
                  summary: "The credit limits a seller gives its buyers, with each buyer's exposure now", response: "CreditLimitList", errors: [403, 404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/credit-limits/{buyer}", id: "setCreditLimit", tag: "fulfilment",
                  summary: "Set a buyer's credit limit: an order that would take the buyer's unpaid total over it is placed on_hold until the seller approves it",
                  body: "NewCreditLimit", response: "CreditLimit", errors: [403, 404]),
        Operation(method: "delete", path: "/api/v1/businesses/{id}/credit-limits/{buyer}", id: "removeCreditLimit", tag: "fulfilment",
                  summary: "Remove a buyer's credit limit", status: 204, errors: [403, 404]),
    ] + TradeExport.Kind.allCases.map { kind in
        Operation(method: "get", path: "/api/v1/businesses/{id}/\(kind.rawValue)/export", id: "export\(kind.rawValue.capitalized)", tag: "fulfilment",
                  summary: "The business's \(kind.rawValue) as CSV for accounting, oldest first (UTF-8 with a byte-order mark, or Windows-1251)",
                  query: [
                    .init(name: "side", schema: Schema.enumeration(OrderFilter.Side.self), description: "seller or buyer", required: true),
                    .init(name: "from", schema: Schema.string(format: "date"), description: "From this day (UTC), inclusive"),
                    .init(name: "to", schema: Schema.string(format: "date"), description: "To this day (UTC), inclusive"),
                    .init(name: "encoding", schema: Schema.enumeration(CSVReader.Encoding.self), description: "Default utf-8"),
                    .init(name: "delimiter", schema: Schema.string(values: [";", ",", "tab"]), description: "Default ,"),
                  ],
                  responseSchema: Schema.string("CSV", format: "binary"), responseMediaType: "text/csv", errors: [400, 403, 404])
    }
}
