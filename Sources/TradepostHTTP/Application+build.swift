import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import TradepostCore
import TradepostStore

/// Builds the whole server: used by `tradepost serve` and by tests (port 0, temporary data dir).
///
/// - Parameters:
///   - store: an already open store (tests pass one to look inside); by default one is opened from `config`.
///   - onListening: called with the bound port once the server accepts connections.
public func buildApplication(
    config: TradepostConfig,
    logger: Logger,
    store: Store? = nil,
    metrics: AppMetrics = AppMetrics(),
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> Application<RouterResponder<AppRequestContext>> {
    let store = if let store { store } else { try await Store(Store.Options(config: config)) }
    let router = buildRouter(config: config, store: store, services: AppServices(store: store), metrics: metrics).router
    return Application(
        router: router,
        configuration: ApplicationConfiguration(address: .hostname(config.host, port: config.port), serverName: "tradepost"),
        services: [StoreCloser(store: store, logger: logger)],
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? config.port) },
        logger: logger)
}

/// The router with every route and middleware; tests read its route list.
func buildRouter(config: TradepostConfig, store: Store, services: AppServices, metrics: AppMetrics)
    -> (router: Router<AppRequestContext>, routes: RouteIndex)
{
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routes = RouteIndex()
    router.add(middleware: ObservabilityMiddleware(metrics: metrics, trustProxy: config.trustProxy))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routes))

    let cookies = SessionCookies(secure: config.isTLS, trustProxy: config.trustProxy, lifetime: TimeInterval(config.sessionTTLHours) * 3600)
    let maxBody = config.maxBodyBytes
    HealthRoutes(store: store, metrics: metrics, minFreeDiskBytes: Int64(config.minFreeDiskMB) * 1_048_576).register(on: router)
    let document = Lazy { ByteBuffer(bytes: OpenAPIDocument.build(version: TradepostVersion.current).serialized()) }
    router.get("api/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: document.get))
    }

    let api = router.group("api/v1").add(middleware: AuthMiddleware(auth: services.auth, cookies: cookies))
    AuthRoutes(services: services, cookies: cookies, maxBody: maxBody).register(on: api)
    AccountRoutes(services: services, maxBody: maxBody).register(on: api)
    UserRoutes(services: services, maxBody: maxBody).register(on: api)
    BusinessRoutes(services: services, maxBody: maxBody).register(on: api)
    PlatformRoutes(services: services, maxBody: maxBody).register(on: api)

    WebRoutes(lazyAssets: Lazy { WebAssets() }).register(on: router)
    routes.load(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })
    return (router, routes)
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
