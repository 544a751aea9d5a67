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
}
