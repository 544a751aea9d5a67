import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

extension SQLiteNotificationService {
    public func settings(_ caller: Caller) async throws -> NotificationSettings {
        let tenant = try caller.authorize(.notificationsRead)
        let zone = try await tenantInfo(tenant).zone
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in try Self.settings(db, user: me, zone: zone) }
        }
    }

    static func settings(_ db: Database, user: String, zone: String) throws -> NotificationSettings {
        let s = try NotificationRows.stored(db, user: user)
        let mine = try NotificationRows.choices(db, users: [user])[user]
        let role = try NotificationRows.role(db, user: user)
        let choices = NotificationKinds.all.flatMap { kind in
            NotificationChannel.allCases.map { NotificationSettings.Choice(kind: kind.name, channel: $0, enabled: NotificationRows.enabled(kind, $0, choices: mine, role: role)) }
        }
        return NotificationSettings(choices: choices, timeZone: s.timeZone ?? zone, quietStart: s.quietStart, quietEnd: s.quietEnd,
                                    digest: s.digest, phone: s.phone, defaultsRole: role)
    }

    public func updateSettings(_ caller: Caller, _ input: NotificationSettingsInput) async throws -> NotificationSettings {
        let tenant = try caller.authorize(.notificationsUpdate)
        let zone = try await tenantInfo(tenant).zone
        let me = caller.principal.userID
        var v = Validator()
        for (i, choice) in (input.choices ?? []).enumerated() where NotificationKinds.byName[choice.kind] == nil {
            v.fail("choices[\(i)].kind", "is not a notification kind")
        }
        if let z = input.timeZone, TimeZone(identifier: z) == nil { v.fail("time_zone", "is not an IANA time zone") }
        let start = input.quietStart.flatMap { $0.isEmpty ? nil : $0 }
        let end = input.quietEnd.flatMap { $0.isEmpty ? nil : $0 }
        if let start, QuietHours.minutes(start) == nil { v.fail("quiet_start", "must be a 24-hour time like 22:00") }
        if let end, QuietHours.minutes(end) == nil { v.fail("quiet_end", "must be a 24-hour time like 07:00") }
        if (input.quietStart != nil) != (input.quietEnd != nil) || (start == nil) != (end == nil) {
            v.fail(input.quietStart == nil ? "quiet_start" : "quiet_end", "is set together with the other end of the quiet hours")
        } else if let start, let end, start == end {
            v.fail("quiet_end", "must differ from quiet_start")
        }
        if let phone = input.phone, !phone.isEmpty, !Self.isPhone(phone) { v.fail("phone", "must be an international number like +380501234567") }
        try v.check()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "INSERT INTO notification_settings (user_id) VALUES (?) ON CONFLICT DO NOTHING", arguments: [me])
                if let z = input.timeZone { try db.execute(sql: "UPDATE notification_settings SET time_zone = ? WHERE user_id = ?", arguments: [z, me]) }
                if input.quietStart != nil {
                    try db.execute(sql: "UPDATE notification_settings SET quiet_start = ?, quiet_end = ? WHERE user_id = ?", arguments: [start, end, me])
                }
                if let d = input.digest {
                    try db.execute(sql: "UPDATE notification_settings SET digest = ? WHERE user_id = ?", arguments: [d.rawValue, me])
                    if d == .off {
                        // Mail kept for a digest nobody will send goes out one by one.
                        let kept = try Int64.fetchAll(db, sql: "SELECT id FROM notification_deliveries WHERE user_id = ? AND status = 'digest'", arguments: [me])
                        try db.execute(sql: "UPDATE notification_deliveries SET status = 'pending' WHERE user_id = ? AND status = 'digest'", arguments: [me])
                        for start in stride(from: 0, to: kept.count, by: DeliveryDue.batch) {
                            try Outbox.append(db, topic: Topic.notificationDue, payload: DeliveryDue(deliveryIds: Array(kept[start..<min(start + DeliveryDue.batch, kept.count)])))
                        }
                    }
                }
                if let phone = input.phone {
                    try db.execute(sql: "UPDATE notification_settings SET phone = ? WHERE user_id = ?", arguments: [phone.isEmpty ? nil : phone, me])
                }
                for c in input.choices ?? [] {
                    try db.execute(sql: """
                        INSERT INTO notification_choices (user_id, kind, channel, enabled) VALUES (?, ?, ?, ?)
                        ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = excluded.enabled
                        """, arguments: [me, c.kind, c.channel.rawValue, c.enabled])
                }
                try AuditLog.tenant(db, caller.audit, "notifications.settings", target: me, detail: ["choices": String(input.choices?.count ?? 0)])
                return try Self.settings(db, user: me, zone: zone)
            }
        }
    }

    public func unsubscribe(tenant: TenantID, userID: String, kind: String) async throws {
        guard NotificationKinds.byName[kind] != nil else { throw AppError.notFound("Notification kind") }
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [userID]) != nil else { throw AppError.notFound("User") }
                try db.execute(sql: """
                    INSERT INTO notification_choices (user_id, kind, channel, enabled) VALUES (?, ?, 'email', 0)
                    ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = 0
                    """, arguments: [userID, kind])
            }
        }
    }

    public static func isPhone(_ s: String) -> Bool {
        s.count >= 8 && s.count <= 16 && s.first == "+" && s.dropFirst().allSatisfy(\.isASCII) && s.dropFirst().allSatisfy(\.isNumber)
            && s.dropFirst().first != "0"
    }
}
