import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import TradepostCore
import TradepostSearch
import TradepostDatabase
import TradepostHTTP
import TradepostJobs
import TradepostStore
#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (web app, API) until SIGTERM or SIGINT.",
        discussion: """
            On an empty data dir it creates the control database, the first platform admin and a `demo` tenant filled with a sample catalog, and prints their credentials once.

            Examples:
              tradepost serve
              tradepost serve --data /var/lib/tradepost --listen 0.0.0.0:8080
              tradepost serve --no-demo   # no demo tenant on an empty data dir
              TRADEPOST_ADMIN_EMAIL=me@example.com TRADEPOST_ADMIN_PASSWORD=… \\
                tradepost serve
              tradepost serve --config /etc/tradepost/tradepost.yaml
              tradepost serve --json    # one JSON line: the URL and any new credentials
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Address to listen on (default 127.0.0.1:8080).", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("First platform admin's email, used only on an empty data dir.", valueName: "email"))
    var adminEmail: String?

    @Option(help: ArgumentHelp("First platform admin's password (prefer TRADEPOST_ADMIN_PASSWORD: flags show in `ps`).", valueName: "password"))
    var adminPassword: String?

    @Option(help: ArgumentHelp("Log format: json or text.", valueName: "format"))
    var logFormat: String?

    @Flag(help: "On an empty data dir, make no demo tenant (config: demo.enabled).")
    var noDemo = false

    func run() async throws {
        try await runCommand {
            var flags: [String: String] = [:]
            if let listen { flags["http.listen"] = listen }
            if let adminEmail { flags["admin.email"] = adminEmail }
            if let adminPassword { flags["admin.password"] = adminPassword }
            if let logFormat { flags["log.format"] = logFormat }
            if noDemo { flags["demo.enabled"] = "false" }
            let config = try await global.load(extra: flags).config
            try await Self.serve(config, json: global.json)
        }
    }

    /// What `serve --json` prints once it listens: one JSON line a script can read.
    struct Started: Encodable {
        var url: String
        var version: String
        var admin: Store.Credentials?
        var demoTenant: String?
        var demoOwner: Store.Credentials?
    }

    static func serve(_ config: TradepostConfig, json: Bool) async throws {
        let logger = LoggingSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        raiseFileLimit(logger: logger)
        let metrics = AppMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))

        let lock: DataDirLock
        do {
            lock = try DataDirLock(dataDir: config.dataDir)
        } catch let error as DataDirLock.LockError {
            throw CLIError(error.description, hint: "stop the other server first, or pass another --data")
        }
        defer { withExtendedLifetime(lock) {} }
        let store = try await Store(.forServer(config))
        let report = try await store.bootstrap(adminEmail: config.adminEmail, adminPassword: config.adminPassword, demo: config.demoEnabled)
        if !json { printBanner(report) }
        if let demo = report.demoTenant, config.demoSample {
            let sample = try await DemoSample.fill(store, tenant: demo.id)
            if !json {
                Output.line("  filled with a sample: \(sample.businesses) businesses, \(sample.users) more people, \(sample.products) products, \(sample.priceLists) price lists")
            }
        }

        let notifier = SystemdNotifier(store: store, logger: logger)
        let app = try await buildApplication(
            config: config, logger: logger, store: store, metrics: metrics,
            // The end-to-end crash test's probe jobs (debug builds, when asked; Tests/e2e/test_jobs_crash.py).
            registerJobs: { registry, _ in try TestProbe.registerIfAsked(registry) }
        ) { port in
            let host = config.host == "0.0.0.0" ? "localhost" : config.host
            let url = "http://\(host):\(port)"
            if json {
                try? Output.jsonLine(Started(url: url, version: TradepostVersion.current, admin: report.admin, demoTenant: report.demoTenant?.slug, demoOwner: report.demoOwner))
            } else {
                Output.line("Tradepost \(TradepostVersion.current) is listening on \(url)")
            }
            logger.info("listening", metadata: ["address": "\(config.host):\(port)", "data": "\(config.dataDir)"])
            notifier.ready()
        } onS3Listening: { port in
            let host = config.s3Host == "0.0.0.0" ? "localhost" : config.s3Host
            if !json { Output.line("S3 API on http://\(host):\(port) (keys: tradepost s3 key create --tenant T)") }
            logger.info("s3 listening", metadata: ["address": "\(config.s3Host):\(port)"])
        }
        let group = ServiceGroup(configuration: .init(
            services: [app, notifier], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }

    /// Credentials made on this start are printed once; afterwards only their hashes exist.
    static func printBanner(_ report: Store.BootstrapReport) {
        if let admin = report.admin {
            Output.line("First platform admin: \(admin.email)")
            if let password = admin.generatedPassword { Output.line("  password: \(password)   (shown once; change it after logging in)") }
        }
        if let demo = report.demoTenant, let owner = report.demoOwner {
            Output.line("Demo tenant \"\(demo.slug)\": owner \(owner.email)")
            if let password = owner.generatedPassword { Output.line("  password: \(password)   (shown once)") }
        }
    }

    /// Each open tenant database holds a few descriptors; lift the soft limit to the hard one.
    static func raiseFileLimit(logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            logger.warning("could not raise the open-file limit")
        }
    }
}

enum LoggingSetup {
    /// JSON lines (journald-friendly) or plain text on stdout.
    static func bootstrap(level: String, format: String) -> Logger {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            if format == "text" {
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = logLevel
                return handler
            }
            return JSONLogHandler(label: label, level: logLevel)
        }
        var logger = Logger(label: "tradepost")
        logger.logLevel = logLevel
        return logger
    }
}
