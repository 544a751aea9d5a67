import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// What the delivery job needs for one attempt: where, what, and the secrets to sign with.
public struct WebhookDelivery: Sendable {
    public var messageID: String
    public var endpointID: String
    public var url: String
    public var body: String
    /// The current secret first; the previous one while its rotation's grace lasts.
    public var secrets: [String]
    /// 1 for the first attempt.
    public var attempt: Int
}

/// How an attempt went, as the job tells the store.
public struct WebhookAttemptResult: Sendable {
    public var status: Int?
    public var latencyMs: Int
    public var response: String
    /// When to try again; nil: delivered, or given up.
    public var retryAt: Date?
    public init(status: Int?, latencyMs: Int, response: String, retryAt: Date?) {
        self.status = status
        self.latencyMs = latencyMs
        self.response = response
        self.retryAt = retryAt
    }
    public var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
}

extension SQLiteWebhookService {
    public func messages(_ caller: Caller, endpointID: String, status: WebhookMessage.Status?, limit: Int) async throws -> [WebhookMessage] {
        let tenant = try caller.authorize(.webhooksManage)
        try await requireEndpoint(tenant, endpointID)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try WebhookRows.messages(db, where: status == nil ? "endpoint_id = ?" : "endpoint_id = ? AND status = ?",
                                         status == nil ? [endpointID] : [endpointID, status!.rawValue], limit: max(1, min(limit, 200)))
            }
        }
    }

    public func replay(_ caller: Caller, messageID: String) async throws -> WebhookMessage {
        let tenant = try caller.authorize(.webhooksManage)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook_messages WHERE id = ?", arguments: [messageID]) != nil else {
                    throw AppError.notFound("Webhook message")
                }
                try Self.requeue(db, [messageID])
                try AuditLog.tenant(db, caller.audit, "webhook.replay", target: messageID, detail: [:])
                return try WebhookRows.messages(db, where: "id = ?", [messageID], limit: 1)[0]
            }
        }
    }

    public func replay(_ caller: Caller, endpointID: String, from: Date, to: Date) async throws -> Int {
        let tenant = try caller.authorize(.webhooksManage)
        var v = Validator()
        if from >= to { v.fail("to", "must be after from") }
        try v.check()
        try await requireEndpoint(tenant, endpointID)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let ids = try String.fetchAll(db, sql: "SELECT id FROM webhook_messages WHERE endpoint_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at",
                                              arguments: [endpointID, from, to])
                try Self.requeue(db, ids)
                try AuditLog.tenant(db, caller.audit, "webhook.replay", target: endpointID, detail: ["messages": String(ids.count)])
                return ids.count
            }
        }
    }

    public func sendTest(_ caller: Caller, endpointID: String) async throws -> WebhookMessage {
        let tenant = try caller.authorize(.webhooksManage)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let e = try WebhookRows.endpoints(db, where: "id = ?", [endpointID]).first else { throw AppError.notFound("Webhook endpoint") }
                guard e.enabled else { throw AppError.conflict("The endpoint is disabled; enable it first") }
                let now = Date()
                let id = "msg_" + Identifier.make(now: now)
                let data = #"{"endpoint_id":"\#(e.id)","message":"This is a test event from Tradepost."}"#
                try db.execute(sql: "INSERT INTO webhook_messages (id, endpoint_id, event_type, payload, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)",
                               arguments: [id, e.id, WebhookTopics.test, WebhookRows.body(type: WebhookTopics.test, at: now, data: data), now])
                try Outbox.append(db, topic: Topic.webhookDue, payload: WebhookDue(messageId: id))
                return try WebhookRows.messages(db, where: "id = ?", [id], limit: 1)[0]
            }
        }
    }

    static func requeue(_ db: Database, _ ids: [String]) throws {
        for id in ids {
            try db.execute(sql: "UPDATE webhook_messages SET status = 'pending', next_attempt_at = NULL WHERE id = ?", arguments: [id])
            try Outbox.append(db, topic: Topic.webhookDue, payload: WebhookDue(messageId: id, replay: true))
        }
    }

    /// The next attempt of a pending message (any message, for a replay) to an enabled endpoint, or
    /// nil (delivered or failed and not replayed, gone, disabled).
    public func delivery(_ tenant: TenantID, messageID: String, replay: Bool = false) async throws -> WebhookDelivery? {
        let box = self.box
        return try await tenants.read(tenant) { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT m.payload, m.attempts, m.status, e.id AS endpoint_id, e.url, e.enabled, e.secret, e.previous_secret, e.previous_expires_at
                FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id WHERE m.id = ?
                """), arguments: [messageID]), replay || row["status"] as String == "pending", row["enabled"] as Bool else { return nil }
            let endpoint: String = row["endpoint_id"]
            var secrets = [try box.open(row["secret"], context: endpoint)]
            if let previous = row["previous_secret"] as Data?, let until = row["previous_expires_at"] as Date?, until > Date() {
                secrets.append(try box.open(previous, context: endpoint))
            }
            return WebhookDelivery(messageID: messageID, endpointID: endpoint, url: row["url"], body: row["payload"], secrets: secrets,
                                   attempt: (row["attempts"] as Int) + 1)
        }
    }

    /// Records an attempt. A 410 switches the endpoint off; so does failing for `disableAfter`
    /// seconds without one success, which also tells the tenant's admins (`webhook.disabled`).
    public func record(_ tenant: TenantID, messageID: String, _ result: WebhookAttemptResult, disableAfter: TimeInterval) async throws {
        try await tenants.write(tenant) { db in
            guard let endpoint = try String.fetchOne(db, sql: "SELECT endpoint_id FROM webhook_messages WHERE id = ?", arguments: [messageID]) else { return }
            let now = Date()
            try db.execute(sql: "UPDATE webhook_messages SET attempts = attempts + 1, status = ?, next_attempt_at = ? WHERE id = ?",
                           arguments: [result.succeeded ? "delivered" : result.retryAt == nil ? "failed" : "pending", result.retryAt, messageID])
            let n = try Int.fetchOne(db, sql: "SELECT attempts FROM webhook_messages WHERE id = ?", arguments: [messageID]) ?? 1
            try db.execute(sql: "INSERT OR REPLACE INTO webhook_attempts (message_id, n, at, status, latency_ms, response) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [messageID, n, now, result.status, result.latencyMs, String(result.response.prefix(1000))])
            if result.succeeded {
                try db.execute(sql: "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL", arguments: [endpoint])
                return
            }
            try db.execute(sql: "UPDATE webhook_endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL", arguments: [now, endpoint])
            let since = try Date.fetchOne(db, sql: "SELECT failing_since FROM webhook_endpoints WHERE id = ?", arguments: [endpoint]) ?? now
            let reason: String? = result.status == 410 ? "The endpoint answered 410 Gone"
                : now.timeIntervalSince(since) >= disableAfter ? "Every delivery failed since \(Date.ISO8601FormatStyle().format(since))" : nil
            guard let reason else { return }
            try db.execute(sql: "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ? AND enabled = 1",
                           arguments: [reason, now, endpoint])
            guard db.changesCount > 0 else { return }
            try db.execute(sql: "UPDATE webhook_messages SET status = 'failed', next_attempt_at = NULL WHERE endpoint_id = ? AND status = 'pending'", arguments: [endpoint])
            try AuditLog.tenant(db, .system, "webhook.disabled", target: endpoint, detail: ["reason": reason])
            try Outbox.append(db, topic: Topic.webhookDisabled, payload: WebhookDisabledEvent(endpointId: endpoint, reason: reason))
        }
    }
}

struct WebhookDisabledEvent: Encodable {
    var endpointId: String
    var reason: String
}
