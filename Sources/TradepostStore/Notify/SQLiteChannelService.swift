import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// A tenant's mail relay settings, the password sealed (bound to the tenant and channel). Sending
/// lives with the jobs (`TradepostWiring`), which reads the relay through `relay(_:)`.
public final class SQLiteChannelService: Sendable {
    let tenants: TenantDatabases
    let stats: StoreStats
    let box: SecretBox

    public init(tenants: TenantDatabases, stats: StoreStats, box: SecretBox) {
        self.tenants = tenants
        self.stats = stats
        self.box = box
    }

    public func email(_ caller: Caller) async throws -> EmailChannelSettings? {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try Self.email(db)?.0 } }
    }

    static func email(_ db: Database) throws -> (EmailChannelSettings, Data?)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM channel_settings WHERE channel = 'email'") else { return nil }
        var settings = try JSONDecoder().decode(EmailChannelSettings.self, from: Data((row["config"] as String).utf8))
        let secret: Data? = row["secret"]
        settings.hasPassword = secret != nil
        settings.updatedAt = row["updated_at"]
        return (settings, secret)
    }

    public func setEmail(_ caller: Caller, _ input: EmailChannelInput) async throws -> EmailChannelSettings {
        let tenant = try caller.authorize(.channelsManage)
        var v = Validator()
        let host = v.text("host", input.host, max: 253)
        if host.contains(where: { $0 == " " || $0 == "/" }) { v.fail("host", "must be a host name or address") }
        if !(1...65535).contains(input.port) { v.fail("port", "must be from 1 to 65535") }
        let user = input.username.map { v.text("username", $0, min: 0, max: 320) }?.nilIfEmpty
        if let p = input.password, p.count > 1000 { v.fail("password", "must be at most 1000 characters") }
        let from = v.email("from_email", input.fromEmail)
        let fromName = input.fromName.map { v.text("from_name", $0, min: 0, max: 120) }?.nilIfEmpty
        try v.check()
        let box = self.box
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let kept = try Self.email(db)?.1
                let secret: Data? = switch input.password {
                case nil: kept
                case ""?: nil
                case let p?: try box.seal(p, context: "\(tenant.rawValue):email")
                }
                let now = Date()
                let settings = EmailChannelSettings(host: host, port: input.port, security: input.security, username: user, hasPassword: secret != nil,
                                                    fromEmail: from, fromName: fromName, updatedAt: now)
                try db.execute(sql: """
                    INSERT INTO channel_settings (channel, config, secret, updated_at) VALUES ('email', ?, ?, ?)
                    ON CONFLICT (channel) DO UPDATE SET config = excluded.config, secret = excluded.secret, updated_at = excluded.updated_at
                    """, arguments: [String(decoding: try JSONEncoder().encode(settings), as: UTF8.self), secret, now])
                try AuditLog.tenant(db, caller.audit, "channel.email.set", target: host, detail: ["from": from, "password_changed": String(input.password != nil)])
                return try Self.email(db)!.0
            }
        }
    }

    public func removeEmail(_ caller: Caller) async throws {
        let tenant = try caller.authorize(.channelsManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM channel_settings WHERE channel = 'email'")
                guard db.changesCount > 0 else { throw AppError.notFound("Email settings") }
                try AuditLog.tenant(db, caller.audit, "channel.email.remove", target: nil)
            }
        }
    }

    /// The relay with its password opened (the mail job), or nil when mail is not set up.
    public func relay(_ tenant: TenantID) async throws -> EmailRelay? {
        let box = self.box
        return try await tenants.read(tenant) { db in
            guard let (settings, secret) = try Self.email(db) else { return nil }
            return EmailRelay(settings: settings, password: try secret.map { try box.open($0, context: "\(tenant.rawValue):email") })
        }
    }

    /// The caller's own address, for a test sent without one (after `channelsManage`).
    public func callerEmail(_ caller: Caller) throws -> String {
        _ = try caller.authorize(.channelsManage)
        return caller.principal.email
    }
}
