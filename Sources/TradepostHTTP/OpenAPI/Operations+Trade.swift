import TradepostCore

extension Operations {
    static let stockFilters = Operation.paging + [
        Operation.Parameter(name: "warehouse_id", schema: Schema.id, description: "Only this warehouse"),
        Operation.Parameter(name: "product_id", schema: Schema.id, description: "Only this product"),
    ]

    static let stock: [Operation] = [
        Operation(method: "get", path: "/api/v1/businesses/{id}/warehouses", id: "listWarehouses", tag: "stock",
                  summary: "A business's warehouses, active first by priority (its members, tenant admins)", response: "WarehouseList",
                  errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/businesses/{id}/warehouses", id: "createWarehouse", tag: "stock",
                  summary: "Add a warehouse", body: "NewWarehouse", status: 201, response: "Warehouse", errors: [403, 404, 409], idempotent: true),
        Operation(method: "patch", path: "/api/v1/warehouses/{id}", id: "updateWarehouse", tag: "stock",
                  summary: "Rename, re-prioritise or (de)activate a warehouse; an inactive one is not reserved from and its stock does not count in products' figures",
                  body: "WarehouseUpdate", response: "Warehouse", errors: [404, 409]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/stock", id: "listStock", tag: "stock",
                  summary: "Stock levels per product and warehouse, by SKU: on hand, reserved, available, incoming",
                  query: stockFilters + [.init(name: "low", schema: Schema.boolean(), description: "Only levels below their low-stock threshold")],
                  response: "StockLevelList", errors: [403, 404]),
        Operation(method: "put", path: "/api/v1/warehouses/{id}/stock/{product}/threshold", id: "setStockThreshold", tag: "stock",
                  summary: "Set or clear the low-stock threshold of a product in a warehouse (stock.low is raised when available falls below it)",
                  body: "StockThreshold", response: "StockLevel", errors: [404]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/stock/movements", id: "listStockMovements", tag: "stock",
                  summary: "The stock ledger, newest first: every change with who, when, why and which document", query: stockFilters,
                  response: "StockMoveList", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/businesses/{id}/stock/movements", id: "moveStock", tag: "stock",
                  summary: "Record a receipt, an expected receipt, an adjustment (a change or a count), a transfer or a write-off; answers the ledger rows written",
                  body: "NewStockMovement", status: 201, response: "StockMoveList", errors: [403, 404, 409], idempotent: true),
        Operation(method: "post", path: "/api/v1/warehouses/{id}/stock/counts", id: "importStockCounts", tag: "stock",
                  summary: "A stock count for one warehouse from a CSV file (a SKU column and a stock column; UTF-8 or Windows-1251, "
                      + "; , or tab): a dry run reports every bad row; an apply writes only when no row failed, one adjustment per changed level",
                  query: [.init(name: "dry_run", schema: Schema.boolean(), description: "Check only; write nothing"),
                          .init(name: "encoding", schema: Schema.enumeration(CSVReader.Encoding.self), description: "Detected when not given"),
                          .init(name: "delimiter", schema: Schema.string(values: [";", ",", "tab"]), description: "Detected when not given")],
                  body: "The CSV file", bodyMediaType: "text/csv", response: "StockCountReport", errors: [404, 413, 415], idempotent: true),
    ]

    static let orders: [Operation] = [
        Operation(method: "get", path: "/api/v1/me/businesses", id: "myBusinesses", tag: "orders",
                  summary: "The businesses I belong to, with my role in each (what I can buy and sell for)", response: "MyBusinessList"),
        Operation(method: "get", path: "/api/v1/businesses/{id}/carts", id: "listCarts", tag: "orders",
                  summary: "My carts for this buyer business, one per seller, each line priced for the buyer now (with the rule that won and any minimum-order or multiple problem)",
                  response: "CartList", errors: [403, 404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/cart/lines/{product}", id: "setCartLine", tag: "orders",
                  summary: "Set a product's quantity in my cart (0 removes it); answers that seller's cart", body: "CartQuantity",
                  response: "Cart", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/businesses/{id}/cart/quick", id: "quickOrder", tag: "orders",
                  summary: "Quick order: add pasted \"SKU quantity\" lines to my carts; lines that cannot be used are listed",
                  body: "QuickOrder", response: "QuickOrderResult", errors: [403, 404], idempotent: true),
        Operation(method: "post", path: "/api/v1/orders", id: "placeOrder", tag: "orders",
                  summary: "Place an order with one seller from my cart with it (or the lines given): every line re-priced now, stock reserved, "
                      + "a number like ACME-2026-000123 given. 409 price_changed (with the new total) when expected_total differs; 409 insufficient_stock when the seller takes no backorders",
                  body: "NewOrder", status: 201, response: "Order", errors: [403, 404, 409], idempotent: true),
        Operation(method: "get", path: "/api/v1/businesses/{id}/orders", id: "listOrders", tag: "orders",
                  summary: "Orders the business placed (side=buyer) or received (side=seller), newest first",
                  query: Operation.paging + [
                    .init(name: "side", schema: Schema.enumeration(OrderFilter.Side.self), description: "buyer or seller", required: true),
                    .init(name: "state", schema: Schema.enumeration(OrderState.self), description: "Only this state"),
                  ], response: "OrderList", errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/orders/{id}", id: "getOrder", tag: "orders",
                  summary: "An order with its lines and history (its buyer's and seller's members, tenant admins)", response: "Order", errors: [404]),
        Operation(method: "post", path: "/api/v1/orders/{id}/reorder", id: "reorder", tag: "orders",
                  summary: "Put a past order's lines back into my cart with its seller", response: "Cart", errors: [403, 404], idempotent: true),
    ] + [OrderAction.approve, .confirm, .cancel, .deliver, .complete].map { action in
        Operation(method: "post", path: "/api/v1/orders/{id}/\(action.rawValue)", id: "\(action.rawValue)Order", tag: "orders",
                  summary: transitionSummary(action), body: "OrderTransition", bodyOptional: true, response: "Order", errors: [403, 404, 409],
                  idempotent: true)
    } + [
        Operation(method: "get", path: "/api/v1/businesses/{id}/trade-settings", id: "getTradeSettings", tag: "orders",
                  summary: "A seller's order prefix, whether its prices include tax, backorders and default payment terms", response: "TradeSettings",
                  errors: [403, 404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/trade-settings", id: "setTradeSettings", tag: "orders",
                  summary: "Set a seller's trade settings", body: "TradeSettings", response: "TradeSettings", errors: [403, 404]),
    ]

    static func transitionSummary(_ action: OrderAction) -> String {
        switch action {
        case .approve: "Approve an order held over the buyer's credit limit (the seller; on_hold → placed)"
        case .confirm: "Confirm an order (the seller; placed → confirmed), reserving what it still lacks; 409 insufficient_stock names short lines"
        case .cancel: "Cancel an order, releasing its stock (the buyer before confirmation; the seller from on_hold, placed or confirmed)"
        case .deliver: "Mark a shipped order delivered (either side)"
        case .complete: "Complete a delivered order (the seller)"
        case .shipPart, .shipAll: "Ship an order"
        }
    }
}
