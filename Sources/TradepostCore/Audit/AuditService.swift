import Foundation

/// One entry of an audit trail: who did what, when, from where. `detail` holds before/after values
/// for security-relevant changes (roles, statuses, prices).
public struct AuditEntry: Codable, Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var actorLabel: String?
    public var ip: String?
    public var action: String
    public var target: String?
    /// What `target` names, by its name today (filled when a trail is read; nil when deleted since).
    public var targetLabel: String?
    public var detail: [String: String]?
    public var hash: String?

    public init(id: Int64, at: Date, actor: String, actorLabel: String?, ip: String?, action: String, target: String?,
                detail: [String: String]?, hash: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.actorLabel = actorLabel
        self.ip = ip
        self.action = action
        self.target = target
        self.detail = detail
        self.hash = hash
    }

    enum CodingKeys: String, CodingKey {
        case id, at, actor, ip, action, target, detail, hash
        case actorLabel = "actor_label"
        case targetLabel = "target_label"
    }
}

/// Filters for reading an audit trail, newest first.
public struct AuditFilter: Sendable, Equatable {
    /// Exact action ("auth.login") or a family ending in a dot ("product.").
    public var action: String?
    public var actor: String?
    public var target: String?
    public var since: Date?
    public var until: Date?
    /// Entries older than this id (the next page of a newest-first listing).
    public var before: Int64?
    public var limit: Int

    public init(action: String? = nil, actor: String? = nil, target: String? = nil, since: Date? = nil, until: Date? = nil,
                before: Int64? = nil, limit: Int = 50) {
        self.action = action
        self.actor = actor
        self.target = target
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
    }
}

/// What checking a hash chain found; no problems means no entry was edited or deleted.
public struct AuditVerification: Codable, Sendable, Equatable {
    public var entries: Int
    public var sealed: Int
    public var unsealed: Int
    public var problems: [String]
    public var ok: Bool { problems.isEmpty }

    public init(entries: Int, sealed: Int, unsealed: Int, problems: [String]) {
        self.entries = entries
        self.sealed = sealed
        self.unsealed = unsealed
        self.problems = problems
    }

    enum CodingKeys: String, CodingKey { case entries, sealed, unsealed, problems, ok }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entries, forKey: .entries)
        try c.encode(sealed, forKey: .sealed)
        try c.encode(unsealed, forKey: .unsealed)
        try c.encode(problems, forKey: .problems)
        try c.encode(ok, forKey: .ok)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        entries = try c.decode(Int.self, forKey: .entries)
        sealed = try c.decode(Int.self, forKey: .sealed)
        unsealed = try c.decode(Int.self, forKey: .unsealed)
        problems = try c.decode([String].self, forKey: .problems)
    }
}

/// Which trail: the caller's tenant's (its database) or the platform's (the control database).
public enum AuditTrail: Sendable {
    /// Read with `audit.read` in the caller's own tenant.
    case tenant
    /// Read by platform admins (`tenants.read`).
    case platform
}

/// The audit trails: one per tenant and the platform's.
public protocol AuditService: Sendable {
    /// Entries of a trail, newest first. Throws `.forbidden`, `.notFound` for an unknown tenant.
    func entries(_ caller: Caller, _ trail: AuditTrail, _ filter: AuditFilter) async throws -> [AuditEntry]

    /// Recomputes the hash chain. Throws `.forbidden`, `.notFound` for an unknown tenant.
    func verify(_ caller: Caller, _ trail: AuditTrail) async throws -> AuditVerification
}
