/// Everything a caller can ask to do. Each action has one rule in `Policy`.
public enum Action: String, Sendable, CaseIterable {
    // Platform administration
    case tenantsRead = "tenants.read"
    case tenantsManage = "tenants.manage"

    // The caller's own account
    case accountRead = "account.read"
    case accountUpdate = "account.update"
    case tokensManage = "account.tokens"

    // Inside a tenant
    case tenantRead = "tenant.read"
    case usersRead = "users.read"
    case usersManage = "users.manage"
    case businessesRead = "businesses.read"
    case businessesCreate = "businesses.create"
    case businessUpdate = "business.update"
    case businessMembersManage = "business.members"
    case businessesVerify = "businesses.verify"

    // The catalog: every member reads published products; tenant admins run the tree, moderation and search
    // settings; members of a business manage its products.
    case catalogRead = "catalog.read"
    case categoriesManage = "categories.manage"
    case productsManage = "products.manage"
    case productsReview = "products.review"
    case catalogSettings = "catalog.settings"

    // Stock: a business's members see and move its warehouses' stock; tenant admins too, and they
    // alone reconcile the tenant's ledger.
    case stockRead = "stock.read"
    case stockManage = "stock.manage"
    case stockReconcile = "stock.reconcile"

    // Orders: a buyer business's members place and follow its orders; the seller's members handle
    // the orders placed with it; tenant admins do both.
    case ordersRead = "orders.read"
    case ordersPlace = "orders.place"
    case ordersManage = "orders.manage"

    // Conversations: whoever takes part (decided from the data: members of either business, linked
    // salespeople, the two users of a direct conversation); salespeople's identities: tenant admins.
    case conversationsRead = "conversations.read"
    case conversationsWrite = "conversations.write"
    case salespeopleVerify = "salespeople.verify"

    // Background jobs: tenant admins see their tenant's, platform admins everyone's.
    case jobsRead = "jobs.read"
    case jobsManage = "jobs.manage"
    /// Pausing queues and starting jobs by hand: platform admins only.
    case queuesManage = "queues.manage"

    /// S3 access keys and the tenant's buckets: tenant admins.
    case storageManage = "storage.manage"

    /// The audit trail: a tenant's for its admins, the platform's for platform admins.
    case auditRead = "audit.read"

    /// One's own notifications and their settings.
    case notificationsRead = "notifications.read"
    case notificationsUpdate = "notifications.update"
    /// The tenant's outbound webhooks and its channels (mail, SMS, Telegram), for its admins.
    case webhooksManage = "webhooks.manage"
    case channelsManage = "channels.manage"

    /// The least scope an API token needs for the action.
    public var requiredScope: Scope {
        switch self {
        case .tenantsRead, .accountRead, .tenantRead, .usersRead, .businessesRead, .jobsRead, .catalogRead, .auditRead, .stockRead, .ordersRead, .conversationsRead, .notificationsRead: .read
        case .accountUpdate, .businessUpdate, .businessMembersManage, .productsManage, .stockManage, .ordersPlace, .ordersManage, .conversationsWrite, .notificationsUpdate: .write
        case .tenantsManage, .tokensManage, .usersManage, .businessesCreate, .jobsManage, .queuesManage, .categoriesManage, .businessesVerify,
             .productsReview, .catalogSettings, .storageManage, .stockReconcile, .salespeopleVerify, .webhooksManage, .channelsManage: .admin
        }
    }
}

/// Facts about the target that some rules need (looked up by the caller before asking).
public struct PolicyFacts: Sendable {
    /// The caller's role in the business being changed.
    public var businessRole: BusinessRole?
    /// The current role of the user being changed.
    public var targetRole: TenantRole?
    /// The role the change would give them.
    public var newRole: TenantRole?
    /// The side an active salesperson link lets the caller act for in the business.
    public var link: TradeSide?

    public init(businessRole: BusinessRole? = nil, targetRole: TenantRole? = nil, newRole: TenantRole? = nil, link: TradeSide? = nil) {
        self.businessRole = businessRole
        self.link = link
        self.targetRole = targetRole
        self.newRole = newRole
    }
}
