import Foundation

/// A user's role within their tenant.
public enum TenantRole: String, Codable, Sendable, CaseIterable, Comparable {
    case member
    case admin
    case owner

    var rank: Int {
        switch self {
        case .member: 0
        case .admin: 1
        case .owner: 2
        }
    }
    public static func < (lhs: TenantRole, rhs: TenantRole) -> Bool { lhs.rank < rhs.rank }
}

/// What a user does in the trade. A salesperson works between businesses (linked to them later).
public enum UserKind: String, Codable, Sendable, CaseIterable {
    case member
    case salesperson
}

/// A person who logs into one tenant. Email is unique within the tenant.
public struct User: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String
    public var role: TenantRole
    public var kind: UserKind
    public var disabled: Bool
    /// Preferred interface language ("en", "ru", "uk"), nil to follow the browser.
    public var locale: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var lastLoginAt: Date?

    public init(
        id: String, email: String, name: String, role: TenantRole, kind: UserKind, disabled: Bool,
        locale: String?, createdAt: Date, updatedAt: Date, lastLoginAt: Date?
    ) {
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.kind = kind
        self.disabled = disabled
        self.locale = locale
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastLoginAt = lastLoginAt
    }
}

public let supportedLocales: Set<String> = ["en", "ru", "uk"]

public struct NewUser: Sendable {
    public var email: String
    public var name: String
    /// nil: a random password is generated and returned once.
    public var password: String?
    public var role: TenantRole
    public var kind: UserKind

    public init(email: String, name: String, password: String?, role: TenantRole = .member, kind: UserKind = .member) {
        self.email = email
        self.name = name
        self.password = password
        self.role = role
        self.kind = kind
    }

    public func validated() throws -> NewUser {
        var v = Validator()
        let email = v.email("email", email)
        let name = v.text("name", name, max: 120)
        if let password { v.password("password", password) }
        try v.check()
        return NewUser(email: email, name: name, password: password, role: role, kind: kind)
    }
}

public struct UserUpdate: Sendable, Equatable {
    public var name: String?
    public var role: TenantRole?
    public var kind: UserKind?
    public var disabled: Bool?
    public var locale: String??

    public init(name: String? = nil, role: TenantRole? = nil, kind: UserKind? = nil, disabled: Bool? = nil, locale: String?? = nil) {
        self.name = name
        self.role = role
        self.kind = kind
        self.disabled = disabled
        self.locale = locale
    }

    public func validated() throws -> UserUpdate {
        var v = Validator()
        var copy = self
        if let name { copy.name = v.text("name", name, max: 120) }
        if case .some(.some(let locale)) = locale, !supportedLocales.contains(locale) {
            v.fail("locale", "must be one of en, ru, uk")
        }
        try v.check()
        return copy
    }
}

public struct UserFilter: Sendable {
    /// Matches name or email, case-insensitively.
    public var query: String?
    public var role: TenantRole?
    public var includeDisabled: Bool

    public init(query: String? = nil, role: TenantRole? = nil, includeDisabled: Bool = true) {
        self.query = query
        self.role = role
        self.includeDisabled = includeDisabled
    }
}

/// A user as created, with the generated password when none was given (shown exactly once).
public struct CreatedUser: Sendable {
    public var user: User
    public var generatedPassword: String?
    public init(user: User, generatedPassword: String?) {
        self.user = user
        self.generatedPassword = generatedPassword
    }
}
