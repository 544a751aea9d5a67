import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Turns one outbox event into notifications for exactly the users its kinds name, their
/// deliveries on other channels, and a message per webhook endpoint that asked for the topic — in
/// one transaction, idempotently (a retried job inserts nothing twice).
enum NotificationFanout {
    /// A user who hears, with what the channels need (read with them in one query, not per user).
    struct Recipient {
        var id: String
        var locale: String?
        var settings: NotificationRows.Stored
        var telegram: Bool
        var role: NotificationRole
    }

    struct Outcome: Sendable, Equatable {
        var notifications = 0
        var deliveries = 0
        var webhooks = 0
    }

    static func run(_ db: Database, event: OutboxEvent, tenantName: String, tenantZone: String, now: Date) throws -> Outcome {
        var out = Outcome()
        var fields = NotificationKinds.fields(event.payload)
        fields["tenant"] = tenantName
        var lastID: Int64 = 0
        var due: [Int64] = []
        let data = String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
        for kind in NotificationKinds.byTopic[event.topic] ?? [] {
            let users = try audience(db, kind.audience, &fields)
            guard !users.isEmpty else { continue }
            let recipients = try self.recipients(db, users)
            let choices = try NotificationRows.choices(db, users: recipients.map(\.id))
            let link = kind.link(fields)
            var wordsByLocale: [String: NotificationText.Words] = [:]
            for r in recipients {
                let mine = choices[r.id]
                // Stored when any channel carries it (unread only when the app is one of them).
                guard NotificationChannel.allCases.contains(where: { NotificationRows.enabled(kind, $0, choices: mine, role: r.role) }) else { continue }
                let lang = r.locale ?? ""
                let words = wordsByLocale[lang] ?? NotificationText.render(kind.name, locale: r.locale, fields: fields)
                wordsByLocale[lang] = words
                try db.cachedStatement(sql: """
                    INSERT INTO notifications (user_id, kind, event_id, title, body, link, data, urgent, created_at, read_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """).execute(arguments: [r.id, kind.name, event.id, words.title, words.body, link, data, kind.urgent, now,
                                             NotificationRows.enabled(kind, .inApp, choices: mine, role: r.role) ? nil : now])
                guard db.changesCount > 0 else { continue }
                let id = db.lastInsertedRowID
                lastID = id
                out.notifications += 1
                out.deliveries += try deliveries(db, kind, notification: id, r, choices: mine, zone: tenantZone, now: now, due: &due)
            }
        }
        for start in stride(from: 0, to: due.count, by: DeliveryDue.batch) {
            try Outbox.append(db, topic: Topic.notificationDue, payload: DeliveryDue(deliveryIds: Array(due[start..<min(start + DeliveryDue.batch, due.count)])))
        }
        if lastID > 0 { try Outbox.append(db, topic: Topic.notificationCreated, payload: NotificationEvent(lastId: lastID)) }
        out.webhooks = try WebhookRows.enqueue(db, event: event, now: now)
        return out
    }

    /// Rows for the channels the user keeps on for this kind: held in quiet hours (unless urgent),
    /// kept for the digest when they chose one; the pending ones are collected into `due` (their jobs' batches).
    static func deliveries(_ db: Database, _ kind: NotificationKind, notification: Int64, _ r: Recipient, choices: [String: Bool]?,
                           zone: String, now: Date, due: inout [Int64]) throws -> Int {
        var count = 0
        let s = r.settings
        for channel in [NotificationChannel.email, .telegram, .sms] where NotificationRows.enabled(kind, channel, choices: choices, role: r.role) {
            if channel == .sms && s.phone == nil { continue }
            if channel == .telegram && !r.telegram { continue }
            let quiet = QuietHours(start: s.quietStart, end: s.quietEnd, zone: s.timeZone ?? zone)
            let held = kind.urgent ? nil : quiet?.heldUntil(now)
            let status: NotificationDelivery.Status = channel == .email && s.digest != .off && !kind.urgent ? .digest : .pending
            try db.cachedStatement(sql: """
                INSERT INTO notification_deliveries (notification_id, user_id, channel, status, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """).execute(arguments: [notification, r.id, channel.rawValue, status.rawValue, held, now])
            if status == .pending { due.append(db.lastInsertedRowID) }
            count += 1
        }
        return count
    }

    /// The users a kind's audience names for this event (adding what the words need to `fields`).
    static func audience(_ db: Database, _ audience: NotificationKind.Audience, _ fields: inout [String: String]) throws -> [String] {
        switch audience {
        case .order(let side, let field):
            guard let id = fields[field], let row = try Row.fetchOne(db.cachedStatement(
                sql: "SELECT number, seller_business_id, buyer_business_id FROM orders WHERE id = ?"), arguments: [id]) else { return [] }
            fields["order_number"] = row["number"]
            let businesses: [String] = switch side {
            case .seller: [row["seller_business_id"]]
            case .buyer: [row["buyer_business_id"]]
            case nil: [row["seller_business_id"], row["buyer_business_id"]]
            }
            return try String.fetchAll(db, sql: """
                SELECT user_id FROM business_members WHERE business_id IN (\(NotificationRows.marks(businesses.count)))
                UNION SELECT user_id FROM salesperson_links WHERE business_id IN (\(NotificationRows.marks(businesses.count))) AND state = 'active'
                """, arguments: StatementArguments(businesses + businesses))
        case .conversation(let field, let author):
            guard let id = fields[field], let head = try ConversationRows.head(db, id) else { return [] }
            if let message = fields["message_id"], let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT text, author_name FROM messages WHERE id = ?
                """), arguments: [message]) {
                let body = (row["text"] as String?) ?? ""
                fields["excerpt"] = body.count > 140 ? String(body.prefix(139)) + "…" : body
                fields["author_name"] = row["author_name"] ?? ""
            }
            if head.kind == .channel { return try InboxRows.audience(db, conversation: id, author: fields[author] ?? "") }
            return try TalkAccess.participants(db, head).subtracting([fields[author] ?? ""]).sorted()
        case .businessManagers(let field):
            return try String.fetchAll(db.cachedStatement(sql: "SELECT user_id FROM business_members WHERE business_id = ? AND role = 'manager'"),
                                       arguments: [fields[field] ?? ""])
        case .businessMembers(let field):
            return try String.fetchAll(db.cachedStatement(sql: "SELECT user_id FROM business_members WHERE business_id = ?"), arguments: [fields[field] ?? ""])
        case .user(let field):
            return fields[field].map { [$0] } ?? []
        case .tenantAdmins:
            return try String.fetchAll(db, sql: "SELECT id FROM users WHERE role IN ('admin', 'owner')")
        }
    }

    /// The users still able to sign in, with what the channels need.
    static func recipients(_ db: Database, _ users: [String]) throws -> [Recipient] {
        var out: [Recipient] = []
        for chunk in stride(from: 0, to: users.count, by: 500) {
            let part = Array(users[chunk..<min(chunk + 500, users.count)])
            out += try Row.fetchAll(db, sql: """
                SELECT u.id, u.locale, s.time_zone, s.quiet_start, s.quiet_end, s.digest, s.phone, s.last_digest_at, t.user_id AS telegram,
                       \(NotificationRows.roleColumns)
                FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id LEFT JOIN telegram_links t ON t.user_id = u.id
                WHERE u.id IN (\(NotificationRows.marks(part.count))) AND u.disabled = 0 ORDER BY u.id
                """, arguments: StatementArguments(part)).map { row in
                Recipient(id: row["id"], locale: row["locale"], settings: NotificationRows.Stored(
                    timeZone: row["time_zone"], quietStart: row["quiet_start"], quietEnd: row["quiet_end"],
                    digest: (row["digest"] as String?).flatMap(DigestMode.init(rawValue:)) ?? .off, phone: row["phone"], lastDigestAt: row["last_digest_at"]),
                          telegram: (row["telegram"] as String?) != nil, role: NotificationRows.role(row))
            }
        }
        return out
    }
}

/// Payload of `notification.created`: the live socket reads what came after its cursor.
struct NotificationEvent: Encodable {
    var lastId: Int64
}

/// Payload of `notification.due`: deliveries for one job (an event's, up to `batch` of them), so a
/// thousand recipients make ten jobs, not a thousand.
public struct DeliveryDue: Codable, Sendable, Equatable {
    public var deliveryIds: [Int64]
    public static let batch = 100
}
