import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Webhook endpoints and messages as rows.
enum WebhookRows {
    static func endpoint(_ row: Row) -> WebhookEndpoint {
        let types = (try? JSONDecoder().decode([String].self, from: Data((row["event_types"] as String).utf8))) ?? []
        let expires: Date? = row["previous_expires_at"]
        return WebhookEndpoint(id: row["id"], url: row["url"], description: row["description"], eventTypes: types, enabled: row["enabled"],
                               disabledReason: row["disabled_reason"], createdAt: row["created_at"], updatedAt: row["updated_at"],
                               previousSecretExpiresAt: expires.flatMap { $0 > Date() ? $0 : nil })
    }

    static func endpoints(_ db: Database, where clause: String = "1", _ args: StatementArguments = []) throws -> [WebhookEndpoint] {
        try Row.fetchAll(db, sql: "SELECT * FROM webhook_endpoints WHERE \(clause) ORDER BY created_at, id", arguments: args).map(endpoint)
    }

    static func messages(_ db: Database, where clause: String, _ args: StatementArguments, limit: Int) throws -> [WebhookMessage] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM webhook_messages WHERE \(clause) ORDER BY created_at DESC, id DESC LIMIT \(limit)", arguments: args)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0["id"] as String }
        var attempts: [String: [WebhookAttempt]] = [:]
        for a in try Row.fetchAll(db, sql: "SELECT * FROM webhook_attempts WHERE message_id IN (\(NotificationRows.marks(ids.count))) ORDER BY n",
                                  arguments: StatementArguments(ids)) {
            attempts[a["message_id"], default: []].append(WebhookAttempt(at: a["at"], status: a["status"], latencyMs: a["latency_ms"], response: a["response"]))
        }
        return rows.map { row in
            WebhookMessage(id: row["id"], endpointId: row["endpoint_id"], eventType: row["event_type"],
                           status: WebhookMessage.Status(rawValue: row["status"]) ?? .pending, attempts: attempts[row["id"]] ?? [],
                           nextAttemptAt: row["next_attempt_at"], createdAt: row["created_at"])
        }
    }

    /// The body every attempt sends: `{"type", "timestamp", "data"}` with the event's payload as data.
    static func body(type: String, at: Date, data: String) -> String {
        #"{"data":\#(data),"timestamp":"\#(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(at))","type":"\#(type)"}"#
    }

    /// A message per enabled endpoint that asked for the event's topic, each raising its delivery job.
    static func enqueue(_ db: Database, event: OutboxEvent, now: Date) throws -> Int {
        guard WebhookTopics.all.contains(event.topic) else { return 0 }
        var count = 0
        for e in try endpoints(db, where: "enabled = 1") where e.eventTypes.isEmpty || e.eventTypes.contains(event.topic) {
            let id = "msg_\(e.id)_\(event.id)"
            try db.cachedStatement(sql: """
                INSERT INTO webhook_messages (id, endpoint_id, event_type, payload, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
                ON CONFLICT DO NOTHING
                """).execute(arguments: [id, e.id, event.topic, body(type: event.topic, at: event.createdAt, data: event.payload), now])
            guard db.changesCount > 0 else { continue }
            try Outbox.append(db, topic: Topic.webhookDue, payload: WebhookDue(messageId: id, destination: WebhookDue.destination(e.url)))
            count += 1
        }
        return count
    }
}

/// Payload of `webhook.due`: one message for the delivery job. A replay is sent even when the
/// message was delivered meanwhile (its first delivery may still have been on its way).
public struct WebhookDue: Codable, Sendable, Equatable {
    public var messageId: String
    public var replay: Bool?
    /// "host:port" of the endpoint, so a job for a destination known to be down waits without reading anything.
    public var destination: String?
    public init(messageId: String, replay: Bool? = nil, destination: String? = nil) {
        self.messageId = messageId
        self.replay = replay
        self.destination = destination
    }

    /// The key the outgoing calls' breaker uses for a URL.
    public static func destination(_ url: String) -> String? {
        guard let parsed = URL(string: url), let host = parsed.host else { return nil }
        return parsed.port.map { "\(host):\($0)" } ?? host
    }
}
