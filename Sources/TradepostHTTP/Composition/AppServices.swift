import TradepostBlobs
import TradepostCore
import TradepostDocuments
import TradepostStore
import TradepostWiring

/// The services the routes call, as protocols so tests can substitute any of them.
public struct AppServices: Sendable {
    public var tenants: any TenantService
    public var users: any UserService
    public var businesses: any BusinessService
    public var admins: any PlatformAdminService
    public var auth: any AuthService
    public var jobs: any JobService
    public var categories: any CategoryService
    public var products: any ProductService
    public var search: any SearchService
    public var imports: any CatalogImportService
    public var priceLists: any PriceListService
    public var stock: any StockService
    public var orders: any OrderService
    /// Shipments, invoices, payments, legal details, credit limits.
    public var fulfilment: any FulfilmentService
    /// Orders, invoices and payments as CSV for accounting.
    public var exports: any TradeExportService
    /// Returns and credit notes.
    public var returns: any ReturnService
    /// Sellers' promo codes.
    public var promos: any PromoService
    /// Proposed changes to placed orders.
    public var proposals: any OrderProposalService
    /// Conversations and messages.
    public var conversations: any ConversationService
    /// Offers, requests for quote, counters and acceptance.
    public var negotiations: any NegotiationService
    /// Salespeople's links and identities.
    public var salespeople: any SalespersonService
    /// The conversations' limits (attachments' size and types).
    public var talk: TalkSettings
    /// Invoices' and credit notes' PDFs (made once, kept in the blob store).
    public var documents: TradeDocuments
    public var s3Keys: any S3KeyService
    public var audit: any AuditService
    public var tenantRestore: any TenantRestoreService
    /// Buckets, objects and pictures' bytes; the S3 listener shares this one instance.
    public var blobs: any BlobStore
    /// Which picture a product or business has, decided for the caller.
    public var media: any MediaService
    /// The notification centre and users' settings.
    public var notifications: any NotificationService
    /// Outbound webhooks.
    public var webhooks: any WebhookService
    /// The tenant's mail relay (and the other channels' settings).
    public var channels: any ChannelService
    /// The tenant's SMS gateway.
    public var sms: any SMSChannelService
    /// The tenant's Telegram bot, users' links, Mini App sign-in.
    public var telegram: any TelegramService
    /// The shared inbox: channels, contacts, channel conversations, agents.
    public var inbox: any InboxService
    /// Channels' "test connection".
    public var inboxTester: any InboxChannelTester

    public init(
        tenants: any TenantService, users: any UserService, businesses: any BusinessService,
        admins: any PlatformAdminService, auth: any AuthService, jobs: any JobService, categories: any CategoryService,
        products: any ProductService, search: any SearchService, imports: any CatalogImportService,
        priceLists: any PriceListService, stock: any StockService, orders: any OrderService,
        fulfilment: any FulfilmentService, exports: any TradeExportService, returns: any ReturnService, promos: any PromoService, proposals: any OrderProposalService,
        conversations: any ConversationService, negotiations: any NegotiationService, salespeople: any SalespersonService, talk: TalkSettings,
        s3Keys: any S3KeyService, audit: any AuditService, tenantRestore: any TenantRestoreService,
        blobs: any BlobStore, media: any MediaService, notifications: any NotificationService, webhooks: any WebhookService,
        channels: any ChannelService & SMSChannelService, telegram: any TelegramService, inbox: any InboxService, inboxTester: any InboxChannelTester
    ) {
        self.inbox = inbox
        self.inboxTester = inboxTester
        self.channels = channels
        self.sms = channels
        self.telegram = telegram
        self.notifications = notifications
        self.webhooks = webhooks
        self.tenants = tenants
        self.users = users
        self.businesses = businesses
        self.admins = admins
        self.auth = auth
        self.jobs = jobs
        self.categories = categories
        self.products = products
        self.search = search
        self.imports = imports
        self.priceLists = priceLists
        self.stock = stock
        self.orders = orders
        self.fulfilment = fulfilment
        self.exports = exports
        self.returns = returns
        self.promos = promos
        self.proposals = proposals
        self.conversations = conversations
        self.negotiations = negotiations
        self.salespeople = salespeople
        self.talk = talk
        documents = TradeDocuments(fulfilment: fulfilment, returns: returns, blobs: blobs)
        self.s3Keys = s3Keys
        self.audit = audit
        self.tenantRestore = tenantRestore
        self.blobs = blobs
        self.media = media
    }

    public init(store: Store, jobs: any JobService, search: any SearchService, talk: TalkSettings = TalkSettings(), channels: (any ChannelService & SMSChannelService)? = nil,
                telegram: TelegramDirectory? = nil, inboxTester: (any InboxChannelTester)? = nil) {
        let blobs = ObjectStore(dataDir: store.dataDir, tenants: store.tenantDatabases)
        let telegram = telegram ?? TelegramDirectory(store: store, search: search, baseURL: "http://localhost", settings: NotifySettings())
        self.init(tenants: store.tenants, users: store.users, businesses: store.businesses, admins: store.admins, auth: store.auth,
                  jobs: jobs, categories: store.categories, products: store.products, search: search,
                  imports: store.catalogImports, priceLists: store.priceLists, stock: store.stock, orders: store.orders,
                  fulfilment: store.fulfilment, exports: store.fulfilment, returns: store.returns, promos: store.promos, proposals: store.proposals,
                  conversations: store.conversations, negotiations: store.negotiations, salespeople: store.salespeople, talk: talk,
                  s3Keys: store.s3Keys, audit: store.audit,
                  tenantRestore: store.tenantRestore, blobs: blobs,
                  media: SQLiteMediaService(tenants: store.tenantDatabases, blobs: blobs, stats: store.stats),
                  notifications: store.notifications, webhooks: store.webhooks,
                  channels: channels ?? ChannelDirectory(store: store, baseURL: "http://localhost"),
                  telegram: telegram, inbox: store.inbox,
                  inboxTester: inboxTester ?? InboxJobs(store: store, settings: NotifySettings(), telegram: telegram))
    }
}
