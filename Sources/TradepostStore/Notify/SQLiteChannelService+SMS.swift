import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

extension SQLiteChannelService {
    static func smsRow(_ db: Database) throws -> (SMSChannelSettings, Data?)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM channel_settings WHERE channel = 'sms'") else { return nil }
        var settings = try JSONDecoder().decode(SMSChannelSettings.self, from: Data((row["config"] as String).utf8))
        let secret: Data? = row["secret"]
        settings.hasSecret = secret != nil
        settings.updatedAt = row["updated_at"]
        return (settings, secret)
    }

    public func sms(_ caller: Caller) async throws -> SMSChannelSettings? {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try Self.smsRow(db)?.0 } }
    }

    /// Checks the fields (each bad one named); the URL's destination is the caller's to check (`problem`).
    public func setSMS(_ caller: Caller, _ input: SMSChannelInput, urlProblem: String?) async throws -> SMSChannelSettings {
        let tenant = try caller.authorize(.channelsManage)
        var v = Validator()
        if let urlProblem { v.fail("url", urlProblem) }
        let method = (input.method ?? "POST").uppercased()
        if !["POST", "GET"].contains(method) { v.fail("method", "must be POST or GET") }
        let contentType = input.contentType ?? (input.provider == .twilio ? "application/x-www-form-urlencoded" : "application/json")
        if !["application/json", "application/x-www-form-urlencoded"].contains(contentType) {
            v.fail("content_type", "must be application/json or application/x-www-form-urlencoded")
        }
        let template = input.bodyTemplate ?? ""
        if input.provider == .generic && method == "POST" && !template.contains("{text}") { v.fail("body_template", "must contain {text}") }
        if input.provider == .generic && !(template + input.url).contains("{to}") { v.fail("body_template", "must contain {to} (or the URL must)") }
        if template.count > 4000 { v.fail("body_template", "must be at most 4000 characters") }
        let header = (input.authHeader ?? "").trimmingCharacters(in: .whitespaces)
        if input.provider == .twilio && header.isEmpty { v.fail("auth_header", "must be the account SID") }
        let from = v.text("from", input.from, max: 20)
        let maxSegments = input.maxSegments ?? 3
        if !(1...10).contains(maxSegments) { v.fail("max_segments", "must be from 1 to 10") }
        try v.check()
        let box = self.box
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let kept = try Self.smsRow(db)?.1
                let secret: Data? = switch input.secret {
                case nil: kept
                case ""?: nil
                case let s?: try box.seal(s, context: "\(tenant.rawValue):sms")
                }
                let now = Date()
                let settings = SMSChannelSettings(provider: input.provider, url: input.url, method: method, contentType: contentType, bodyTemplate: template,
                                                  authHeader: header, hasSecret: secret != nil, from: from, maxSegments: maxSegments, updatedAt: now)
                try db.execute(sql: """
                    INSERT INTO channel_settings (channel, config, secret, updated_at) VALUES ('sms', ?, ?, ?)
                    ON CONFLICT (channel) DO UPDATE SET config = excluded.config, secret = excluded.secret, updated_at = excluded.updated_at
                    """, arguments: [String(decoding: try JSONEncoder().encode(settings), as: UTF8.self), secret, now])
                try AuditLog.tenant(db, caller.audit, "channel.sms.set", target: input.provider.rawValue, detail: ["secret_changed": String(input.secret != nil)])
                return try Self.smsRow(db)!.0
            }
        }
    }

    public func removeSMS(_ caller: Caller) async throws {
        let tenant = try caller.authorize(.channelsManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM channel_settings WHERE channel = 'sms'")
                guard db.changesCount > 0 else { throw AppError.notFound("SMS settings") }
                try AuditLog.tenant(db, caller.audit, "channel.sms.remove", target: nil)
            }
        }
    }

    /// The gateway with its secret opened (the SMS job), or nil when SMS is not set up.
    public func smsGateway(_ tenant: TenantID) async throws -> SMSGateway? {
        let box = self.box
        return try await tenants.read(tenant) { db in
            guard let (settings, secret) = try Self.smsRow(db) else { return nil }
            return SMSGateway(settings: settings, secret: try secret.map { try box.open($0, context: "\(tenant.rawValue):sms") })
        }
    }
}
