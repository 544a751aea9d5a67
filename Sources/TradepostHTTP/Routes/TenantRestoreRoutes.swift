import Foundation
import Hummingbird
import TradepostCore
import TradepostStore

/// Restoring one tenant in the running server (platform admins): the body is a single-tenant
/// snapshot (`tradepost tenant export`, `snapshot --tenant`). The tenant is suspended, its database
/// closed once in-flight work finishes, its files swapped (the old ones kept aside in the data
/// dir) and the tenant resumed; other tenants never notice.
struct TenantRestoreRoutes {
    let store: Store
    let maxUpload: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("admin/tenants/:id/restore", use: restore)
    }

    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TenantImporter.Result> {
        _ = try context.authorize(.tenantsManage)
        let id = try context.parameters.require("id")
        let tenant = try await store.tenants.tenant(id: TenantID(id))
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-tar") || type.hasPrefix("application/octet-stream") else {
            throw AppError(.unsupportedMediaType, "Send the snapshot archive itself as the body (Content-Type: application/x-tar)")
        }
        let upload = (store.dataDir as NSString).appendingPathComponent(".restore-\(UUID().uuidString.prefix(8)).tar")
        defer { try? FileManager.default.removeItem(atPath: upload) }
        try await CatalogImportRoutes.receive(request.body, to: upload, limit: maxUpload, what: "the snapshot archive")
        var importer = TenantImporter(archive: upload, dataDir: store.dataDir)
        importer.replace = true
        importer.expected = tenant.id.rawValue
        importer.audit = try context.audit()
        do {
            return APIResponse(try await importer.runLive(tenants: store.tenantDatabases, control: store.control))
        } catch let error as SnapshotError {
            switch error {
            case .refused(let message, _): throw AppError.conflict(message)
            case .damaged(let message): throw AppError.invalid("The archive is damaged: \(message)")
            case .io(let message): throw AppError.invalid("The archive cannot be read: \(message)")
            }
        }
    }
}
