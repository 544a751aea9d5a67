import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Everything persistent, opened once per process and passed to whoever needs it
/// (the server, or one CLI command). No globals.
public final class Store: Sendable {
    public struct Options: Sendable {
        public var dataDir: String
        public var maxOpenTenants: Int
        public var sessionTTL: TimeInterval
        public var hasher: any PasswordHasher
        public var throttle: LoginThrottle
        /// Conversations' limits.
        public var talk = TalkSettings()
        /// Why an outgoing URL may not be called (webhooks): the server passes `DestinationGuard`'s
        /// check; alone, every destination is allowed.
        public var destinationProblem: @Sendable (URL) async -> String? = { _ in nil }
        /// How message text is cut into terms for its index: the server passes the catalog's
        /// analyzer (`TradepostSearch.Analyzer.terms`); alone, words folded to lower case.
        public var analyze: @Sendable (String) -> [String] = { $0.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init) }
        /// The server's public URL, for the webhook addresses channels show.
        public var baseURL = "http://localhost:8080"

        public init(
            dataDir: String, maxOpenTenants: Int = 64, sessionTTL: TimeInterval = 30 * 86400,
            hasher: any PasswordHasher, throttle: LoginThrottle = LoginThrottle()
        ) {
            self.dataDir = dataDir
            self.maxOpenTenants = maxOpenTenants
            self.sessionTTL = sessionTTL
            self.hasher = hasher
            self.throttle = throttle
        }

        public init(config: TradepostConfig, analyze: (@Sendable (String) -> [String])? = nil) {
            self.init(
                dataDir: config.dataDir, maxOpenTenants: config.maxOpenTenants,
                sessionTTL: TimeInterval(config.sessionTTLHours) * 3600, hasher: BcryptHasher(cost: config.bcryptCost))
            talk = config.talk
            baseURL = config.baseURL
            if let analyze { self.analyze = analyze }
        }
    }

    public let dataDir: String
    public let control: ControlDatabase
    public let tenantDatabases: TenantDatabases
    public let stats: StoreStats
    public let tenants: SQLiteTenantService
    public let users: SQLiteUserService
    public let businesses: SQLiteBusinessService
    public let admins: SQLitePlatformAdminService
    public let auth: SQLiteAuthService
    public let categories: SQLiteCategoryService
    public let products: SQLiteProductService
    public let catalogImports: SQLiteCatalogImportService
    public let priceLists: SQLitePriceListService
    public let stock: SQLiteStockService
    public let orders: SQLiteOrderService
    public let fulfilment: SQLiteFulfilmentService
    public let returns: SQLiteReturnService
    public let promos: SQLitePromoService
    public let proposals: SQLiteProposalService
    public let conversations: SQLiteConversationService
    public let negotiations: SQLiteNegotiationService
    public let salespeople: SQLiteSalespersonService
    public let s3Keys: SQLiteS3KeyService
    public let notifications: SQLiteNotificationService
    public let webhooks: SQLiteWebhookService
    public let channels: SQLiteChannelService
    public let telegram: SQLiteTelegramStore
    public let inbox: SQLiteInboxService
    public let audit: SQLiteAuditService

    /// Opens (creating if needed) and migrates the control database; tenant files open lazily.
    public init(_ options: Options) async throws {
        dataDir = options.dataDir
        control = try ControlDatabase(dataDir: options.dataDir)
        tenantDatabases = try TenantDatabases(dataDir: options.dataDir, maxOpen: options.maxOpenTenants)
        let stats = StoreStats()
        self.stats = stats
        let auth = SQLiteAuthService(
            control: control, tenants: tenantDatabases, hasher: options.hasher, throttle: options.throttle,
            sessionTTL: options.sessionTTL, stats: stats)
        self.auth = auth
        let users = SQLiteUserService(
            control: control, tenants: tenantDatabases, hasher: options.hasher, stats: stats,
            revokeCredentials: { tenant, user in try await auth.revokeAll(userID: user, tenantID: tenant, except: nil) })
        self.users = users
        tenants = SQLiteTenantService(control: control, tenants: tenantDatabases, users: users, stats: stats)
        businesses = SQLiteBusinessService(tenants: tenantDatabases, stats: stats)
        categories = SQLiteCategoryService(tenants: tenantDatabases, stats: stats)
        products = SQLiteProductService(tenants: tenantDatabases, stats: stats)
        priceLists = SQLitePriceListService(tenants: tenantDatabases, stats: stats)
        stock = SQLiteStockService(tenants: tenantDatabases, stats: stats)
        orders = SQLiteOrderService(tenants: tenantDatabases, stats: stats)
        fulfilment = SQLiteFulfilmentService(tenants: tenantDatabases, stats: stats)
        returns = SQLiteReturnService(tenants: tenantDatabases, stats: stats)
        promos = SQLitePromoService(tenants: tenantDatabases, stats: stats)
        proposals = SQLiteProposalService(tenants: tenantDatabases, stats: stats)
        conversations = SQLiteConversationService(tenants: tenantDatabases, stats: stats, settings: options.talk, analyze: options.analyze)
        negotiations = SQLiteNegotiationService(tenants: tenantDatabases, stats: stats, analyze: options.analyze)
        salespeople = SQLiteSalespersonService(tenants: tenantDatabases, stats: stats)
        catalogImports = SQLiteCatalogImportService(tenants: tenantDatabases, stats: stats, dataDir: options.dataDir)
        let box = try SecretBox(dataDir: options.dataDir)
        s3Keys = SQLiteS3KeyService(control: control, tenants: tenantDatabases, box: box, stats: stats)
        let tenantService = tenants
        notifications = SQLiteNotificationService(tenants: tenantDatabases, stats: stats, box: box) { id in
            let t = try await tenantService.tenant(id: id)
            return (t.name, t.timeZone)
        }
        channels = SQLiteChannelService(tenants: tenantDatabases, stats: stats, box: box)
        telegram = SQLiteTelegramStore(tenants: tenantDatabases, stats: stats, box: box)
        inbox = SQLiteInboxService(tenants: tenantDatabases, stats: stats, box: box, baseURL: options.baseURL, analyze: options.analyze) { slug in
            try await tenantService.tenant(slug: slug)
        }
        webhooks = SQLiteWebhookService(tenants: tenantDatabases, stats: stats, box: box, destinationProblem: options.destinationProblem)
        audit = SQLiteAuditService(control: control, tenants: tenantDatabases)
        admins = SQLitePlatformAdminService(
            control: control, hasher: options.hasher, stats: stats,
            revokeCredentials: { admin in try await auth.revokeAll(userID: admin, tenantID: nil, except: nil) })
    }

    /// Why the control database cannot take a write right now, or nil when it can (for /readyz).
    public func controlWriteProblem() async -> String? {
        guard FileManager.default.isWritableFile(atPath: control.path) else { return "control.sqlite is read-only" }
        do {
            try await control.pool.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
            return nil
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            return "the disk is full"
        } catch {
            return "cannot take the write lock"
        }
    }

    /// Deletes sessions and API tokens that expired or were revoked more than a week ago.
    public func pruneExpiredCredentials() async throws {
        let cutoff = Date().addingTimeInterval(-7 * 86400)
        try await control.pool.write { db in
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?", arguments: [cutoff, cutoff])
            try db.execute(sql: "DELETE FROM api_tokens WHERE expires_at < ? OR revoked_at < ?", arguments: [cutoff, cutoff])
        }
    }

    /// Forgets a tenant's `Idempotency-Key` answers older than a day (retries come within minutes),
    /// the live socket's order changes older than a week, and files uploaded for messages never
    /// sent within a day.
    public func pruneIdempotencyKeys(_ tenant: TenantID) async throws {
        try await tenantDatabases.write(tenant) { db in
            try IdempotencyRecords.sweep(db, now: Date())
            try LiveFeed.sweep(db, now: Date())
            try ConversationRows.sweepUnsent(db, now: Date())
        }
    }

    /// Checkpoints and closes every database. Call once, after the last request finished.
    public func close() async {
        await tenantDatabases.closeAll()
        control.close()
    }
}

extension Store: SystemStatus {
    public var openTenantDatabases: Int { tenantDatabases.openCount }
    public var busyErrors: Int { stats.busyErrors }
}
