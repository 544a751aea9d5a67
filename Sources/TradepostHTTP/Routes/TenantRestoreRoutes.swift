import Foundation
import Hummingbird
import TradepostCore

/// Restoring one tenant in the running server (platform admins): the body is a single-tenant
/// snapshot (`tradepost tenant export`, `snapshot --tenant`), received to a file where the restore
/// service says and handed to it (see `TenantRestoreService`).
struct TenantRestoreRoutes {
    let services: AppServices
    let maxUpload: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("admin/tenants/:id/restore", use: restore)
    }

    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TenantRestoreResult> {
        let caller = try context.caller()
        let tenant = TenantID(try context.parameters.require("id"))
        let upload = try await services.tenantRestore.archivePath(caller, tenant: tenant)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-tar") || type.hasPrefix("application/octet-stream") else {
            throw AppError(.unsupportedMediaType, "Send the snapshot archive itself as the body (Content-Type: application/x-tar)")
        }
        defer { try? FileManager.default.removeItem(atPath: upload) }
        try await StreamedUpload.receive(request.body, to: upload, limit: maxUpload, what: "the snapshot archive")
        return APIResponse(try await services.tenantRestore.restoreLive(caller, tenant: tenant, archive: upload))
    }
}
