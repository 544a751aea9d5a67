import Foundation
import Hummingbird
import Logging
import NIOPosix
import HummingbirdWebSocket
import ServiceLifecycle
import TradepostCore
import TradepostJobs
import TradepostSearch
import TradepostStore
import TradepostWiring

/// Builds the whole server: used by `tradepost serve` and by tests (port 0, temporary data dir).
///
/// - Parameters:
///   - store: an already open store (tests pass one to look inside); by default one is opened from `config`.
///   - registerJobs: adds job types beyond the built-in ones (the end-to-end test probe, tests).
///   - onListening: called with the bound port once the server accepts connections.
public func buildApplication(
    config: TradepostConfig,
    logger: Logger,
    store: Store? = nil,
    metrics: AppMetrics = AppMetrics(),
    registerJobs: (JobRegistry, Store) throws -> Void = { _, _ in },
    onListening: @escaping @Sendable (Int) async -> Void = { _ in },
    onS3Listening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> Application<RouterResponder<AppRequestContext>> {
    let store = if let store { store } else { try await Store(.forServer(config)) }
    let registry = JobRegistry()
    let search = SearchEngine(tenants: store.tenantDatabases)
    let wired = try JobWiring.register(registry, config: config, version: TradepostVersion.current, store: store, search: search)
    try registerJobs(registry, store)
    let telemetry = JobsTelemetry(registry: metrics.registry)
    let engine = try JobsEngine(host: JobsHost(store: store), registry: registry, options: config.jobsOptions, logger: logger, observer: telemetry)
    let hub = LiveHub { try await engine.service.stats(scope: $0) }
    telemetry.attach(hub)
    let appServices = AppServices(store: store, jobs: engine.service, search: search, talk: config.talk, channels: wired.channels, telegram: wired.telegram,
                                  inboxTester: wired.inbox)
    // The S3 listener runs beside the HTTP server, on the same blob store, and stops before the databases close.
    var services: [any Service] = [StoreCloser(store: store, logger: logger), engine]
    if config.s3Port >= 0 {
        services.append(try buildS3Service(config: config, blobs: appServices.blobs, keys: appServices.s3Keys, logger: logger, onListening: onS3Listening))
    }
    let parts = buildRouter(config: config, store: store, services: appServices, metrics: metrics, hub: hub)
    return Application(
        router: parts.router,
        server: .guardedHTTP1WebSocket(webSocketRouter: parts.webSocketRouter, limits: ConnectionLimits(config: config), answer: Problem.parseError),
        configuration: ApplicationConfiguration(address: .hostname(config.host, port: config.port), serverName: "tradepost"),
        // Shut down in reverse: the HTTP server first, then the jobs engine, then the databases.
        services: services,
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? config.port) },
        eventLoopGroupProvider: .shared(HTTPEventLoop.group),
        logger: logger)
}

/// The server's network I/O runs on one event-loop thread; handlers run on Swift's concurrency pool,
/// so one thread parses HTTP for far more requests than a small box serves. Why not one per core:
/// with two loops, two first connections configuring the WebSocket-upgradable pipeline at the same
/// moment crashed the process (SIGSEGV in the Swift runtime's generic metadata instantiation, seen
/// once in about twenty CI runs); one loop never configures two pipelines at once.
enum HTTPEventLoop {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
}

struct RouterParts {
    let router: Router<AppRequestContext>
    let webSocketRouter: Router<AppRequestContext>
    let routes: RouteIndex
}

/// The routers with every route and middleware; tests read their route lists.
func buildRouter(config: TradepostConfig, store: Store, services: AppServices, metrics: AppMetrics, hub: LiveHub) -> RouterParts {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routes = RouteIndex()
    router.add(middleware: ObservabilityMiddleware(metrics: metrics, trustProxy: config.trustProxy))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routes))
    router.add(middleware: RequestTargetMiddleware())

    let cookies = SessionCookies(secure: config.isTLS, trustProxy: config.trustProxy, lifetime: TimeInterval(config.sessionTTLHours) * 3600)
    let auth = AuthMiddleware(auth: services.auth, cookies: cookies)
    let maxBody = config.maxBodyBytes
    HealthRoutes(store: store, jobs: services.jobs, metrics: metrics, minFreeDiskBytes: Int64(config.minFreeDiskMB) * 1_048_576)
        .register(on: router)
    let document = Lazy { ByteBuffer(bytes: OpenAPIDocument.build(version: TradepostVersion.current).serialized()) }
    router.get("api/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: document.get))
    }

    let api = router.group("api/v1").add(middleware: auth)
        .add(middleware: DocumentedRequestMiddleware(operations: Operations.all, components: Components.schemas, maxBody: maxBody))
    AuthRoutes(services: services, cookies: cookies, maxBody: maxBody).register(on: api)
    AccountRoutes(services: services, maxBody: maxBody).register(on: api)
    UserRoutes(services: services, maxBody: maxBody).register(on: api)
    BusinessRoutes(services: services, maxBody: maxBody).register(on: api)
    PlatformRoutes(services: services, maxBody: maxBody).register(on: api)
    TenantRestoreRoutes(services: services, maxUpload: config.maxUploadMB * 1_048_576).register(on: api)
    JobsRoutes(services: services, maxBody: maxBody).register(on: api)
    CategoryRoutes(services: services, maxBody: maxBody).register(on: api)
    ProductRoutes(services: services, maxBody: maxBody).register(on: api)
    SearchRoutes(services: services, maxBody: maxBody).register(on: api)
    PriceListRoutes(services: services, maxBody: maxBody).register(on: api)
    StockRoutes(services: services, maxBody: maxBody).register(on: api)
    OrderRoutes(services: services, maxBody: maxBody).register(on: api)
    FulfilmentRoutes(services: services, maxBody: maxBody).register(on: api)
    ReturnRoutes(services: services, maxBody: maxBody).register(on: api)
    ProposalRoutes(services: services, maxBody: maxBody).register(on: api)
    TalkRoutes(services: services, maxBody: maxBody).register(on: api)
    NegotiationRoutes(services: services, maxBody: maxBody).register(on: api)
    SalespersonRoutes(services: services, maxBody: maxBody).register(on: api)
    StorageRoutes(services: services, maxBody: maxBody, maxUpload: config.maxUploadMB * 1_048_576).register(on: api)
    AuditRoutes(services: services).register(on: api)
    MediaRoutes(services: services, maxBody: maxBody).register(on: api)
    CatalogImportRoutes(services: services, maxUpload: config.maxUploadMB * 1_048_576).register(on: api)
    NotificationRoutes(services: services, maxBody: maxBody).register(on: api)
    WebhookRoutes(services: services, maxBody: maxBody).register(on: api)
    ChannelRoutes(services: services, maxBody: maxBody).register(on: api)
    TelegramRoutes(services: services, cookies: cookies, maxBody: maxBody).register(on: api)
    InboxRoutes(services: services, maxBody: maxBody, metrics: metrics).register(on: api)
    ContactRoutes(services: services, maxBody: maxBody).register(on: api)
    WhatsAppRoutes(services: services).register(on: api)
    let feed = OrderFeed(orders: services.orders)
    store.tenantDatabases.outboxListener.add { tenant in feed.changed(tenant) }
    let talk = ConversationHub(conversations: services.conversations, resumeLimit: config.talk.resumeLimit)
    store.tenantDatabases.outboxListener.add { tenant in talk.changed(tenant) }
    let notices = NotificationFeed(notifications: services.notifications)
    store.tenantDatabases.outboxListener.add { tenant in notices.changed(tenant) }
    let live = LiveRoutes(hub: hub, orders: feed, conversations: talk, notifications: notices, queue: config.talk.socketQueue)
    live.register(on: api)

    WebRoutes(lazyAssets: Lazy { WebAssets() }).register(on: router)
    routes.load(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })

    let webSocketRouter = Router(context: AppRequestContext.self)
    webSocketRouter.add(middleware: ObservabilityMiddleware(metrics: metrics, trustProxy: config.trustProxy))
    live.register(webSocket: webSocketRouter, cookies: cookies, auth: auth)
    return RouterParts(router: router, webSocketRouter: webSocketRouter, routes: routes)
}

/// Closes the databases after the HTTP server has stopped (services shut down in reverse order,
/// and this one is registered before the server), so in-flight requests finish first.
struct StoreCloser: Service {
    let store: Store
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await store.close()
        logger.info("databases checkpointed and closed")
    }
}

/// The jobs engine's options from the configuration.
extension TradepostConfig {
    var jobsOptions: JobsOptions {
        var options = JobsOptions()
        options.lease = .seconds(jobLeaseSeconds)
        options.shutdownGrace = .seconds(jobShutdownGraceSeconds)
        options.retention = .seconds(jobRetentionDays * 86400)
        options.pollInterval = .seconds(min(5, max(1, jobLeaseSeconds / 3)))
        return options
    }
}
