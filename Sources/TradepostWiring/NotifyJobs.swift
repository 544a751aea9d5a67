import Foundation
import TradepostCore
import TradepostJobs
import TradepostStore

/// One outbox event that some notification kind or webhook may want (`notify.event`). Its time
/// travels as seconds, not as the payloads' ISO dates: a webhook's `timestamp` keeps its milliseconds.
public struct NotifyEventJob: JobPayload {
    public static let jobType = "notify.event"
    public var id: Int64
    public var topic: String
    public var payload: String
    public var at: Double

    init(_ event: OutboxEvent) {
        (id, topic, payload, at) = (event.id, event.topic, event.payload, event.createdAt.timeIntervalSince1970)
    }

    func event(_ tenant: TenantID) -> OutboxEvent {
        OutboxEvent(id: id, tenant: tenant, topic: topic, payload: payload, createdAt: Date(timeIntervalSince1970: at))
    }
}

/// One webhook message's next attempt (`webhook.deliver`).
public struct WebhookDeliverJob: JobPayload {
    public static let jobType = "webhook.deliver"
    public var messageId: String
    /// Sent even if delivered meanwhile (an admin's replay).
    public var replay: Bool?
    /// The endpoint's "host:port" (see `WebhookDue.destination`).
    public var destination: String?
}

/// The one path from events to people: every topic a notification kind or a webhook listens to
/// becomes a `notify.event` job, which stores the notifications, their deliveries and the webhook
/// messages in one transaction; those raise their own jobs through the outbox.
enum NotifyJobs {
    static func register(_ registry: JobRegistry, store: Store, settings: NotifySettings) {
        registry.queue("notify", concurrency: 8)
        registry.queue("webhooks", concurrency: 32)
        registry.register(NotifyEventJob.self, queue: "notify", maxAttempts: 10, timeout: .seconds(60), priority: 10) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("an event needs its tenant") }
            let (n, d, w) = try await store.notifications.fanOut(job.event(tenant))
            if n + d + w > 0 {
                context.logger.debug("notified", metadata: ["topic": "\(job.topic)", "notifications": "\(n)", "deliveries": "\(d)", "webhooks": "\(w)"])
            }
        }
        var topics = Set(NotificationKinds.all.map(\.topic)).union(WebhookTopics.all)
        topics.remove(WebhookTopics.test)
        for topic in topics.sorted() {
            // Run by the dispatcher as the event leaves the outbox: people are waiting on it.
            registry.subscribeInline("notify:\(topic)", topic: topic, job: NotifyEventJob.self, payload: { NotifyEventJob($0) }) { event in
                _ = try await store.notifications.fanOut(event)
            }
        }
        // A tenant's job given up tells its admins — except the deliveries themselves, whose failures
        // their own logs show (and which must not notify about notifying).
        registry.whenDiscarded { tenant, id, type, error in
            guard !type.hasPrefix("notify.") && type != WebhookDeliverJob.jobType else { return }
            Task { try? await store.notifications.jobFailed(tenant, JobFailedEvent(jobId: id, type: type, error: String(error.prefix(300)))) }
        }
        let sender = WebhookSender(store: store, settings: settings)
        // The message counts its own attempts (WebhookRetry); the job may also come back when its
        // destination is busy or its breaker open, which is not an attempt — hence room for days of runs.
        registry.register(WebhookDeliverJob.self, queue: "webhooks", maxAttempts: 100_000,
                          timeout: .seconds(Int64(settings.webhookTimeout) + 15), priority: 10) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a webhook needs a tenant") }
            try await sender.deliver(tenant, messageID: job.messageId, replay: job.replay ?? false, destination: job.destination)
        }
        registry.subscribe("webhook-deliver", topic: Topic.webhookDue, job: WebhookDeliverJob.self) { event in
            let due = try event.decode(WebhookDue.self)
            return WebhookDeliverJob(messageId: due.messageId, replay: due.replay, destination: due.destination)
        }
    }
}
