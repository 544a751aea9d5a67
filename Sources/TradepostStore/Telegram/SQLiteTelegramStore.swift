import Crypto
import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// A tenant's bot (its token sealed, the webhook's secret_token kept as a SHA-256), users' links
/// and their one-time codes (kept hashed), and the updates already handled. Talking to Telegram is
/// `TradepostWiring`'s; every method here is one transaction.
public final class SQLiteTelegramStore: Sendable {
    let tenants: TenantDatabases
    let stats: StoreStats
    let box: SecretBox
    static let codeLifetime: TimeInterval = 15 * 60

    public init(tenants: TenantDatabases, stats: StoreStats, box: SecretBox) {
        self.tenants = tenants
        self.stats = stats
        self.box = box
    }

    struct Stored: Codable {
        var botUsername: String
        var botId: Int64
        var webhookUrl: String
        var connectedAt: Date
        var secretHash: String
    }

    static func stored(_ db: Database) throws -> (Stored, Data)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT config, secret FROM channel_settings WHERE channel = 'telegram'"),
              let secret = row["secret"] as Data? else { return nil }
        return (try JSONDecoder().decode(Stored.self, from: Data((row["config"] as String).utf8)), secret)
    }

    public func bot(_ caller: Caller) async throws -> TelegramBotSettings? {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try Self.stored(db).map { s, _ in TelegramBotSettings(botUsername: s.botUsername, botId: s.botId, webhookUrl: s.webhookUrl, connectedAt: s.connectedAt) }
            }
        }
    }

    /// The bot's token, username and the webhook secret's hash (the server's own use).
    public func credentials(_ tenant: TenantID) async throws -> (token: String, username: String, secretHash: String)? {
        let box = self.box
        return try await tenants.read(tenant) { db in
            guard let (s, sealed) = try Self.stored(db) else { return nil }
            return (try box.open(sealed, context: "\(tenant.rawValue):telegram"), s.botUsername, s.secretHash)
        }
    }

    public func save(_ caller: Caller, token: String, botID: Int64, username: String, webhookURL: String, secret: String) async throws -> TelegramBotSettings {
        let tenant = try caller.authorize(.channelsManage)
        let box = self.box
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let now = Date()
                let stored = Stored(botUsername: username, botId: botID, webhookUrl: webhookURL, connectedAt: now, secretHash: Self.hash(secret))
                try db.execute(sql: """
                    INSERT INTO channel_settings (channel, config, secret, updated_at) VALUES ('telegram', ?, ?, ?)
                    ON CONFLICT (channel) DO UPDATE SET config = excluded.config, secret = excluded.secret, updated_at = excluded.updated_at
                    """, arguments: [String(decoding: try JSONEncoder().encode(stored), as: UTF8.self), try box.seal(token, context: "\(tenant.rawValue):telegram"), now])
                try AuditLog.tenant(db, caller.audit, "channel.telegram.connect", target: "@" + username)
                return TelegramBotSettings(botUsername: username, botId: botID, webhookUrl: webhookURL, connectedAt: now)
            }
        }
    }

    public func remove(_ caller: Caller) async throws {
        let tenant = try caller.authorize(.channelsManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM channel_settings WHERE channel = 'telegram'")
                guard db.changesCount > 0 else { throw AppError.notFound("Telegram bot") }
                try AuditLog.tenant(db, caller.audit, "channel.telegram.disconnect", target: nil)
            }
        }
    }

    /// Whether `secret` is the webhook's, compared as SHA-256 digests in constant time.
    public func secretMatches(_ tenant: TenantID, _ secret: String?) async throws -> Bool {
        guard let secret, let stored = try await credentials(tenant)?.secretHash else { return false }
        let a = Array(Self.hash(secret).utf8), b = Array(stored.utf8)
        return a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// True the first time an update id is seen (Telegram redelivers what it did not see acknowledged).
    public func firstSight(_ tenant: TenantID, updateID: Int64) async throws -> Bool {
        try await tenants.write(tenant) { db in
            try db.execute(sql: "INSERT OR IGNORE INTO telegram_updates (update_id, at) VALUES (?, ?)", arguments: [updateID, Date()])
            let fresh = db.changesCount > 0
            try db.execute(sql: "DELETE FROM telegram_updates WHERE at < ?", arguments: [Date().addingTimeInterval(-7 * 86400)])
            return fresh
        }
    }

    public func status(_ caller: Caller) async throws -> TelegramLinkStatus {
        let tenant = try caller.authorize(.notificationsRead)
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let bot = try Self.stored(db)?.0.botUsername
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM telegram_links WHERE user_id = ?", arguments: [me]) else {
                    return TelegramLinkStatus(linked: false, username: nil, linkedAt: nil, botUsername: bot)
                }
                return TelegramLinkStatus(linked: true, username: row["username"], linkedAt: row["linked_at"], botUsername: bot)
            }
        }
    }

    /// A fresh one-time code for the caller (older ones of theirs stop working).
    public func newCode(_ caller: Caller) async throws -> (code: String, bot: String, expiresAt: Date) {
        let tenant = try caller.authorize(.notificationsUpdate)
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let bot = try Self.stored(db)?.0.botUsername else { throw AppError.conflict("This company has not connected a Telegram bot yet") }
                let code = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }.base64URL
                let expires = Date().addingTimeInterval(Self.codeLifetime)
                try db.execute(sql: "DELETE FROM telegram_link_codes WHERE user_id = ? OR expires_at < ?", arguments: [me, Date()])
                try db.execute(sql: "INSERT INTO telegram_link_codes (code_hash, user_id, expires_at) VALUES (?, ?, ?)",
                               arguments: [Data(SHA256.hash(data: Data(code.utf8))), me, expires])
                return (code, bot, expires)
            }
        }
    }

    public func unlink(_ caller: Caller) async throws {
        let tenant = try caller.authorize(.notificationsUpdate)
        let me = caller.principal.userID
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM telegram_links WHERE user_id = ?", arguments: [me])
                guard db.changesCount > 0 else { throw AppError.notFound("Telegram link") }
                try AuditLog.tenant(db, caller.audit, "telegram.unlink", target: me)
            }
        }
    }

    /// Links the Telegram account that sent `/start <code>`; answers the user, or nil for a bad or expired code.
    public func redeem(_ tenant: TenantID, code: String, telegramUserID: Int64, chatID: Int64, username: String?) async throws -> User? {
        try await tenants.write(tenant) { db in
            guard let user = try String.fetchOne(db, sql: "SELECT user_id FROM telegram_link_codes WHERE code_hash = ? AND expires_at >= ?",
                                                 arguments: [Data(SHA256.hash(data: Data(code.utf8))), Date()]) else { return nil }
            try db.execute(sql: "DELETE FROM telegram_link_codes WHERE user_id = ?", arguments: [user])
            // One Telegram account links one user: linking again moves it.
            try db.execute(sql: "DELETE FROM telegram_links WHERE telegram_user_id = ? OR user_id = ?", arguments: [telegramUserID, user])
            try db.execute(sql: "INSERT INTO telegram_links (user_id, telegram_user_id, chat_id, username, linked_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [user, telegramUserID, chatID, username, Date()])
            try AuditLog.tenant(db, AuditContext(actor: "user:" + user, actorLabel: username.map { "@" + $0 }), "telegram.link", target: user)
            return try SQLiteUserService.fetch(db, id: user)
        }
    }

    /// The user a Telegram account is linked to (and still able to sign in).
    public func user(_ tenant: TenantID, telegramUserID: Int64) async throws -> User? {
        try await tenants.read(tenant) { db in
            guard let id = try String.fetchOne(db, sql: "SELECT user_id FROM telegram_links WHERE telegram_user_id = ?", arguments: [telegramUserID]),
                  let user = try SQLiteUserService.fetch(db, id: id), !user.disabled else { return nil }
            return user
        }
    }

    public func chat(_ tenant: TenantID, userID: String) async throws -> Int64? {
        try await tenants.read(tenant) { db in try Int64.fetchOne(db, sql: "SELECT chat_id FROM telegram_links WHERE user_id = ?", arguments: [userID]) }
    }

    static func hash(_ secret: String) -> String { SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined() }
}

extension SQLiteTelegramStore {
    public struct OrderLine: Sendable {
        public var number: String
        public var state: String
        public var gross: String
    }

    /// The latest orders of the businesses the user belongs to or is linked with (what /orders lists).
    public func recentOrders(_ tenant: TenantID, userID: String, limit: Int) async throws -> [OrderLine] {
        try await tenants.read(tenant) { db in
            try Row.fetchAll(db, sql: """
                SELECT number, state, gross_minor, currency FROM orders
                WHERE buyer_business_id IN (SELECT business_id FROM business_members WHERE user_id = ?
                                            UNION SELECT business_id FROM salesperson_links WHERE user_id = ? AND state = 'active')
                   OR seller_business_id IN (SELECT business_id FROM business_members WHERE user_id = ?
                                             UNION SELECT business_id FROM salesperson_links WHERE user_id = ? AND state = 'active')
                ORDER BY placed_at DESC LIMIT ?
                """, arguments: [userID, userID, userID, userID, limit]).map {
                OrderLine(number: $0["number"], state: $0["state"], gross: "\(Money(minor: $0["gross_minor"], currency: $0["currency"]).decimal) \($0["currency"] as String)")
            }
        }
    }

    /// A published product by SKU (the first, when several sellers use it).
    public func product(_ tenant: TenantID, sku: String) async throws -> (id: String, name: String)? {
        try await tenants.read(tenant) { db in
            try Row.fetchOne(db, sql: "SELECT id, name FROM products WHERE sku = ? COLLATE NOCASE AND status = 'published' ORDER BY id LIMIT 1", arguments: [sku])
                .map { ($0["id"], $0["name"]) }
        }
    }
}
