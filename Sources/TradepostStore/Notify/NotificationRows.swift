import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Reading notifications and settings, shared by the service and the fan-out.
enum NotificationRows {
    static func notification(_ row: Row) -> UserNotification {
        UserNotification(id: row["id"], kind: row["kind"], title: row["title"], body: row["body"], link: row["link"], urgent: row["urgent"],
                         createdAt: row["created_at"], readAt: row["read_at"])
    }

    static func fetch(_ db: Database, where clause: String, _ args: StatementArguments, order: String = "id DESC", limit: Int) throws -> [UserNotification] {
        try Row.fetchAll(db, sql: "SELECT * FROM notifications WHERE \(clause) ORDER BY \(order) LIMIT \(limit)", arguments: args).map(notification)
    }

    static func unread(_ db: Database, user: String) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL"), arguments: [user]) ?? 0
    }

    /// A user's stored settings row (absent: every default).
    struct Stored {
        var timeZone: String?
        var quietStart: String?
        var quietEnd: String?
        var digest: DigestMode
        var phone: String?
        var lastDigestAt: Date?
    }

    static func stored(_ db: Database, user: String) throws -> Stored {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM notification_settings WHERE user_id = ?"), arguments: [user]) else {
            return Stored(digest: .off)
        }
        return Stored(timeZone: row["time_zone"], quietStart: row["quiet_start"], quietEnd: row["quiet_end"],
                      digest: DigestMode(rawValue: row["digest"]) ?? .off, phone: row["phone"], lastDigestAt: row["last_digest_at"])
    }

    /// Each user's departures from the defaults, as "kind|channel" → enabled.
    static func choices(_ db: Database, users: [String]) throws -> [String: [String: Bool]] {
        guard !users.isEmpty else { return [:] }
        var out: [String: [String: Bool]] = [:]
        for chunk in stride(from: 0, to: users.count, by: 500) {
            let part = Array(users[chunk..<min(chunk + 500, users.count)])
            for row in try Row.fetchAll(db, sql: "SELECT * FROM notification_choices WHERE user_id IN (\(marks(part.count)))", arguments: StatementArguments(part)) {
                out[row["user_id"], default: [:]][(row["kind"] as String) + "|" + (row["channel"] as String)] = row["enabled"]
            }
        }
        return out
    }

    static func enabled(_ kind: NotificationKind, _ channel: NotificationChannel, choices: [String: Bool]?, role: NotificationRole) -> Bool {
        choices?[kind.name + "|" + channel.rawValue] ?? kind.defaults(for: role).contains(channel)
    }

    /// The SQL columns `role(_:)` reads, for a query over `users u`.
    static let roleColumns = """
        u.role AS tenant_role, u.kind AS user_kind,
        EXISTS (SELECT 1 FROM business_members m WHERE m.user_id = u.id AND m.role = 'manager') AS manages
        """

    static func role(_ row: Row) -> NotificationRole {
        NotificationRole.of(TenantRole(rawValue: row["tenant_role"]) ?? .member, UserKind(rawValue: row["user_kind"]) ?? .member,
                            managesABusiness: row["manages"])
    }

    static func role(_ db: Database, user: String) throws -> NotificationRole {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(roleColumns) FROM users u WHERE u.id = ?"), arguments: [user]).map(role) ?? .member
    }

    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }

    static func delivery(_ row: Row) -> NotificationDelivery {
        NotificationDelivery(id: row["id"], notificationId: row["notification_id"], userId: row["user_id"],
                             channel: NotificationChannel(rawValue: row["channel"]) ?? .email,
                             status: NotificationDelivery.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
                             notBefore: row["not_before"], lastError: row["last_error"], sentAt: row["sent_at"], createdAt: row["created_at"])
    }
}
