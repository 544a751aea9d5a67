import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// The notification centre, each user's settings, and what the delivery jobs read and record.
public final class SQLiteNotificationService: NotificationService {
    let tenants: TenantDatabases
    let stats: StoreStats
    /// The tenant's name and time zone (the words' `{tenant}`, quiet hours' default zone).
    let tenantInfo: @Sendable (TenantID) async throws -> (name: String, zone: String)
    /// Signs unsubscribe links.
    let box: SecretBox

    public init(tenants: TenantDatabases, stats: StoreStats, box: SecretBox,
                tenantInfo: @escaping @Sendable (TenantID) async throws -> (name: String, zone: String)) {
        self.tenants = tenants
        self.stats = stats
        self.box = box
        self.tenantInfo = tenantInfo
    }

    public func list(_ caller: Caller, before: Int64?, unreadOnly: Bool, limit: Int) async throws -> NotificationPage {
        let tenant = try caller.authorize(.notificationsRead)
        let me = caller.principal.userID
        let limit = max(1, min(limit, 200))
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                var clause = "user_id = ?"
                var args: StatementArguments = [me]
                if let before { clause += " AND id < ?"; args += [before] }
                if unreadOnly { clause += " AND read_at IS NULL" }
                let items = try NotificationRows.fetch(db, where: clause, args, limit: limit + 1)
                return NotificationPage(items: Array(items.prefix(limit)), unread: try NotificationRows.unread(db, user: me),
                                        nextBefore: items.count > limit ? items[limit - 1].id : nil)
            }
        }
    }

    public func since(_ caller: Caller, after: Int64, limit: Int) async throws -> [UserNotification] {
        let tenant = try caller.authorize(.notificationsRead)
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try NotificationRows.fetch(db, where: "user_id = ? AND id > ?", [me, after], order: "id", limit: max(1, min(limit, 1000)))
            }
        }
    }

    public func latestID(_ caller: Caller) async throws -> Int64 {
        let tenant = try caller.authorize(.notificationsRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM notifications") ?? 0 }
        }
    }

    public func feed(_ tenant: TenantID, after: Int64, limit: Int) async throws -> [NotificationFeedItem] {
        try await tenants.read(tenant) { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM notifications WHERE id > ? ORDER BY id LIMIT ?"), arguments: [after, limit]).map {
                NotificationFeedItem(userId: $0["user_id"], notification: NotificationRows.notification($0))
            }
        }
    }

    public func markRead(_ caller: Caller, id: Int64) async throws -> UserNotification {
        let tenant = try caller.authorize(.notificationsUpdate)
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL", arguments: [Date(), id, me])
                guard let n = try NotificationRows.fetch(db, where: "id = ? AND user_id = ?", [id, me], limit: 1).first else {
                    throw AppError.notFound("Notification")
                }
                return n
            }
        }
    }

    public func markAllRead(_ caller: Caller, upTo: Int64?) async throws -> Int {
        let tenant = try caller.authorize(.notificationsUpdate)
        let me = caller.principal.userID
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id <= ?",
                               arguments: [Date(), me, upTo ?? Int64.max])
                return db.changesCount
            }
        }
    }

    public func deliveries(_ caller: Caller, channel: NotificationChannel?, status: NotificationDelivery.Status?, limit: Int) async throws
        -> [NotificationDelivery] {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                var clause = "1"
                var args: StatementArguments = []
                if let channel { clause += " AND channel = ?"; args += [channel.rawValue] }
                if let status { clause += " AND status = ?"; args += [status.rawValue] }
                return try Row.fetchAll(db, sql: "SELECT * FROM notification_deliveries WHERE \(clause) ORDER BY id DESC LIMIT \(max(1, min(limit, 500)))",
                                        arguments: args).map(NotificationRows.delivery)
            }
        }
    }

    /// Raises a tenant's `job.failed` event (its admins hear of it through the one path).
    public func jobFailed(_ tenant: TenantID, _ event: JobFailedEvent) async throws {
        try await tenants.write(tenant) { db in try Outbox.append(db, topic: Topic.jobFailed, payload: event) }
    }

    /// Records what one event means for whom (the `notify.event` job). Idempotent.
    public func fanOut(_ event: OutboxEvent) async throws -> (notifications: Int, deliveries: Int, webhooks: Int) {
        let info = try await tenantInfo(event.tenant)
        let outcome = try await tenants.write(event.tenant) { db in
            try NotificationFanout.run(db, event: event, tenantName: info.name, tenantZone: info.zone, now: Date())
        }
        return (outcome.notifications, outcome.deliveries, outcome.webhooks)
    }
}
