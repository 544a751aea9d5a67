import Foundation
import TradepostBlobs
import TradepostCore
import TradepostDocuments
import TradepostJobs
import TradepostMail
import TradepostStore

/// Deliveries of notifications on channels other than the app (`notify.deliver`): one event's, in
/// batches. Each is sent at most once (a delivery no longer pending is skipped), so a retried batch
/// sends only what is still due.
public struct DeliverNotificationJob: JobPayload {
    public static let jobType = "notify.deliver"
    public var deliveryIds: [Int64]
}

/// Every user's digest that is due (hourly, per tenant).
public struct NotificationDigestJob: JobPayload {
    public static let jobType = "notify.digest"
    public init() {}
}

/// Mail and Telegram: each delivery waits out the user's quiet hours, goes through the tenant's relay on a
/// reused session, is retried on 4xx and transport failures and given up on 5xx; digests gather
/// the rest. SMS and Telegram deliveries are skipped with the reason until those channels exist.
final class MailJobs: Sendable {
    let store: Store
    let composer: MailComposer
    let pool: SMTPPool
    let documents: TradeDocuments
    let telegram: TelegramDirectory?
    let sms: SMSSender
    static let maxAttempts = 12

    init(store: Store, baseURL: String, caFile: String, telegram: TelegramDirectory? = nil, settings: NotifySettings = NotifySettings()) {
        self.store = store
        self.telegram = telegram
        sms = SMSSender(settings: settings)
        composer = MailComposer(baseURL: baseURL)
        pool = SMTPPool(caFile: caFile)
        documents = TradeDocuments(fulfilment: store.fulfilment, returns: store.returns,
                                   blobs: ObjectStore(dataDir: store.dataDir, tenants: store.tenantDatabases))
    }

    static func register(_ registry: JobRegistry, store: Store, settings: NotifySettings, baseURL: String, telegram: TelegramDirectory) throws -> MailJobs {
        let jobs = MailJobs(store: store, baseURL: baseURL, caFile: settings.smtpCAFile, telegram: telegram, settings: settings)
        registry.register(DeliverNotificationJob.self, queue: "notify", maxAttempts: maxAttempts, timeout: .seconds(120),
                          backoff: Backoff(base: .seconds(30), maximum: .seconds(3600))) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a delivery needs a tenant") }
            try await jobs.deliver(tenant, job.deliveryIds, attempt: context.attempt)
        }
        registry.subscribe("notify-deliver", topic: Topic.notificationDue, job: DeliverNotificationJob.self) { event in
            DeliverNotificationJob(deliveryIds: try event.decode(DeliveryDue.self).deliveryIds)
        }
        registry.register(NotificationDigestJob.self, queue: "notify", maxAttempts: 3, timeout: .seconds(600)) { _, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a digest needs a tenant") }
            try await jobs.digests(tenant)
        }
        try registry.schedule("notify-digest", cron: "0 * * * *", zone: .eachTenant, job: NotificationDigestJob.self) { _ in NotificationDigestJob() }
        return jobs
    }

    /// Sends what is due; comes back (RetryLater) for what waits out quiet hours or failed in a way
    /// worth another try — sooner of the two.
    func deliver(_ tenant: TenantID, _ ids: [Int64], attempt: Int) async throws {
        var again: TimeInterval?
        var last: (any Error)?
        for id in ids {
            do {
                if let wait = try await deliver(tenant, id, attempt: attempt) { again = min(again ?? wait, wait) }
            } catch let error as RetryLater {
                again = min(again ?? error.delay, error.delay)
            } catch {
                last = error
                let backoff = min(30 * pow(2, Double(attempt - 1)), 3600)
                again = min(again ?? backoff, backoff)
            }
        }
        if let again { throw RetryLater(after: again, last.map { String(describing: $0) } ?? "deliveries wait") }
    }

    /// One delivery: nil when done (sent, skipped, given up), or how long until it should be tried again.
    func deliver(_ tenant: TenantID, _ id: Int64, attempt: Int) async throws -> TimeInterval? {
        guard let work = try await store.notifications.work(tenant, deliveryID: id) else { return nil }
        if let notBefore = work.delivery.notBefore, notBefore > Date() { return notBefore.timeIntervalSinceNow }
        if work.delivery.channel == .telegram, let telegram {
            switch try await telegram.deliver(tenant, work) {
            case .sent: try await store.notifications.finish(tenant, deliveryID: id, .sent, error: nil)
            case .skipped(let why): try await store.notifications.finish(tenant, deliveryID: id, .skipped, error: why)
            case .failed(let why): try await store.notifications.finish(tenant, deliveryID: id, .failed, error: why)
            }
            return nil
        }
        if work.delivery.channel == .sms {
            guard let gateway = try await store.channels.smsGateway(tenant) else {
                try await store.notifications.finish(tenant, deliveryID: id, .skipped, error: "SMS is not set up for this tenant")
                return nil
            }
            guard let phone = work.phone else {
                try await store.notifications.finish(tenant, deliveryID: id, .skipped, error: "no phone number")
                return nil
            }
            do {
                _ = try await sms.send(gateway, to: phone, text: "\(work.title): \(work.body)")
                try await store.notifications.finish(tenant, deliveryID: id, .sent, error: nil)
            } catch let failure as SMSSender.Failure {
                let last = failure.permanent || attempt >= Self.maxAttempts
                try await store.notifications.finish(tenant, deliveryID: id, last ? .failed : .pending, error: failure.description)
                if !last { throw failure }
            }
            return nil
        }
        guard work.delivery.channel == .email else {
            try await store.notifications.finish(tenant, deliveryID: id, .skipped, error: "\(work.delivery.channel.rawValue) is not set up on this server")
            return nil
        }
        guard let relay = try await store.channels.relay(tenant) else {
            try await store.notifications.finish(tenant, deliveryID: id, .skipped, error: "email is not set up for this tenant")
            return nil
        }
        var attachments: [MailMessage.Attachment] = []
        if work.kind == "invoice.issued", let invoice = work.fields["invoice_id"],
           let (name, data) = try? await documents.invoicePDF(.system(tenant), invoiceID: invoice) {
            attachments.append(.init(fileName: name, contentType: "application/pdf", data: Array(data)))
        }
        do {
            try await pool.send(composer.notification(work, relay: relay, attachments: attachments), via: composer.relaySettings(relay))
            try await store.notifications.finish(tenant, deliveryID: id, .sent, error: nil)
        } catch let error as SMTPError {
            let last = error.permanent || attempt >= Self.maxAttempts
            try await store.notifications.finish(tenant, deliveryID: id, last ? .failed : .pending, error: error.description)
            if !last { throw error }
        }
        return nil
    }

    func digests(_ tenant: TenantID) async throws {
        let due = try await store.notifications.dueDigests(tenant, now: Date())
        guard !due.isEmpty, let relay = try await store.channels.relay(tenant) else { return }
        for digest in due {
            do {
                try await pool.send(composer.digest(digest, relay: relay), via: composer.relaySettings(relay))
                try await store.notifications.digestSent(tenant, digest, error: nil)
            } catch {
                try await store.notifications.digestSent(tenant, digest, error: String(describing: error))
            }
        }
    }

    /// The settings screen's and the command line's test: sent now, the outcome answered.
    func test(_ tenant: TenantID, to: String, locale: String?) async throws -> ChannelTestResult {
        guard let relay = try await store.channels.relay(tenant) else { throw AppError.conflict("Email is not set up; save the settings first") }
        let name = (try? await store.tenants.tenant(id: tenant).name) ?? tenant.rawValue
        do {
            try await pool.send(composer.test(to: to, tenantName: name, locale: locale, relay: relay), via: composer.relaySettings(relay))
            return ChannelTestResult(ok: true, detail: "Sent to \(to) through \(relay.settings.host):\(relay.settings.port)")
        } catch {
            return ChannelTestResult(ok: false, detail: String(describing: error))
        }
    }
}

/// The channel settings for the routes: the store keeps them, the mail jobs' pool sends the test.
public struct ChannelDirectory: ChannelService, SMSChannelService {
    let store: Store
    let mail: MailJobs

    init(store: Store, mail: MailJobs) {
        self.store = store
        self.mail = mail
    }

    /// Settings and tests without the jobs engine (tests, tools): its own relay sessions.
    public init(store: Store, baseURL: String, caFile: String = "") {
        self.init(store: store, mail: MailJobs(store: store, baseURL: baseURL, caFile: caFile))
    }

    public func email(_ caller: Caller) async throws -> EmailChannelSettings? { try await store.channels.email(caller) }
    public func setEmail(_ caller: Caller, _ input: EmailChannelInput) async throws -> EmailChannelSettings { try await store.channels.setEmail(caller, input) }
    public func removeEmail(_ caller: Caller) async throws { try await store.channels.removeEmail(caller) }
    public func sms(_ caller: Caller) async throws -> SMSChannelSettings? { try await store.channels.sms(caller) }

    public func setSMS(_ caller: Caller, _ input: SMSChannelInput) async throws -> SMSChannelSettings {
        _ = try caller.authorize(.channelsManage)
        let base = input.url.replacingOccurrences(of: "{to}", with: "0")
        var problem: String?
        if let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil {
            problem = await mail.sms.destinations.problem(url)
        } else {
            problem = "must be an http or https URL"
        }
        return try await store.channels.setSMS(caller, input, urlProblem: problem)
    }

    public func removeSMS(_ caller: Caller) async throws { try await store.channels.removeSMS(caller) }

    public func testSMS(_ caller: Caller, to: String) async throws -> ChannelTestResult {
        _ = try caller.authorize(.channelsManage)
        if !SQLiteNotificationService.isPhone(to) { throw AppError.invalidField("to", "must be an international number like +380501234567") }
        guard let gateway = try await store.channels.smsGateway(try caller.tenant()) else { throw AppError.conflict("SMS is not set up; save the settings first") }
        let text = NotificationText.fill(NotificationText.phrase("test", locale: caller.principal.locale), ["tenant": caller.principal.tenantName ?? ""])
        do {
            let (encoding, segments) = try await mail.sms.send(gateway, to: to, text: text)
            return ChannelTestResult(ok: true, detail: "Sent to \(to): \(segments) message\(segments == 1 ? "" : "s"), \(encoding.rawValue)")
        } catch {
            return ChannelTestResult(ok: false, detail: String(describing: error))
        }
    }

    public func testEmail(_ caller: Caller, to: String?) async throws -> ChannelTestResult {
        let own = try store.channels.callerEmail(caller)
        if let to, !Validator.isEmail(to) { throw AppError.invalidField("to", "must be an email address") }
        return try await mail.test(try caller.tenant(), to: to ?? own, locale: caller.principal.locale)
    }
}
