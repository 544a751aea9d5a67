import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Tenant users, in each tenant's own database. Plan limits come from the control database.
public final class SQLiteUserService: UserService {
    let control: ControlDatabase
    let tenants: TenantDatabases
    let hasher: any PasswordHasher
    let stats: StoreStats
    /// Called after a user is disabled or loses their password, to end their sessions and tokens.
    let revokeCredentials: @Sendable (TenantID, String) async throws -> Void

    public init(
        control: ControlDatabase, tenants: TenantDatabases, hasher: any PasswordHasher, stats: StoreStats,
        revokeCredentials: @escaping @Sendable (TenantID, String) async throws -> Void
    ) {
        self.control = control
        self.tenants = tenants
        self.hasher = hasher
        self.stats = stats
        self.revokeCredentials = revokeCredentials
    }

    public func createUser(_ caller: Caller, _ input: NewUser) async throws -> CreatedUser {
        let tenant = try caller.authorize(.usersManage)
        let audit = caller.audit
        let input = try input.validated()
        try Policy.authorize(caller.principal, .usersManage, PolicyFacts(newRole: input.role))
        let maxUsers = try await planUserLimit(tenant)
        let generated = input.password == nil ? Validator.generatePassword() : nil
        let hash = try await hasher.hash(input.password ?? generated!)
        let now = Date()
        let user = User(
            id: Identifier.make(now: now), email: input.email, name: input.name, role: input.role, kind: input.kind,
            disabled: false, locale: nil, createdAt: now, updatedAt: now, lastLoginAt: nil)
        try await mapErrors(stats, conflict: "A user with the email \(input.email) already exists in this tenant") {
            try await tenants.write(tenant) { db in
                if let maxUsers {
                    let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE disabled = 0") ?? 0
                    if count >= maxUsers {
                        throw AppError.conflict("The tenant's plan allows \(maxUsers) active users; disable one or change the plan")
                    }
                }
                try db.execute(
                    sql: """
                        INSERT INTO users (id, email, name, password_hash, role, kind, disabled, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
                        """,
                    arguments: [user.id, user.email, user.name, hash, user.role.rawValue, user.kind.rawValue, now, now])
                try AuditLog.tenant(db, audit, "user.create", target: user.id,
                                    detail: ["email": user.email, "role": user.role.rawValue, "kind": user.kind.rawValue])
                try Outbox.append(db, topic: Topic.userCreated, payload: UserEvent(user))
            }
        }
        return CreatedUser(user: user, generatedPassword: generated)
    }

    public func user(_ caller: Caller, id: String) async throws -> User {
        let tenant = try caller.authorize(.usersRead)
        return try await mapErrors(stats) {
            guard let user = try await tenants.read(tenant, { db in try Self.fetch(db, id: id) }) else {
                throw AppError.notFound("User")
            }
            return user
        }
    }

    public func user(_ tenant: TenantID, email: String) async throws -> User {
        try await mapErrors(stats) {
            guard let user = try await tenants.read(tenant, { db in
                try Row.fetchOne(db, sql: "SELECT * FROM users WHERE email = ?", arguments: [email.lowercased()]).map(User.init(row:))
            }) else { throw AppError.notFound("User") }
            return user
        }
    }

    public func users(_ caller: Caller, _ page: PageRequest, filter: UserFilter) async throws -> Page<User> {
        let tenant = try caller.authorize(.usersRead)
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                var sql = "SELECT * FROM users WHERE id > ?"
                var args: StatementArguments = [page.after ?? ""]
                if let query = filter.query?.trimmingCharacters(in: .whitespaces), !query.isEmpty {
                    sql += " AND (fold(name) LIKE ? ESCAPE '\\' OR fold(email) LIKE ? ESCAPE '\\')"
                    args += [likePattern(query), likePattern(query)]
                }
                if let role = filter.role {
                    sql += " AND role = ?"
                    args += [role.rawValue]
                }
                if !filter.includeDisabled { sql += " AND disabled = 0" }
                sql += " ORDER BY id LIMIT ?"
                args += [page.limit + 1]
                return try Row.fetchAll(db, sql: sql, arguments: args).map(User.init(row:))
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func updateUser(_ caller: Caller, id: String, _ update: UserUpdate) async throws -> User {
        let tenant = try caller.authorize(.usersManage)
        return try await apply(tenant, id: id, update, audit: caller.audit) { target in
            try Policy.authorize(caller.principal, .usersManage, PolicyFacts(targetRole: target.role, newRole: update.role))
        }
    }

    public func updateProfile(_ caller: Caller, _ update: UserUpdate) async throws -> User {
        try Policy.authorize(caller.principal, .accountUpdate)
        let tenant = try caller.tenant()
        return try await apply(tenant, id: caller.principal.userID, UserUpdate(name: update.name, locale: update.locale), audit: caller.audit) { _ in }
    }

    /// One user's change in one transaction: `authorize` decides with the user as stored, before
    /// the input is validated; revokes their credentials when they lose access.
    private func apply(
        _ tenant: TenantID, id: String, _ update: UserUpdate, audit: AuditContext, authorize: @escaping @Sendable (User) throws -> Void
    ) async throws -> User {
        let (user, lostAccess) = try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard var user = try Self.fetch(db, id: id) else { throw AppError.notFound("User") }
                try authorize(user)
                let update = try update.validated()
                let before = user
                if let name = update.name { user.name = name }
                if let role = update.role { user.role = role }
                if let kind = update.kind { user.kind = kind }
                if let disabled = update.disabled { user.disabled = disabled }
                if let locale = update.locale { user.locale = locale }
                guard user != before else { return (user, false) }
                if before.role == .owner && !before.disabled && (user.role != .owner || user.disabled) {
                    let owners = try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE role = 'owner' AND disabled = 0") ?? 0
                    if owners <= 1 { throw AppError.conflict("A tenant must keep at least one active owner") }
                }
                user.updatedAt = Date()
                try db.execute(
                    sql: "UPDATE users SET name = ?, role = ?, kind = ?, disabled = ?, locale = ?, updated_at = ? WHERE id = ?",
                    arguments: [user.name, user.role.rawValue, user.kind.rawValue, user.disabled, user.locale, user.updatedAt, id])
                try AuditLog.tenant(db, audit, Self.auditAction(before, user), target: id, detail: Self.changes(before, user))
                try Outbox.append(db, topic: Topic.userUpdated, payload: UserEvent(user))
                if user.disabled != before.disabled || user.kind != before.kind { try TalkAccess.bump(db) }
                return (user, user.disabled && !before.disabled)
            }
        }
        if lostAccess { try await revokeCredentials(tenant, id) }
        return user
    }

    public func setPassword(_ caller: Caller, id: String, password: String) async throws {
        let tenant = try caller.authorize(.usersManage)
        let audit = caller.audit
        var v = Validator()
        v.password("password", password)
        try v.check()
        let hash = try await hasher.hash(password)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let target = try Self.fetch(db, id: id) else { throw AppError.notFound("User") }
                try Policy.authorize(caller.principal, .usersManage, PolicyFacts(targetRole: target.role))
                try db.execute(sql: "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", arguments: [hash, Date(), id])
                guard db.changesCount == 1 else { throw AppError.notFound("User") }
                try AuditLog.tenant(db, audit, "user.password_set", target: id)
                if let user = try Self.fetch(db, id: id) { try Outbox.append(db, topic: Topic.userPasswordSet, payload: UserEvent(user)) }
            }
        }
        try await revokeCredentials(tenant, id)
    }

    public func changePassword(_ tenant: TenantID, id: String, current: String, new: String, audit: AuditContext) async throws {
        var v = Validator()
        v.password("new_password", new)
        try v.check()
        let stored = try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE id = ?", arguments: [id])
            }
        }
        guard let stored else { throw AppError.notFound("User") }
        guard await hasher.verify(current, hash: stored) else {
            throw AppError.invalidField("current_password", "is not your current password")
        }
        let hash = try await hasher.hash(new)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", arguments: [hash, Date(), id])
                try AuditLog.tenant(db, audit, "user.password_change", target: id)
            }
        }
    }

    public func userCount(_ tenant: TenantID) async throws -> Int {
        try await mapErrors(stats) {
            try await tenants.read(tenant) { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") ?? 0 }
        }
    }

    // MARK: - Helpers

    private func planUserLimit(_ tenant: TenantID) async throws -> Int? {
        try await mapErrors(stats) {
            try await control.pool.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT plans.max_users FROM tenants JOIN plans ON plans.slug = tenants.plan WHERE tenants.id = ?
                    """, arguments: [tenant.rawValue])
                else { throw AppError.notFound("Tenant") }
                return row["max_users"]
            }
        }
    }

    static func fetch(_ db: Database, id: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(User.init(row:))
    }

    static func auditAction(_ before: User, _ after: User) -> String {
        if before.role != after.role { return "user.role_change" }
        if before.disabled != after.disabled { return after.disabled ? "user.disable" : "user.enable" }
        return "user.update"
    }

    static func changes(_ before: User, _ after: User) -> [String: String] {
        var out: [String: String] = [:]
        if before.name != after.name { out["name"] = "\(before.name) -> \(after.name)" }
        if before.role != after.role { out["role"] = "\(before.role.rawValue) -> \(after.role.rawValue)" }
        if before.kind != after.kind { out["kind"] = "\(before.kind.rawValue) -> \(after.kind.rawValue)" }
        if before.disabled != after.disabled { out["disabled"] = "\(before.disabled) -> \(after.disabled)" }
        if before.locale != after.locale { out["locale"] = "\(before.locale ?? "-") -> \(after.locale ?? "-")" }
        return out
    }
}
