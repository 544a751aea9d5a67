import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Platform administrators, in `control.sqlite`.
public final class SQLitePlatformAdminService: PlatformAdminService {
    let control: ControlDatabase
    let hasher: any PasswordHasher
    let stats: StoreStats
    let revokeCredentials: @Sendable (String) async throws -> Void

    public init(
        control: ControlDatabase, hasher: any PasswordHasher, stats: StoreStats,
        revokeCredentials: @escaping @Sendable (String) async throws -> Void
    ) {
        self.control = control
        self.hasher = hasher
        self.stats = stats
        self.revokeCredentials = revokeCredentials
    }

    public func createAdmin(email: String, name: String, password: String, audit: AuditContext) async throws -> PlatformAdmin {
        var v = Validator()
        let email = v.email("email", email)
        let name = v.text("name", name, max: 120)
        v.password("password", password)
        try v.check()
        let hash = try await hasher.hash(password)
        let now = Date()
        let admin = PlatformAdmin(id: Identifier.make(now: now), email: email, name: name, disabled: false, createdAt: now, lastLoginAt: nil)
        try await mapErrors(stats, conflict: "A platform admin with the email \(email) already exists") {
            try await control.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO platform_admins (id, email, name, password_hash, disabled, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 0, ?, ?)
                    """, arguments: [admin.id, email, name, hash, now, now])
                try AuditLog.platform(db, audit, "admin.create", target: admin.id, detail: ["email": email])
            }
        }
        return admin
    }

    public func admins() async throws -> [PlatformAdmin] {
        try await mapErrors(stats) {
            try await control.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM platform_admins ORDER BY id").map(PlatformAdmin.init(row:))
            }
        }
    }

    public func admin(email: String) async throws -> PlatformAdmin {
        try await mapErrors(stats) {
            guard let admin = try await control.pool.read({ db in try Self.fetch(db, email: email) }) else {
                throw AppError.notFound("Platform admin")
            }
            return admin
        }
    }

    public func setPassword(email: String, password: String, audit: AuditContext) async throws {
        var v = Validator()
        v.password("password", password)
        try v.check()
        let hash = try await hasher.hash(password)
        let id: String = try await mapErrors(stats) {
            try await control.pool.write { db in
                guard let admin = try Self.fetch(db, email: email) else { throw AppError.notFound("Platform admin") }
                try db.execute(sql: "UPDATE platform_admins SET password_hash = ?, updated_at = ? WHERE id = ?",
                               arguments: [hash, Date(), admin.id])
                try AuditLog.platform(db, audit, "admin.password_set", target: admin.id)
                return admin.id
            }
        }
        try await revokeCredentials(id)
    }

    public func changePassword(email: String, current: String, new: String, audit: AuditContext) async throws {
        let stored = try await mapErrors(stats) {
            try await control.pool.read { db in
                try String.fetchOne(db, sql: "SELECT password_hash FROM platform_admins WHERE email = ?", arguments: [email.lowercased()])
            }
        }
        guard let stored else { throw AppError.notFound("Platform admin") }
        guard await hasher.verify(current, hash: stored) else {
            throw AppError.invalidField("current_password", "is not your current password")
        }
        var v = Validator()
        v.password("new_password", new)
        try v.check()
        let hash = try await hasher.hash(new)
        try await mapErrors(stats) {
            try await control.pool.write { db in
                try db.execute(sql: "UPDATE platform_admins SET password_hash = ?, updated_at = ? WHERE email = ?",
                               arguments: [hash, Date(), email.lowercased()])
                try AuditLog.platform(db, audit, "admin.password_change", target: email.lowercased())
            }
        }
    }

    public func setDisabled(email: String, _ disabled: Bool, audit: AuditContext) async throws -> PlatformAdmin {
        let admin: PlatformAdmin = try await mapErrors(stats) {
            try await control.pool.write { db in
                guard var admin = try Self.fetch(db, email: email) else { throw AppError.notFound("Platform admin") }
                guard admin.disabled != disabled else { return admin }
                if disabled {
                    let active = try Int.fetchOne(db, sql: "SELECT count(*) FROM platform_admins WHERE disabled = 0") ?? 0
                    if active <= 1 { throw AppError.conflict("At least one platform admin must stay active") }
                }
                admin.disabled = disabled
                try db.execute(sql: "UPDATE platform_admins SET disabled = ?, updated_at = ? WHERE id = ?",
                               arguments: [disabled, Date(), admin.id])
                try AuditLog.platform(db, audit, disabled ? "admin.disable" : "admin.enable", target: admin.id)
                return admin
            }
        }
        if disabled { try await revokeCredentials(admin.id) }
        return admin
    }

    public func adminCount() async throws -> Int {
        try await mapErrors(stats) {
            try await control.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM platform_admins") ?? 0 }
        }
    }

    static func fetch(_ db: Database, email: String) throws -> PlatformAdmin? {
        try Row.fetchOne(db, sql: "SELECT * FROM platform_admins WHERE email = ?", arguments: [email.lowercased()])
            .map(PlatformAdmin.init(row:))
    }
}
