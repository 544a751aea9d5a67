import Foundation

/// A login session, as its owner sees it in "my sessions".
public struct SessionInfo: Codable, Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    public var expiresAt: Date
    public var lastSeenAt: Date
    public var ip: String?
    public var userAgent: String?
    /// True for the session making the request.
    public var current: Bool

    public init(id: String, createdAt: Date, expiresAt: Date, lastSeenAt: Date, ip: String?, userAgent: String?, current: Bool) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt
        self.ip = ip
        self.userAgent = userAgent
        self.current = current
    }
}

/// A personal API token (the secret is shown only when it is created).
public struct APIToken: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var scopes: [Scope]
    public var createdAt: Date
    public var expiresAt: Date
    public var lastUsedAt: Date?
    /// The first characters of the secret, so a user can tell tokens apart.
    public var prefix: String

    public init(id: String, name: String, scopes: [Scope], createdAt: Date, expiresAt: Date, lastUsedAt: Date?, prefix: String) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.prefix = prefix
    }
}

public struct NewAPIToken: Sendable {
    public static let maxDays = 366

    public var name: String
    public var scopes: [Scope]
    public var expiresInDays: Int

    public init(name: String, scopes: [Scope], expiresInDays: Int = 90) {
        self.name = name
        self.scopes = scopes
        self.expiresInDays = expiresInDays
    }

    public func validated() throws -> NewAPIToken {
        var v = Validator()
        let name = v.text("name", name, max: 80)
        if scopes.isEmpty { v.fail("scopes", "must name at least one scope") }
        if expiresInDays < 1 || expiresInDays > NewAPIToken.maxDays {
            v.fail("expires_in_days", "must be from 1 to \(NewAPIToken.maxDays)")
        }
        try v.check()
        return NewAPIToken(name: name, scopes: Array(Set(scopes)).sorted(), expiresInDays: expiresInDays)
    }
}

/// Where a login or request came from.
public struct ClientInfo: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    public init(ip: String?, userAgent: String?) {
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(300)) }
    }
}

public struct LoginRequest: Sendable {
    /// The tenant's slug; nil logs in a platform admin.
    public var tenant: String?
    public var email: String
    public var password: String

    public init(tenant: String?, email: String, password: String) {
        self.tenant = tenant
        self.email = email
        self.password = password
    }
}

/// A new session: the secret token goes to the client once and is stored only as its SHA-256.
public struct LoginResult: Sendable {
    public var token: String
    public var session: SessionInfo
    public var principal: Principal

    public init(token: String, session: SessionInfo, principal: Principal) {
        self.token = token
        self.session = session
        self.principal = principal
    }
}
