import Foundation
import TradepostCore
import TradepostJobs
import TradepostStore

/// Run an uploaded price list (dry run or apply).
public struct CatalogImportJob: JobPayload {
    public static let jobType = "catalog.import"
    public var importId: String
    enum CodingKeys: String, CodingKey { case importId = "import_id" }
    public init(importId: String) { self.importId = importId }
}

public enum CatalogJobs {
    /// One import at a time per process: an apply holds its tenant's write lock for its whole run, and
    /// two at once would only queue on it. A run that crashed is run again; `perform` is idempotent.
    public static func register(_ registry: JobRegistry, store: Store) {
        registry.queue("imports", concurrency: 1)
        registry.register(CatalogImportJob.self, queue: "imports", maxAttempts: 3, timeout: .seconds(3600)) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("an import needs a tenant") }
            try await store.catalogImports.perform(tenant, importID: job.importId)
        }
        registry.subscribe("catalog-import", topic: Topic.catalogImportRequested, job: CatalogImportJob.self) { event in
            CatalogImportJob(importId: try event.decode(CatalogImportEvent.self).importId)
        }
    }
}
