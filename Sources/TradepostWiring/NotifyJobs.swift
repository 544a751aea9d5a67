import Foundation
import TradepostCore
import TradepostJobs
import TradepostStore

/// One outbox event that some notification kind or webhook may want (`notify.event`).
public struct NotifyEventJob: JobPayload {
    public static let jobType = "notify.event"
    public var event: OutboxEvent
}

/// One webhook message's next attempt (`webhook.deliver`).
public struct WebhookDeliverJob: JobPayload {
    public static let jobType = "webhook.deliver"
    public var messageId: String
}

/// The one path from events to people: every topic a notification kind or a webhook listens to
/// becomes a `notify.event` job, which stores the notifications, their deliveries and the webhook
/// messages in one transaction; those raise their own jobs through the outbox.
enum NotifyJobs {
    static func register(_ registry: JobRegistry, store: Store, settings: NotifySettings) {
        registry.queue("notify", concurrency: 8)
        registry.queue("webhooks", concurrency: 32)
        registry.register(NotifyEventJob.self, queue: "notify", maxAttempts: 10, timeout: .seconds(60), priority: 10) { job, context in
            let (n, d, w) = try await store.notifications.fanOut(job.event)
            if n + d + w > 0 {
                context.logger.debug("notified", metadata: ["topic": "\(job.event.topic)", "notifications": "\(n)", "deliveries": "\(d)", "webhooks": "\(w)"])
            }
        }
        var topics = Set(NotificationKinds.all.map(\.topic)).union(WebhookTopics.all)
        topics.remove(WebhookTopics.test)
        for topic in topics.sorted() {
            registry.subscribe("notify:\(topic)", topic: topic, job: NotifyEventJob.self) { NotifyEventJob(event: $0) }
        }
        // A tenant's job given up tells its admins — except the deliveries themselves, whose failures
        // their own logs show (and which must not notify about notifying).
        registry.whenDiscarded { tenant, id, type, error in
            guard !type.hasPrefix("notify.") && type != WebhookDeliverJob.jobType else { return }
            Task { try? await store.notifications.jobFailed(tenant, JobFailedEvent(jobId: id, type: type, error: String(error.prefix(300)))) }
        }
        let sender = WebhookSender(store: store, settings: settings)
        registry.register(WebhookDeliverJob.self, queue: "webhooks", maxAttempts: WebhookRetry.maxAttempts + 4,
                          timeout: .seconds(Int64(settings.webhookTimeout) + 15), priority: 10) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a webhook needs a tenant") }
            try await sender.deliver(tenant, messageID: job.messageId)
        }
        registry.subscribe("webhook-deliver", topic: Topic.webhookDue, job: WebhookDeliverJob.self) { event in
            WebhookDeliverJob(messageId: try event.decode(WebhookDue.self).messageId)
        }
    }
}
