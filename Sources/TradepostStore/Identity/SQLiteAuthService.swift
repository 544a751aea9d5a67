import Foundation
import GRDB
import Synchronization
import TradepostCore
import TradepostDatabase

/// Logins, sessions and API tokens. Secrets live only as SHA-256 in `control.sqlite`. The
/// principal behind a credential is kept in a `CredentialCache` that the data dir's `AuthEpoch`
/// invalidates on every commit that could change it, so a revocation, a disable, a role change or
/// a suspension takes effect on the next request while unchanged credentials cost no read.
public final class SQLiteAuthService: AuthService {
    static let sessionPrefix = "tps_"
    static let tokenPrefix = "tpt_"
    /// last_seen_at is written at most this often per session, to keep requests read-only.
    static let touchInterval: TimeInterval = 60

    let control: ControlDatabase
    let tenants: TenantDatabases
    let hasher: any PasswordHasher
    let throttle: LoginThrottle
    let sessionTTL: TimeInterval
    let stats: StoreStats
    /// A real bcrypt hash checked when the account does not exist, so both paths take as long.
    /// Made on first need, not at start, so the server starts in milliseconds.
    let decoy = Mutex<String?>(nil)
    let cache: CredentialCache

    public init(
        control: ControlDatabase, tenants: TenantDatabases, hasher: any PasswordHasher, throttle: LoginThrottle,
        sessionTTL: TimeInterval, stats: StoreStats
    ) {
        self.control = control
        self.tenants = tenants
        self.hasher = hasher
        self.throttle = throttle
        self.sessionTTL = sessionTTL
        self.stats = stats
        cache = CredentialCache(epoch: AuthEpoch.at(dataDir: (control.path as NSString).deletingLastPathComponent))
    }

    private func decoyHash() async throws -> String {
        if let hash = decoy.withLock({ $0 }) { return hash }
        let hash = try await hasher.hash(Validator.generatePassword())
        decoy.withLock { $0 = hash }
        return hash
    }

    public func login(_ request: LoginRequest, client: ClientInfo) async throws -> LoginResult {
        let email = request.email.trimmingCharacters(in: .whitespaces).lowercased()
        let tenantSlug = request.tenant?.trimmingCharacters(in: .whitespaces).lowercased()
        let accountKey = LoginThrottle.accountKey(tenant: tenantSlug, email: email)
        let addressKey = LoginThrottle.addressKey(client.ip)
        try throttle.check([accountKey] + (addressKey.map { [$0] } ?? []))

        let account = try await mapErrors(stats) { try await findAccount(tenantSlug: tenantSlug, email: email) }
        let storedHash: String
        if let account { storedHash = account.passwordHash } else { storedHash = try await decoyHash() }
        let valid = await hasher.verify(request.password, hash: storedHash)
        guard let account, valid else {
            throttle.recordFailure(account: accountKey, address: addressKey)
            throw AppError(.unauthenticated, "Wrong tenant, email or password")
        }
        throttle.recordSuccess(account: accountKey)
        if account.disabled { throw AppError(.unauthenticated, "This account is disabled") }
        if account.tenantStatus == .suspended {
            throw AppError(.tenantSuspended, "This tenant is suspended. Contact your platform administrator.")
        }
        return try await mapErrors(stats) { try await openSession(for: account, client: client) }
    }

    public func authenticate(token: String) async throws -> Principal {
        let isSession = token.hasPrefix(Self.sessionPrefix)
        guard isSession || token.hasPrefix(Self.tokenPrefix), token.utf8.count < 100 else { throw AppError.unauthenticated }
        let hash = Secrets.hash(token)
        let now = Date()
        if let cached = cache.entry(hash, now: now) {
            if now.timeIntervalSince(cached.credential.lastSeen ?? .distantPast) > Self.touchInterval {
                try await mapErrors(stats) { try await touch(cached.credential, now: now) }
                cache.touched(hash, at: now)
            }
            return cached.principal
        }
        // Read before the databases: a change committed meanwhile leaves this entry already stale.
        let epoch = cache.epoch.current
        // Synchronous reads on this thread: every request comes here, and these lookups take microseconds.
        let credential = try await mapErrors(stats) {
            try control.pool.readNow { db in try Self.findCredential(db, hash: hash, isSession: isSession, now: now) }
        }
        guard var credential else { throw AppError(.unauthenticated, "The session or token is invalid or has expired") }
        let principal = try await mapErrors(stats) { try await loadPrincipal(credential) }
        if now.timeIntervalSince(credential.lastSeen ?? .distantPast) > Self.touchInterval {
            try await mapErrors(stats) { try await touch(credential, now: now) }
            credential.lastSeen = now
        }
        cache.store(hash, CredentialCache.Entry(principal: principal, credential: credential, expiresAt: credential.expiresAt, epoch: epoch))
        return principal
    }

    public func logout(sessionID: String) async throws {
        try await mapErrors(stats) {
            try await control.pool.write { db in
                try db.execute(sql: "UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [Date(), sessionID])
            }
        }
    }

    public func revokeAll(userID: String, tenantID: TenantID?, except: Credential?) async throws {
        try await mapErrors(stats) {
            try await control.pool.write { db in
                let now = Date()
                try db.execute(sql: """
                    UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND tenant_id IS ? AND revoked_at IS NULL AND id IS NOT ?
                    """, arguments: [now, userID, tenantID?.rawValue, except?.sessionID])
                try db.execute(sql: """
                    UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND tenant_id IS ? AND revoked_at IS NULL
                    """, arguments: [now, userID, tenantID?.rawValue])
            }
        }
    }

    // MARK: - Helpers

    struct Account: Sendable {
        var kind: Principal.Kind
        var id: String
        var passwordHash: String
        var disabled: Bool
        var tenantID: TenantID?
        var tenantStatus: TenantStatus?
        /// How the audit trail names the person signing in (as it names every actor).
        var email: String? = nil
    }

    struct StoredCredential: Sendable {
        var credential: Credential
        var kind: Principal.Kind
        var userID: String
        var tenantID: TenantID?
        var tenantSlug: String?
        var tenantName: String?
        var tenantStatus: TenantStatus?
        var scopes: Set<Scope>
        var lastSeen: Date?
        var expiresAt: Date
    }

    private func findAccount(tenantSlug: String?, email: String) async throws -> Account? {
        guard let tenantSlug else {
            return try await control.pool.read { db in
                try Row.fetchOne(db, sql: "SELECT id, password_hash, disabled FROM platform_admins WHERE email = ?", arguments: [email])
                    .map { Account(kind: .platformAdmin, id: $0["id"], passwordHash: $0["password_hash"], disabled: $0["disabled"], email: email) }
            }
        }
        guard let tenant = try await control.pool.read({ db in try SQLiteTenantService.fetch(db, slug: tenantSlug) }) else {
            return nil
        }
        return try await tenants.read(tenant.id) { db in
            try Row.fetchOne(db, sql: "SELECT id, password_hash, disabled FROM users WHERE email = ?", arguments: [email]).map {
                Account(kind: .tenantUser, id: $0["id"], passwordHash: $0["password_hash"], disabled: $0["disabled"],
                        tenantID: tenant.id, tenantStatus: tenant.status, email: email)
            }
        }
    }

    private func openSession(for account: Account, client: ClientInfo) async throws -> LoginResult {
        let token = Secrets.token(prefix: Self.sessionPrefix)
        let now = Date()
        let session = SessionInfo(
            id: Identifier.make(now: now), createdAt: now, expiresAt: now.addingTimeInterval(sessionTTL), lastSeenAt: now,
            ip: client.ip, userAgent: client.userAgent, current: true)
        let audit = AuditContext(actor: (account.kind == .platformAdmin ? "platform:" : "user:") + account.id, actorLabel: account.email, ip: client.ip)
        try await control.pool.write { db in
            try db.execute(sql: """
                INSERT INTO sessions (id, token_hash, principal_kind, tenant_id, user_id, created_at, expires_at, last_seen_at, ip, user_agent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [session.id, Secrets.hash(token), account.kind.rawValue, account.tenantID?.rawValue, account.id,
                                 now, session.expiresAt, now, client.ip, client.userAgent])
            // Expired sessions are kept a week for "my sessions" history, then dropped.
            try db.execute(sql: "DELETE FROM sessions WHERE expires_at < ?", arguments: [now.addingTimeInterval(-7 * 86400)])
            if account.kind == .platformAdmin {
                try db.execute(sql: "UPDATE platform_admins SET last_login_at = ? WHERE id = ?", arguments: [now, account.id])
                try AuditLog.platform(db, audit, "auth.login", target: account.id)
            }
        }
        if let tenantID = account.tenantID {
            try await tenants.write(tenantID) { db in
                try db.execute(sql: "UPDATE users SET last_login_at = ? WHERE id = ?", arguments: [now, account.id])
                try AuditLog.tenant(db, audit, "auth.login", target: account.id)
            }
        }
        let stored = StoredCredential(
            credential: .session(id: session.id), kind: account.kind, userID: account.id, tenantID: account.tenantID,
            tenantSlug: nil, tenantName: nil, tenantStatus: account.tenantStatus, scopes: Set(Scope.allCases), lastSeen: now, expiresAt: session.expiresAt)
        return LoginResult(token: token, session: session, principal: try await loadPrincipal(stored))
    }

    static func findCredential(_ db: Database, hash: Data, isSession: Bool, now: Date) throws -> StoredCredential? {
        let table = isSession ? "sessions" : "api_tokens"
        let seen = isSession ? "c.last_seen_at" : "c.last_used_at"
        let scopes = isSession ? "NULL" : "c.scopes"
        guard let row = try Row.fetchOne(db, sql: """
            SELECT c.id, c.principal_kind, c.tenant_id, c.user_id, \(seen) AS seen, \(scopes) AS scopes, c.expires_at, t.slug, t.name, t.status
            FROM \(table) c LEFT JOIN tenants t ON t.id = c.tenant_id
            WHERE c.token_hash = ? AND c.revoked_at IS NULL AND c.expires_at > ?
            """, arguments: [hash, now])
        else { return nil }
        let id: String = row["id"]
        let scopeText: String? = row["scopes"]
        return StoredCredential(
            credential: isSession ? .session(id: id) : .apiToken(id: id),
            kind: Principal.Kind(rawValue: row["principal_kind"]) ?? .tenantUser,
            userID: row["user_id"], tenantID: (row["tenant_id"] as String?).map(TenantID.init(rawValue:)),
            tenantSlug: row["slug"], tenantName: row["name"], tenantStatus: (row["status"] as String?).flatMap(TenantStatus.init(rawValue:)),
            scopes: scopeText.map(Self.parseScopes) ?? Set(Scope.allCases), lastSeen: row["seen"], expiresAt: row["expires_at"])
    }

    static func parseScopes(_ text: String) -> Set<Scope> {
        Set(text.split(separator: " ").compactMap { Scope(rawValue: String($0)) })
    }

    func loadPrincipal(_ c: StoredCredential) async throws -> Principal {
        let invalid = AppError(.unauthenticated, "The session or token is invalid or has expired")
        switch c.kind {
        case .platformAdmin:
            guard let admin = try control.pool.readNow({ db in
                try Row.fetchOne(db, sql: "SELECT * FROM platform_admins WHERE id = ?", arguments: [c.userID]).map(PlatformAdmin.init(row:))
            }), !admin.disabled else { throw invalid }
            return Principal(
                kind: .platformAdmin, userID: admin.id, email: admin.email, name: admin.name, tenantID: nil, tenantSlug: nil,
                tenantName: nil, role: nil, userKind: nil, locale: nil, scopes: c.scopes, credential: c.credential)
        case .tenantUser:
            guard let tenantID = c.tenantID else { throw invalid }
            var slug = c.tenantSlug, name = c.tenantName, status = c.tenantStatus
            if slug == nil, let tenant = try control.pool.readNow({ db in try SQLiteTenantService.fetch(db, id: tenantID) }) {
                slug = tenant.slug
                name = tenant.name
                status = tenant.status
            }
            if status == .suspended {
                throw AppError(.tenantSuspended, "This tenant is suspended. Contact your platform administrator.")
            }
            guard let user = try await tenants.read(tenantID, { db in try SQLiteUserService.fetch(db, id: c.userID) }),
                !user.disabled
            else { throw invalid }
            return Principal(
                kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenantID, tenantSlug: slug,
                tenantName: name, role: user.role, userKind: user.kind, locale: user.locale, scopes: c.scopes, credential: c.credential)
        }
    }

    private func touch(_ c: StoredCredential, now: Date) async throws {
        try await control.pool.write { db in
            switch c.credential {
            case .session(let id):
                try db.execute(sql: "UPDATE sessions SET last_seen_at = ? WHERE id = ?", arguments: [now, id])
            case .apiToken(let id):
                try db.execute(sql: "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", arguments: [now, id])
            }
        }
    }
}

extension SQLiteAuthService {
    /// A session for a tenant user whose identity something else proved (a Telegram Mini App's
    /// signed init data, for the user that account is linked to). Throws: unauthenticated (gone or
    /// disabled), tenantSuspended.
    public func openSession(tenant: TenantID, userID: String, client: ClientInfo) async throws -> LoginResult {
        let status = try await control.pool.read { db in try SQLiteTenantService.fetch(db, id: tenant)?.status }
        guard let status else { throw AppError(.unauthenticated, "No such tenant") }
        if status == .suspended { throw AppError(.tenantSuspended, "This tenant is suspended. Contact your platform administrator.") }
        guard let user = try await tenants.read(tenant, { db in try SQLiteUserService.fetch(db, id: userID) }), !user.disabled else {
            throw AppError(.unauthenticated, "This account is disabled")
        }
        return try await mapErrors(stats) {
            try await openSession(for: Account(kind: .tenantUser, id: user.id, passwordHash: "", disabled: false, tenantID: tenant, tenantStatus: status,
                                               email: user.email), client: client)
        }
    }

    /// The principal a linked account acts as (a Telegram command or button), with every scope.
    public func principal(tenant: TenantID, userID: String) async throws -> Principal {
        try await loadPrincipal(StoredCredential(credential: .session(id: "telegram"), kind: .tenantUser, userID: userID, tenantID: tenant, tenantSlug: nil,
                                                 tenantName: nil, tenantStatus: nil, scopes: Set(Scope.allCases), lastSeen: nil, expiresAt: .distantFuture))
    }
}
