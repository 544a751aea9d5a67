import Foundation
import Hummingbird
import NIOCore
import TradepostCore

/// Warehouses, stock levels and the stock ledger of a selling business: its members and tenant
/// admins; a warehouse of a business the caller may not manage does not exist for them (404).
struct StockRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("businesses/:id/warehouses", use: listWarehouses)
        api.post("businesses/:id/warehouses", use: createWarehouse)
        api.patch("warehouses/:id", use: updateWarehouse)
        api.get("businesses/:id/stock", use: levels)
        api.put("warehouses/:id/stock/:product/threshold", use: setThreshold)
        api.get("businesses/:id/stock/movements", use: ledger)
        api.post("businesses/:id/stock/movements", use: move)
        api.post("warehouses/:id/stock/counts", use: importCounts)
    }

    /// A stock count file's largest size: a warehouse's SKUs, not a whole price list.
    static let maxCountFile = 16 << 20

    struct WarehouseBody: APIRequestBody {
        var input: WarehouseInput
        enum CodingKeys: String, CodingKey, CaseIterable { case name, address, priority, active }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = WarehouseInput(name: try c.decodeIfPresent(String.self, forKey: .name),
                                   address: c.contains(.address) ? .some(try c.decodeIfPresent(String.self, forKey: .address)) : nil,
                                   priority: try c.decodeIfPresent(Int64.self, forKey: .priority),
                                   active: try c.decodeIfPresent(Bool.self, forKey: .active))
        }
    }

    struct MovementBody: APIRequestBody {
        var input: StockMovementInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, quantity, counted, reason
            case productId = "product_id"
            case warehouseId = "warehouse_id"
            case toWarehouseId = "to_warehouse_id"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let kind = try c.decodeIfPresent(String.self, forKey: .kind)
            guard kind.map({ StockMovementInput.Kind(rawValue: $0) != nil }) ?? true else {
                throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown kind")
            }
            input = StockMovementInput(kind: kind.flatMap(StockMovementInput.Kind.init(rawValue:)),
                                       productId: try c.decodeIfPresent(String.self, forKey: .productId),
                                       warehouseId: try c.decodeIfPresent(String.self, forKey: .warehouseId),
                                       toWarehouseId: try c.decodeIfPresent(String.self, forKey: .toWarehouseId),
                                       quantity: try c.decodeIfPresent(Int64.self, forKey: .quantity),
                                       counted: try c.decodeIfPresent(Int64.self, forKey: .counted),
                                       reason: try c.decodeIfPresent(String.self, forKey: .reason))
        }
    }

    struct ThresholdBody: APIRequestBody {
        var lowThreshold: Int64?
        enum CodingKeys: String, CodingKey, CaseIterable { case lowThreshold = "low_threshold" }
    }

    func filter(_ request: Request) throws -> StockFilter {
        StockFilter(warehouseID: request.uri.queryParameters.get("warehouse_id"), productID: request.uri.queryParameters.get("product_id"),
                    lowOnly: try request.flag("low") ?? false)
    }

    @Sendable func listWarehouses(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Warehouse>> {
        APIResponse(ListResponse(items: try await services.stock.warehouses(try context.caller(), businessID: context.parameters.require("id"))))
    }

    @Sendable func createWarehouse(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Warehouse> {
        let caller = try context.caller()
        let business = try context.parameters.require("id")
        let (body, key) = try await request.decodeIdempotent(WarehouseBody.self, limit: maxBody)
        return APIResponse(try await services.stock.createWarehouse(caller, businessID: business, body.input, idempotency: key), status: .created)
    }

    @Sendable func updateWarehouse(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Warehouse> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let body = try await request.decode(WarehouseBody.self, limit: maxBody)
        return APIResponse(try await services.stock.updateWarehouse(caller, id: id, body.input))
    }

    @Sendable func levels(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<StockLevel>> {
        APIResponse(ListResponse(try await services.stock.levels(try context.caller(), businessID: context.parameters.require("id"),
                                                                 try filter(request), try request.pageRequest())))
    }

    @Sendable func setThreshold(_ request: Request, context: AppRequestContext) async throws -> APIResponse<StockLevel> {
        let caller = try context.caller()
        let (warehouse, product) = (try context.parameters.require("id"), try context.parameters.require("product"))
        let body = try await request.decode(ThresholdBody.self, limit: maxBody)
        return APIResponse(try await services.stock.setThreshold(caller, productID: product, warehouseID: warehouse, threshold: body.lowThreshold))
    }

    @Sendable func ledger(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<StockMove>> {
        APIResponse(ListResponse(try await services.stock.ledger(try context.caller(), businessID: context.parameters.require("id"),
                                                                 try filter(request), try request.pageRequest())))
    }

    @Sendable func move(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<StockMove>> {
        let caller = try context.caller()
        let business = try context.parameters.require("id")
        let (body, key) = try await request.decodeIdempotent(MovementBody.self, limit: maxBody)
        return APIResponse(ListResponse(items: try await services.stock.move(caller, businessID: business, body.input, idempotency: key)),
                           status: .created)
    }

    @Sendable func importCounts(_ request: Request, context: AppRequestContext) async throws -> APIResponse<StockCountReport> {
        let caller = try context.caller()
        let warehouse = try context.parameters.require("id")
        var options = ImportOptions()
        options.encoding = try request.query("encoding", CSVReader.Encoding.init(rawValue:), expected: "utf-8 or windows-1251")
        options.delimiter = try request.query("delimiter", ImportOptions.delimiter(named:), expected: "; , or tab")
        let dryRun = try request.flag("dry_run") ?? false
        let media = request.headers[.contentType]?.lowercased() ?? ""
        if media.hasPrefix("application/json") || media.hasPrefix("multipart/") || media.hasPrefix("application/x-www-form-urlencoded") {
            throw AppError(.unsupportedMediaType, "Send the CSV file itself as the body (Content-Type: text/csv)")
        }
        let csv: Data
        do {
            csv = Data(try await request.body.collect(upTo: Self.maxCountFile).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw AppError(.payloadTooLarge, "The file is larger than \(Self.maxCountFile >> 20) MiB")
        }
        return APIResponse(try await services.stock.importCounts(caller, warehouseID: warehouse, csv: csv, options: options, dryRun: dryRun,
                                                                 idempotency: try request.idempotencyKey(body: csv)))
    }
}
