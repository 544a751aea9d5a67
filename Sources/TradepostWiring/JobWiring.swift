import TradepostCore
import TradepostJobs
import TradepostSearch
import TradepostStore

/// Every domain's jobs, registered in one place: the engine knows none of them, and a domain's
/// handlers live beside this file (the `TradepostWiring` target), where they may use its
/// implementation. HTTP's composition root and the command line call it.
public enum JobWiring {
    /// `snapshots` defaults to the config's (stamped with `version`); the CLI passes settings without a schedule.
    /// What the routes share with the jobs: the channels' settings (with the mail jobs' relay
    /// sessions) and the Telegram front door (with its rate limits).
    public struct Wired: Sendable {
        public var channels: ChannelDirectory
        public var telegram: TelegramDirectory
        public var inbox: InboxJobs
    }

    @discardableResult
    public static func register(_ registry: JobRegistry, config: TradepostConfig, version: String, store: Store, search: SearchEngine,
                                snapshots: SnapshotJobs.Settings? = nil) throws -> Wired {
        try BuiltinJobs.register(registry, store: store)
        CatalogJobs.register(registry, store: store)
        try StockJobs.register(registry, store: store)
        try InvoiceJobs.register(registry, store: store)
        SearchJobs.register(registry, engine: search)
        NotifyJobs.register(registry, store: store, settings: config.notify)
        let telegram = TelegramDirectory(store: store, search: search, baseURL: config.baseURL, settings: config.notify)
        let mail = try MailJobs.register(registry, store: store, settings: config.notify, baseURL: config.baseURL, telegram: telegram)
        let inbox = InboxJobs.register(registry, store: store, settings: config.notify, telegram: telegram)
        try SnapshotJobs.register(registry, settings: snapshots ?? .init(config: config, version: version), store: store)
        return Wired(channels: ChannelDirectory(store: store, mail: mail), telegram: telegram, inbox: inbox)
    }
}

extension Store.Options {
    /// The options the server and the command line open the store with: the catalog's analyzer
    /// for message text, and the destination check for webhooks' URLs.
    public static func forServer(_ config: TradepostConfig) -> Store.Options {
        var options = Store.Options(config: config, analyze: Analyzer.terms)
        let destinations = DestinationGuard(allowPrivate: config.notify.allowPrivateDestinations)
        options.destinationProblem = { url in await destinations.problem(url) }
        return options
    }
}

extension JobsHost {
    /// The engine's view of an open store.
    public init(store: Store) {
        self.init(dataDir: store.dataDir, tenantDatabases: store.tenantDatabases, tenants: store.tenants)
    }
}
