import Foundation

/// A tenant's outbound webhook endpoint. Its signing secret is shown once, when created or rotated.
public struct WebhookEndpoint: Codable, Sendable, Equatable {
    public var id: String
    public var url: String
    public var description: String
    /// Topics delivered ("order.placed"); empty means every kind in `NotificationKinds` and the webhook-only topics.
    public var eventTypes: [String]
    public var enabled: Bool
    /// Why it was switched off by the server ("410 Gone", "failing since …"), if it was.
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Only in the answer that made it: `whsec_…`.
    public var secret: String?
    /// While a rotation's grace lasts, deliveries carry both signatures.
    public var previousSecretExpiresAt: Date?

    public init(id: String, url: String, description: String, eventTypes: [String], enabled: Bool, disabledReason: String?, createdAt: Date,
                updatedAt: Date, secret: String? = nil, previousSecretExpiresAt: Date? = nil) {
        self.id = id
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.secret = secret
        self.previousSecretExpiresAt = previousSecretExpiresAt
    }
}

public struct WebhookEndpointInput: Codable, Sendable {
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?
    public var enabled: Bool?
    public init(url: String? = nil, description: String? = nil, eventTypes: [String]? = nil, enabled: Bool? = nil) {
        self.url = url
        self.description = description
        self.eventTypes = eventTypes
        self.enabled = enabled
    }
}

/// One message to one endpoint (its `webhook-id` is the same on every attempt) and how it went.
public struct WebhookMessage: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case pending, delivered, failed }
    public var id: String
    public var endpointId: String
    public var eventType: String
    public var status: Status
    public var attempts: [WebhookAttempt]
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public init(id: String, endpointId: String, eventType: String, status: Status, attempts: [WebhookAttempt], nextAttemptAt: Date?, createdAt: Date) {
        self.id = id
        self.endpointId = endpointId
        self.eventType = eventType
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
    }
}

public struct WebhookAttempt: Codable, Sendable, Equatable {
    public var at: Date
    /// The HTTP status, or nil when no answer came (refused, timed out).
    public var status: Int?
    public var latencyMs: Int
    /// The first bytes of the answer, or the transport error.
    public var response: String
    public init(at: Date, status: Int?, latencyMs: Int, response: String) {
        self.at = at
        self.status = status
        self.latencyMs = latencyMs
        self.response = response
    }
}

/// When a failed delivery is tried again: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after the
/// attempts before it (Svix's and Standard Webhooks' schedule), each ±10 % so endpoints that came
/// back together are not hit together, and never sooner than the endpoint's `Retry-After`.
public enum WebhookRetry {
    public static let schedule: [TimeInterval] = [5, 300, 1800, 7200, 18000, 36000, 36000]
    /// The whole life of a message: the first attempt and one per step.
    public static var maxAttempts: Int { schedule.count + 1 }

    /// The wait after failed attempt `attempt` (1-based), or nil when it was the last.
    public static func delay(afterAttempt attempt: Int, retryAfter: TimeInterval? = nil, jitter: Double) -> TimeInterval? {
        guard attempt >= 1, attempt <= schedule.count else { return nil }
        let base = schedule[attempt - 1] * (1 + max(-0.1, min(0.1, jitter)))
        return max(base, retryAfter ?? 0)
    }

    /// `Retry-After` as seconds (delta-seconds or an HTTP date), capped at a day.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> TimeInterval? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return TimeInterval(min(max(seconds, 0), 86400)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return min(max(date.timeIntervalSince(now), 0), 86400)
    }
}

/// The topics an endpoint may subscribe to: every notification kind's, the rest of the order and
/// document life, and the test event.
public enum WebhookTopics {
    public static let all: [String] = {
        var topics = NotificationKinds.all.map(\.topic).filter { $0 != Topic.jobFailed }
        topics += OrderState.allCases.map { Topic.order($0) } + ReturnState.allCases.map { Topic.orderReturn($0) }
        topics += [Topic.invoicePaid, Topic.shipmentCreated, Topic.shipmentDelivered, Topic.creditNoteIssued, Topic.productChanged, test]
        var seen = Set<String>()
        return topics.filter { seen.insert($0).inserted }
    }()
    public static let test = "webhook.test"
}
