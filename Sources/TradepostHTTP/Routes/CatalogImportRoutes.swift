import Foundation
import Hummingbird
import TradepostCore

/// Price-list import and export for a business's members and tenant admins. The upload streams to disk
/// (never into memory) and runs as a job; clients poll the import for progress and its report.
struct CatalogImportRoutes {
    let services: AppServices
    let maxUpload: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("businesses/:id/imports", use: upload)
        api.get("businesses/:id/imports", use: list)
        api.get("imports/:id", use: get)
        api.post("imports/:id/apply", use: apply)
        api.get("businesses/:id/products/export", use: export)
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogImport> {
        let caller = try context.caller()
        let business = try context.parameters.require("id")
        // Who may, before a byte of the file is read; `submit` asks again inside its transaction.
        let tenant = try await services.imports.requireManage(caller, businessID: business)
        let q = request.uri.queryParameters
        var options = ImportOptions(currency: q.get("currency") ?? "UAH")
        options.encoding = try request.query("encoding", CSVReader.Encoding.init(rawValue:), expected: "utf-8 or windows-1251")
        options.delimiter = try request.query("delimiter", ImportOptions.delimiter(named:), expected: "; , or tab")
        if let status = try request.query("status", ProductStatus.init(rawValue:), expected: "published or draft") { options.status = status }
        let dryRun = try request.flag("dry_run") ?? false
        options = try options.validated()
        let media = request.headers[.contentType]?.lowercased() ?? ""
        if media.hasPrefix("application/json") || media.hasPrefix("multipart/") || media.hasPrefix("application/x-www-form-urlencoded") {
            throw AppError(.unsupportedMediaType, "Send the CSV file itself as the body (Content-Type: text/csv)")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxUpload {
            throw AppError(.payloadTooLarge, "The file is larger than \(maxUpload / 1_048_576) MiB")
        }
        let path = try services.imports.uploadPath(tenant)
        try await StreamedUpload.receive(request.body, to: path, limit: maxUpload, what: "the CSV file")
        do {
            let item = try await services.imports.submit(
                caller, businessID: business, fileName: q.get("file_name") ?? "price-list.csv", path: path, dryRun: dryRun, options: options)
            return APIResponse(item, status: .accepted)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<CatalogImport>> {
        let items = try await services.imports.imports(try context.caller(), businessID: try context.parameters.require("id"), limit: 50)
        return APIResponse(ListResponse(items: items))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogImport> {
        APIResponse(try await services.imports.catalogImport(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CatalogImport> {
        APIResponse(try await services.imports.apply(try context.caller(), importID: try context.parameters.require("id")), status: .accepted)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let business = try context.parameters.require("id")
        // Checked before the 200 goes out; `export` asks again in its own read.
        _ = try await services.imports.requireManage(caller, businessID: business)
        let encoding = try request.query("encoding", CSVReader.Encoding.init(rawValue:), expected: "utf-8 or windows-1251") ?? .utf8
        let delimiter = try request.query("delimiter", ImportOptions.delimiter(named:), expected: "; , or tab") ?? ","
        let imports = services.imports
        let body = ResponseBody { writer in
            try await imports.export(caller, businessID: business, encoding: encoding, delimiter: delimiter.utf8.first!) { bytes in
                try await writer.write(ByteBuffer(bytes: bytes))
            }
            try await writer.finish(nil)
        }
        let charset = encoding == .utf8 ? "utf-8" : "windows-1251"
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=\(charset)",
            .contentDisposition: "attachment; filename=\"products-\(business).csv\"",
            .cacheControl: "no-store",
        ], body: body)
    }
}
