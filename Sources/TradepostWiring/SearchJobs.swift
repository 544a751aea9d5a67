import Foundation
import TradepostCore
import TradepostJobs
import TradepostSearch

/// Re-index products (after `product.changed`).
public struct SearchIndexJob: JobPayload {
    public static let jobType = "search.index"
    public var productIds: [String]
    enum CodingKeys: String, CodingKey { case productIds = "product_ids" }
    public init(productIds: [String]) { self.productIds = productIds }
}

/// Re-index what depends on a category (renamed, moved, merged) or a business (type or city changed).
public struct SearchRefreshJob: JobPayload {
    public static let jobType = "search.refresh"
    public var categoryId: String?
    public var businessId: String?
    /// With `businessId`: only its products changed at or after this time (an import), in any status,
    /// so products an import unpublished leave the index.
    public var changedSince: Date?
    enum CodingKeys: String, CodingKey {
        case categoryId = "category_id"
        case businessId = "business_id"
        case changedSince = "changed_since"
    }
    public init(categoryId: String? = nil, businessId: String? = nil, changedSince: Date? = nil) {
        self.categoryId = categoryId
        self.businessId = businessId
        self.changedSince = changedSince
    }
}

/// Rebuild a tenant's whole index.
public struct SearchReindexJob: JobPayload {
    public static let jobType = "search.reindex"
    public init() {}
}

public enum SearchJobs {
    /// The index follows committed changes through the outbox: each event becomes an idempotent job.
    public static func register(_ registry: JobRegistry, engine: SearchEngine) {
        registry.queue("search", concurrency: 2)
        registry.register(SearchIndexJob.self, queue: "search", maxAttempts: 10, timeout: .seconds(120), priority: 10) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("search indexing needs a tenant") }
            try await engine.indexer.index(tenant, productIDs: job.productIds)
        }
        registry.register(SearchRefreshJob.self, queue: "search", maxAttempts: 10, timeout: .seconds(1800)) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("search refresh needs a tenant") }
            if let category = job.categoryId { try await engine.indexer.index(tenant, categorySubtree: category) }
            if let business = job.businessId { try await engine.indexer.index(tenant, business: business, changedSince: job.changedSince) }
        }
        registry.register(SearchReindexJob.self, queue: "search", maxAttempts: 3, timeout: .seconds(3600), manual: true) { _, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a reindex needs a tenant") }
            _ = try await engine.indexer.reindex(tenant)
        }
        registry.subscribe("search-product", topic: Topic.productChanged, job: SearchIndexJob.self) { event in
            SearchIndexJob(productIds: [try event.decode(ProductEvent.self).productId])
        }
        registry.subscribe("search-category", topic: Topic.categoryChanged, job: SearchRefreshJob.self) { event in
            SearchRefreshJob(categoryId: try event.decode(CategoryEvent.self).categoryId)
        }
        registry.subscribe("search-import", topic: Topic.catalogImported, job: SearchRefreshJob.self) { event in
            let imported = try event.decode(CatalogImportedEvent.self)
            return SearchRefreshJob(businessId: imported.businessId, changedSince: imported.since)
        }
        registry.subscribe("search-rebuild", topic: Topic.searchIndexStale, job: SearchReindexJob.self) { _ in SearchReindexJob() }
        registry.subscribe("search-business", topic: Topic.businessUpdated, job: SearchRefreshJob.self) { event in
            SearchRefreshJob(businessId: try event.decode(BusinessEvent.self).businessId)
        }
    }
}
