import Foundation
import GRDB
import Synchronization
import TradepostCore
import TradepostDatabase

/// Price-list imports. An upload is recorded with a `catalog.import_requested` outbox event in the same
/// transaction, so the jobs engine runs it even after a crash; a run is one transaction (all rows or none),
/// and running it again after a crash re-applies the same file to the same result (upsert by SKU).
/// Progress of running imports is kept in memory: the apply's own transaction cannot show it to others.
public final class SQLiteCatalogImportService: CatalogImportService {
    let tenants: TenantDatabases
    let stats: StoreStats
    let directory: URL
    private let running = Mutex<[String: ImportProgress]>([:])

    public init(tenants: TenantDatabases, stats: StoreStats, dataDir: String) {
        self.tenants = tenants
        self.stats = stats
        directory = URL(fileURLWithPath: dataDir).appendingPathComponent("imports")
    }

    /// Where uploads of a tenant are written before `submit` (same file system, so the move is a rename).
    public func uploadDirectory(_ tenant: TenantID) throws -> URL {
        let dir = directory.appendingPathComponent(tenant.rawValue)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    public func uploadPath(_ tenant: TenantID) throws -> String {
        try uploadDirectory(tenant).appendingPathComponent("upload-\(UUID().uuidString).part").path
    }

    public func run(
        _ tenant: TenantID, businessID: String, path: String, dryRun: Bool, options: ImportOptions, audit: AuditContext,
        progress: @escaping @Sendable (ImportProgress) -> Void
    ) async throws -> ImportReport {
        let options = try options.validated()
        let pass = ImportPass(businessID: businessID, options: options, audit: audit, write: !dryRun, progress: progress)
        return try await mapErrors(stats) {
            if dryRun { return try await tenants.read(tenant) { db in try pass.run(db, path: path) } }
            do {
                return try await tenants.write(tenant) { db in try pass.run(db, path: path) }
            } catch let rollback as ImportPass.Rollback {
                return rollback.report
            }
        }
    }

    public func requireManage(_ caller: Caller, businessID: String) async throws -> TenantID {
        let tenant = try caller.authorize(.catalogRead)
        try await mapErrors(stats) {
            try await tenants.read(tenant) { db in try CallerFacts.requireCatalogManager(db, caller, business: businessID) }
        }
        return tenant
    }

    public func submit(
        _ caller: Caller, businessID: String, fileName: String, path: String, dryRun: Bool, options: ImportOptions
    ) async throws -> CatalogImport {
        let tenant = try caller.authorize(.catalogRead)
        let audit = caller.audit
        let options = try options.validated()
        let now = Date()
        let id = Identifier.make(now: now)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        let directory = try uploadDirectory(tenant)
        Self.pruneUploads(in: directory, olderThan: now.addingTimeInterval(-Self.keepUploads))
        let target = directory.appendingPathComponent("\(id).csv")
        try FileManager.default.moveItem(atPath: path, toPath: target.path)
        let name = String(fileName.split(separator: "/").last ?? "price-list.csv").prefix(200)
        let item = CatalogImport(
            id: id, businessId: businessID, fileName: String(name), fileBytes: bytes, dryRun: dryRun, options: options, state: .queued,
            createdBy: audit.actor, createdAt: now)
        do {
            return try await mapErrors(stats) {
                try await tenants.write(tenant) { db in
                    try CallerFacts.requireCatalogManager(db, caller, business: businessID)
                    try Self.insert(db, item, fileKey: id, audit: audit)
                    return item
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw error
        }
    }

    public func apply(_ caller: Caller, importID: String) async throws -> CatalogImport {
        let tenant = try caller.authorize(.catalogRead)
        let audit = caller.audit
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { [directory] db in
                let row = try Self.visibleRow(db, caller, importID)
                let key: String = row["file_key"]
                let file = directory.appendingPathComponent(tenant.rawValue).appendingPathComponent("\(key).csv")
                guard FileManager.default.fileExists(atPath: file.path) else {
                    throw AppError.conflict("The uploaded file is no longer kept; upload it again")
                }
                let source = Self.decode(row)
                let now = Date()
                let item = CatalogImport(
                    id: Identifier.make(now: now), businessId: source.businessId, fileName: source.fileName, fileBytes: source.fileBytes,
                    dryRun: false, options: source.options, state: .queued, createdBy: audit.actor, createdAt: now)
                try Self.insert(db, item, fileKey: key, audit: audit)
                return item
            }
        }
    }

    public func catalogImport(_ caller: Caller, id: String) async throws -> CatalogImport {
        let tenant = try caller.authorize(.catalogRead)
        var item = try await mapErrors(stats) {
            try await tenants.read(tenant) { db in Self.decode(try Self.visibleRow(db, caller, id)) }
        }
        if item.state == .running { item.progress = running.withLock { $0[id] } }
        return item
    }

    public func imports(_ caller: Caller, businessID: String, limit: Int) async throws -> [CatalogImport] {
        let tenant = try caller.authorize(.catalogRead)
        let items = try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try CallerFacts.requireCatalogManager(db, caller, business: businessID)
                return try Row.fetchAll(db, sql: "SELECT * FROM catalog_imports WHERE business_id = ? ORDER BY id DESC LIMIT ?",
                                 arguments: [businessID, limit]).map(Self.decode)
            }
        }
        let progress = running.withLock { $0 }
        return items.map { var item = $0; if item.state == .running { item.progress = progress[item.id] }; return item }
    }

    /// An import the caller may see: one of a business whose catalog they manage. Someone else's
    /// import is as good as absent (404).
    static func visibleRow(_ db: Database, _ caller: Caller, _ id: String) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM catalog_imports WHERE id = ?", arguments: [id]),
              try CallerFacts.mayManageCatalog(db, caller, business: row["business_id"]) else { throw AppError.notFound("Import") }
        return row
    }

    public func perform(_ tenant: TenantID, importID: String) async throws {
        let claimed = try await tenants.write(tenant) { db -> (CatalogImport, String, AuditContext)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM catalog_imports WHERE id = ?", arguments: [importID]) else { return nil }
            let state: String = row["state"]
            guard state == "queued" || state == "running" else { return nil }
            try db.execute(sql: "UPDATE catalog_imports SET state = 'running' WHERE id = ?", arguments: [importID])
            return (Self.decode(row), row["file_key"], AuditContext(actor: row["created_by"], actorLabel: row["created_by_label"]))
        }
        guard let (item, key, audit) = claimed else { return }
        let file = directory.appendingPathComponent(tenant.rawValue).appendingPathComponent("\(key).csv")
        running.withLock { $0[importID] = ImportProgress(rows: 0, bytesRead: 0, bytesTotal: item.fileBytes) }
        defer { _ = running.withLock { $0.removeValue(forKey: importID) } }
        var report: ImportReport?
        var failure: String?
        do {
            report = try await run(tenant, businessID: item.businessId, path: file.path, dryRun: item.dryRun, options: item.options,
                                   audit: audit) { [self] progress in running.withLock { $0[importID] = progress } }
        } catch let error as AppError where error.code != .internalError && error.code != .unavailable {
            failure = ([error.message] + error.fields.map { "\($0.field): \($0.message)" }).joined(separator: "; ")
        }
        let finalReport = report
        let finalFailure = failure
        let state: ImportState = failure == nil && (item.dryRun || report?.applied == true) ? .succeeded : .failed
        try await tenants.write(tenant) { db in
            try db.execute(sql: "UPDATE catalog_imports SET state = ?, report = ?, error = ?, finished_at = ? WHERE id = ?", arguments: [
                state.rawValue, try finalReport.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }, finalFailure, Date(), importID,
            ])
        }
        // An applied file has served its purpose; a dry run's stays so it can be applied.
        if !item.dryRun && state == .succeeded { try? FileManager.default.removeItem(at: file) }
    }

    /// How long an upload that was only checked stays available to apply.
    static let keepUploads: TimeInterval = 7 * 86400

    /// Removes uploads not touched since `cutoff` (checked files never applied, partial uploads).
    static func pruneUploads(in directory: URL, olderThan cutoff: Date) {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for file in files {
            let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? Date()
            if modified < cutoff { try? FileManager.default.removeItem(at: file) }
        }
    }

    // MARK: - Rows

    static func insert(_ db: Database, _ item: CatalogImport, fileKey: String, audit: AuditContext) throws {
        try db.execute(sql: """
            INSERT INTO catalog_imports (id, business_id, file_key, file_name, file_bytes, dry_run, options, state, created_by,
                created_by_label, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)
            """, arguments: [
                item.id, item.businessId, fileKey, item.fileName, item.fileBytes, item.dryRun,
                String(decoding: try JSONEncoder().encode(item.options), as: UTF8.self), audit.actor, audit.actorLabel, item.createdAt,
            ])
        try Outbox.append(db, topic: Topic.catalogImportRequested, payload: CatalogImportEvent(importId: item.id))
    }

    static func decode(_ row: Row) -> CatalogImport {
        let options = (try? JSONDecoder().decode(ImportOptions.self, from: Data((row["options"] as String).utf8))) ?? ImportOptions()
        let report = (row["report"] as String?).flatMap { try? JSONDecoder().decode(ImportReport.self, from: Data($0.utf8)) }
        return CatalogImport(
            id: row["id"], businessId: row["business_id"], fileName: row["file_name"], fileBytes: row["file_bytes"], dryRun: row["dry_run"],
            options: options, state: ImportState(rawValue: row["state"]) ?? .failed, report: report, error: row["error"],
            createdBy: row["created_by_label"] ?? row["created_by"], createdAt: row["created_at"], finishedAt: row["finished_at"])
    }
}
