import TradepostCore
import TradepostJobs
import TradepostSearch
import TradepostStore

/// Every domain's jobs, registered in one place: the engine knows none of them, and a domain's
/// handlers live beside this file (the `TradepostWiring` target), where they may use its
/// implementation. HTTP's composition root and the command line call it.
public enum JobWiring {
    /// `snapshots` defaults to the config's (stamped with `version`); the CLI passes settings without a schedule.
    public static func register(_ registry: JobRegistry, config: TradepostConfig, version: String, store: Store, search: SearchEngine,
                                snapshots: SnapshotJobs.Settings? = nil) throws {
        try BuiltinJobs.register(registry, store: store)
        CatalogJobs.register(registry, store: store)
        try StockJobs.register(registry, store: store)
        try InvoiceJobs.register(registry, store: store)
        SearchJobs.register(registry, engine: search)
        try SnapshotJobs.register(registry, settings: snapshots ?? .init(config: config, version: version), store: store)
    }
}

extension JobsHost {
    /// The engine's view of an open store.
    public init(store: Store) {
        self.init(dataDir: store.dataDir, tenantDatabases: store.tenantDatabases, tenants: store.tenants)
    }
}
