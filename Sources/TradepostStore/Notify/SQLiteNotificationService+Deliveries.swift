import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// What a channel's job needs to send one notification.
public struct DeliveryWork: Sendable {
    public var delivery: NotificationDelivery
    public var kind: String
    public var title: String
    public var body: String
    public var link: String?
    /// The event's fields (`invoice_id`, `order_id`, …).
    public var fields: [String: String]
    public var userEmail: String
    public var userName: String
    public var locale: String?
    public var phone: String?
    public var tenantName: String
    /// Signed: the one-click unsubscribe link's token for this user and kind.
    public var unsubscribeToken: String
}

/// A user's gathered mail for one digest message.
public struct DigestWork: Sendable {
    public var userId: String
    public var userEmail: String
    public var userName: String
    public var locale: String?
    public var tenantName: String
    public var items: [UserNotification]
    public var deliveryIDs: [Int64]
}

extension SQLiteNotificationService {
    static let unsubscribePurpose = "unsubscribe"

    /// The delivery if it is still pending, with the words and the address it goes to.
    public func work(_ tenant: TenantID, deliveryID: Int64) async throws -> DeliveryWork? {
        let name = try await tenantInfo(tenant).name
        let box = self.box
        return try await tenants.read(tenant) { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT d.*, n.kind, n.title, n.body, n.link, n.data, u.email, u.name, u.locale, s.phone FROM notification_deliveries d
                JOIN notifications n ON n.id = d.notification_id JOIN users u ON u.id = d.user_id
                LEFT JOIN notification_settings s ON s.user_id = d.user_id
                WHERE d.id = ? AND u.disabled = 0
                """, arguments: [deliveryID]) else { return nil }
            let delivery = NotificationRows.delivery(row)
            guard delivery.status == .pending else { return nil }
            let kind: String = row["kind"]
            return DeliveryWork(delivery: delivery, kind: kind, title: row["title"], body: row["body"], link: row["link"],
                                fields: (try? JSONDecoder().decode([String: String].self, from: Data((row["data"] as String).utf8))) ?? [:], userEmail: row["email"],
                                userName: row["name"], locale: row["locale"], phone: row["phone"], tenantName: name,
                                unsubscribeToken: Self.token(box, tenant: tenant, user: delivery.userId, kind: kind))
        }
    }

    /// Records how an attempt went: sent, given up (`failed`), not possible (`skipped`), or still pending with its error.
    public func finish(_ tenant: TenantID, deliveryID: Int64, _ status: NotificationDelivery.Status, error: String?) async throws {
        try await tenants.write(tenant) { db in
            try db.execute(sql: """
                UPDATE notification_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE id = ?
                """, arguments: [status.rawValue, error.map { String($0.prefix(500)) }, status.rawValue, Date(), deliveryID])
        }
    }

    /// Users whose digest is due (hourly: every run; daily: the first run from 08:00 in their zone
    /// on a day they had none), with what they gathered.
    public func dueDigests(_ tenant: TenantID, now: Date) async throws -> [DigestWork] {
        let info = try await tenantInfo(tenant)
        return try await tenants.read(tenant) { db in
            var out: [DigestWork] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT DISTINCT d.user_id, u.email, u.name, u.locale, s.digest, s.time_zone, s.last_digest_at FROM notification_deliveries d
                JOIN users u ON u.id = d.user_id JOIN notification_settings s ON s.user_id = d.user_id
                WHERE d.status = 'digest' AND u.disabled = 0
                """) {
                let mode = DigestMode(rawValue: row["digest"]) ?? .off
                if mode == .daily && !Self.dailyDue(now: now, zone: row["time_zone"] ?? info.zone, last: row["last_digest_at"]) { continue }
                let user: String = row["user_id"]
                let rows = try Row.fetchAll(db, sql: """
                    SELECT d.id AS delivery_id, n.* FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                    WHERE d.user_id = ? AND d.status = 'digest' ORDER BY n.id LIMIT 500
                    """, arguments: [user])
                out.append(DigestWork(userId: user, userEmail: row["email"], userName: row["name"], locale: row["locale"], tenantName: info.name,
                                      items: rows.map(NotificationRows.notification), deliveryIDs: rows.map { $0["delivery_id"] }))
            }
            return out
        }
    }

    static func dailyDue(now: Date, zone: String, last: Date?) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? .gmt
        guard calendar.component(.hour, from: now) >= 8 else { return false }
        guard let last else { return true }
        return !calendar.isDate(last, inSameDayAs: now)
    }

    public func digestSent(_ tenant: TenantID, _ digest: DigestWork, error: String?) async throws {
        let now = Date()
        try await tenants.write(tenant) { db in
            for id in digest.deliveryIDs {
                try db.execute(sql: "UPDATE notification_deliveries SET status = ?, attempts = attempts + 1, last_error = ?, sent_at = ? WHERE id = ? AND status = 'digest'",
                               arguments: [error == nil ? "sent" : "digest", error, error == nil ? now : nil, id])
            }
            if error == nil { try db.execute(sql: "UPDATE notification_settings SET last_digest_at = ? WHERE user_id = ?", arguments: [now, digest.userId]) }
        }
    }

    /// `<tenant>.<user>.<kind>.<tag>`, the one-click unsubscribe link's token.
    static func token(_ box: SecretBox, tenant: TenantID, user: String, kind: String) -> String {
        let text = "\(tenant.rawValue).\(user).\(kind)"
        return text + "." + box.tag(text, purpose: unsubscribePurpose)
    }

    /// Turns off the email of the kind a valid token names. Throws: notFound (a bad or forged token).
    public func unsubscribe(token: String) async throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        // The kind itself has a dot ("order.placed"): tenant, user, the kind's two parts, the tag.
        guard parts.count == 5 else { throw AppError.notFound("Subscription") }
        let text = parts[0..<4].joined(separator: ".")
        guard box.verify(text, tag: parts[4], purpose: Self.unsubscribePurpose) else { throw AppError.notFound("Subscription") }
        try await unsubscribe(tenant: TenantID(parts[0]), userID: parts[1], kind: parts[2] + "." + parts[3])
    }
}
