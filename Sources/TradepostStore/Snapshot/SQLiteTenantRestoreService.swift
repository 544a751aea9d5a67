import Foundation
import TradepostCore
import TradepostDatabase

/// `TenantRestoreService` on the data dir: receives archives beside the databases and swaps a
/// tenant's files with `TenantImporter`, reporting its refusals as the domain's errors.
public struct SQLiteTenantRestoreService: TenantRestoreService {
    let dataDir: String
    let tenants: TenantDatabases
    let control: ControlDatabase
    let tenantService: SQLiteTenantService

    public func archivePath(_ caller: Caller, tenant: TenantID) async throws -> String {
        try Policy.authorize(caller.principal, .tenantsManage)
        _ = try await tenantService.tenant(id: tenant)
        return (dataDir as NSString).appendingPathComponent(".restore-\(UUID().uuidString.prefix(8)).tar")
    }

    public func restoreLive(_ caller: Caller, tenant: TenantID, archive: String) async throws -> TenantRestoreResult {
        try Policy.authorize(caller.principal, .tenantsManage)
        let existing = try await tenantService.tenant(id: tenant)
        var importer = TenantImporter(archive: archive, dataDir: dataDir)
        importer.replace = true
        importer.expected = existing.id.rawValue
        importer.audit = caller.audit
        do {
            let done = try await importer.runLive(tenants: tenants, control: control)
            let t = done.tenant
            return TenantRestoreResult(
                tenant: .init(id: t.id, slug: t.slug, name: t.name, status: t.status, plan: t.plan, timeZone: t.timeZone),
                replaced: done.replaced, keptAside: done.keptAside, schemaVersion: done.schemaVersion)
        } catch let error as SnapshotError {
            switch error {
            case .refused(let message, _): throw AppError.conflict(message)
            case .damaged(let message): throw AppError.invalid("The archive is damaged: \(message)")
            case .io(let message): throw AppError.invalid("The archive cannot be read: \(message)")
            }
        }
    }
}

extension Store {
    public var tenantRestore: SQLiteTenantRestoreService {
        SQLiteTenantRestoreService(dataDir: dataDir, tenants: tenantDatabases, control: control, tenantService: tenants)
    }
}
