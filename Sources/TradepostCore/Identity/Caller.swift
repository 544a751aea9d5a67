/// Who is asking: the principal (user, tenant role, token scopes) and the audit context, resolved
/// once per request. Services take it and decide with `Policy` inside the transaction that reads
/// or writes what the decision guards; there they read the caller's business memberships
/// (`CallerFacts`), so a permission and the data it guards come from one snapshot and one trip.
public struct Caller: Sendable, Equatable {
    public var principal: Principal
    public var audit: AuditContext

    public init(_ principal: Principal, audit: AuditContext) {
        self.principal = principal
        self.audit = audit
    }

    public init(_ principal: Principal, ip: String?) {
        self.init(principal, audit: principal.audit(ip: ip))
    }

    /// The system acting for a tenant (the command line, the demo sample): an owner's rights,
    /// audited as `audit`, a member of no business.
    public static func system(_ tenant: TenantID, audit: AuditContext = .system) -> Caller {
        Caller(Principal(kind: .tenantUser, userID: audit.actor, email: audit.actorLabel ?? audit.actor, name: audit.actor,
                         tenantID: tenant, tenantSlug: nil, role: .owner, userKind: nil, locale: nil,
                         scopes: Set(Scope.allCases), credential: .session(id: "")), audit: audit)
    }

    /// The system acting for the platform (the command line on the server): a platform admin.
    public static func platformSystem(audit: AuditContext = .system) -> Caller {
        Caller(Principal(kind: .platformAdmin, userID: audit.actor, email: audit.actorLabel ?? audit.actor, name: audit.actor,
                         tenantID: nil, tenantSlug: nil, role: nil, userKind: nil, locale: nil,
                         scopes: Set(Scope.allCases), credential: .session(id: "")), audit: audit)
    }

    /// The caller's tenant. Throws `.forbidden` for a platform admin.
    public func tenant() throws -> TenantID { try principal.requireTenant() }

    /// For actions that need no facts beyond the caller: the tenant, once `action` is allowed.
    /// Throws `.forbidden`.
    @discardableResult
    public func authorize(_ action: Action) throws -> TenantID {
        try Policy.authorize(principal, action)
        return try tenant()
    }
}

/// The caller's standing in their tenant, read inside the transaction it decides for.
public struct CallerFacts: Sendable {
    public let caller: Caller
    /// The caller's role in each business they are a member of.
    public let memberships: [String: BusinessRole]
    /// A salesperson's active links: the businesses they act for and on which side.
    public let links: [String: TradeSide]

    public init(caller: Caller, memberships: [String: BusinessRole], links: [String: TradeSide] = [:]) {
        self.caller = caller
        self.memberships = memberships
        self.links = links
    }

    /// Whether the caller takes part in `business`'s trade: a member, or a salesperson linked to it.
    public func actsFor(_ business: String) -> Bool { memberships[business] != nil || links[business] != nil }

    /// Tenant admins see every product; members also their own businesses' unpublished ones.
    public var productVisibility: ProductVisibility {
        seesAll
            ? ProductVisibility(all: true, ownBusinesses: [])
            : ProductVisibility(all: false, ownBusinesses: Set(memberships.keys))
    }

    /// Whether the caller sees everything in the tenant (a tenant admin).
    public var seesAll: Bool { Policy.allows(caller.principal, .productsReview) }

    /// Throws `.forbidden` when the caller may not do `action` to `business` (nil: no business involved).
    public func authorize(_ action: Action, business: String? = nil) throws {
        try Policy.authorize(caller.principal, action, PolicyFacts(businessRole: business.flatMap { memberships[$0] },
                                                                      link: business.flatMap { links[$0] }))
    }
}
