import Foundation
import TradepostBlobs
import TradepostCore
import TradepostJobs
import TradepostStore

/// A stored webhook body to read (`inbox.inbound`).
public struct InboxInboundJob: JobPayload {
    public static let jobType = "inbox.inbound"
    public var webhookId: Int64
}

/// An agent's reply to send through its channel (`inbox.send`).
public struct InboxSendJob: JobPayload {
    public static let jobType = "inbox.send"
    public var messageId: String
}

/// The inbox's jobs: reading what the platforms posted (messages with their files fetched into the
/// blob store, statuses) and sending agents' replies. Both are idempotent: a message id already
/// taken is skipped, a reply no longer queued is not sent again.
public struct InboxJobs: Sendable {
    let store: Store
    let blobs: ObjectStore
    let whatsApp: WhatsAppCloudAPI
    let telegram: TelegramDirectory

    public init(store: Store, settings: NotifySettings, telegram: TelegramDirectory) {
        var policy = OutgoingHTTP.Policy()
        policy.retries = 0
        policy.timeout = .seconds(30)
        policy.maxResponseBytes = 100 << 20
        self.store = store
        blobs = ObjectStore(dataDir: store.dataDir, tenants: store.tenantDatabases)
        whatsApp = WhatsAppCloudAPI(base: settings.whatsAppAPIURL, http: OutgoingHTTP(policy: policy, breaker: CircuitBreaker(threshold: 5, cooldown: 30)))
        self.telegram = telegram
    }

    @discardableResult
    public static func register(_ registry: JobRegistry, store: Store, settings: NotifySettings, telegram: TelegramDirectory) -> InboxJobs {
        let jobs = InboxJobs(store: store, settings: settings, telegram: telegram)
        registry.queue("inbox", concurrency: 16)
        registry.register(InboxInboundJob.self, queue: "inbox", maxAttempts: 20, timeout: .seconds(300), priority: 10) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a webhook needs its tenant") }
            try await jobs.inbound(tenant, job.webhookId, inline: false, attempt: context.attempt)
        }
        // Read by the dispatcher as the event leaves the outbox (the agent is waiting); a body with
        // files to fetch, or statuses that came early, becomes a job instead.
        registry.subscribeInline("inbox-inbound", topic: Topic.inboxWebhook, job: InboxInboundJob.self, payload: { event in
            InboxInboundJob(webhookId: try event.decode(InboxWebhookEvent.self).webhookId)
        }) { event in
            try await jobs.inbound(event.tenant, try event.decode(InboxWebhookEvent.self).webhookId, inline: true, attempt: 1)
        }
        registry.register(InboxSendJob.self, queue: "inbox", maxAttempts: 12, timeout: .seconds(60), priority: 10) { job, context in
            guard let tenant = context.tenant else { throw PermanentJobError("a reply needs its tenant") }
            try await jobs.send(tenant, job.messageId, last: context.attempt >= 12)
        }
        registry.subscribe("inbox-send", topic: Topic.inboxReply, job: InboxSendJob.self) { event in
            InboxSendJob(messageId: try event.decode(InboxReplyEvent.self).messageId)
        }
        return jobs
    }

    struct NeedsJob: Error {}

    /// Reads one stored webhook body: its messages (files fetched first, outside any transaction)
    /// and statuses, recorded in one transaction.
    func inbound(_ tenant: TenantID, _ id: Int64, inline: Bool, attempt: Int) async throws {
        if inline {
            // A burst: the oldest waiting bodies without files to fetch are recorded together, in one transaction.
            let pending = try await store.inbox.pendingWebhooks(tenant, limit: 64)
            guard pending.contains(where: { $0.id == id }) else { return }  // an earlier batch took it
            let parsed = pending.map { (id: $0.id, channel: $0.channel, batch: Self.parse($0.channel, $0.body)) }
            let plain = parsed.filter { $0.batch.messages.allSatisfy { $0.media == nil } }
            let left = try await store.inbox.recordInbound(tenant, plain.map { ($0.id, $0.channel.id, $0.batch) })
            if !plain.contains(where: { $0.id == id }) || left.contains(id) { throw NeedsJob() }
            return
        }
        guard let (channel, body) = try await store.inbox.pendingWebhook(tenant, id: id) else { return }
        let batch = Self.parse(channel, body)
        let known = try await store.inbox.knownMessages(tenant, channelID: channel.id, externalIDs: batch.messages.map(\.externalId))
        let fetching = batch.messages.filter { $0.media != nil && !known.contains($0.externalId) }
        if inline && !fetching.isEmpty { throw NeedsJob() }
        var files: [String: StoredFile] = [:]
        do {
            for message in fetching { files[message.externalId] = try await fetch(tenant, channel, message.media!) }
            // A status can overtake the send job's record of the message id by a moment: look again soon.
            let unknown = try await store.inbox.recordInbound(tenant, webhookID: id, channelID: channel.id, batch, files: files, final: attempt >= 5)
            if !unknown.isEmpty && attempt < 5 { throw RetryLater(after: 1, "statuses for messages not recorded yet") }
        } catch let wait as RetryLater {
            throw wait
        } catch {
            for file in files.values { blobs.discardBlob(tenant, file.blob) }
            throw error
        }
    }

    /// What a body says; one signed by Meta but not of a shape we read says nothing (and is marked processed).
    static func parse(_ channel: InboxChannel, _ body: [UInt8]) -> InboundBatch {
        switch channel.kind {
        case .whatsapp: (try? WhatsAppPayload.parse(body, phoneNumberId: channel.phoneNumberId)) ?? InboundBatch()
        case .telegram: InboundBatch(messages: TelegramInbound.parse(body).map { [$0] } ?? [])
        }
    }

    /// A customer's file from the platform into the blob store.
    func fetch(_ tenant: TenantID, _ channel: InboxChannel, _ media: InboundMessage.Media) async throws -> StoredFile {
        let bytes: [UInt8]
        var type = media.contentType
        switch channel.kind {
        case .whatsapp:
            let (_, secrets) = try await store.inbox.whatsAppSecrets(tenant, channelID: channel.id)
            let got = try await whatsApp.media(id: media.platformId, token: secrets.accessToken)
            bytes = got.bytes
            type = got.contentType ?? type
        case .telegram:
            bytes = try await telegram.download(tenant, fileID: media.platformId)
        }
        let writer = try blobs.newBlob(tenant, checksums: [], sha256: false)
        do {
            try bytes.withUnsafeBytes { try writer.write($0) }
            try writer.commit()
        } catch {
            writer.discard()
            throw error
        }
        return StoredFile(blob: writer.id, contentType: type, size: Int64(bytes.count), name: media.fileName)
    }

    /// Sends a queued reply; a permanent refusal (or the last attempt) marks it failed.
    func send(_ tenant: TenantID, _ messageID: String, last: Bool) async throws {
        guard let out = try await store.inbox.outbound(tenant, messageID: messageID), out.status == .queued else { return }
        if out.waitsForEarlier && !last { throw RetryLater(after: 0.2, "an earlier reply to this customer is still on its way") }
        do {
            let external: String
            switch out.channel.kind {
            case .whatsapp:
                let (channel, secrets) = try await store.inbox.whatsAppSecrets(tenant, channelID: out.channel.id)
                external = try await whatsApp.sendText(phoneNumberID: channel.phoneNumberId ?? "", token: secrets.accessToken, to: out.chatId, text: out.text)
            case .telegram:
                external = try await telegram.sendInbox(tenant, chat: out.chatId, text: out.text)
            }
            try await store.inbox.sent(tenant, messageID: messageID, externalID: external, error: nil)
        } catch let failure as WhatsAppCloudAPI.Failure where failure.permanent || last {
            try await store.inbox.sent(tenant, messageID: messageID, externalID: nil, error: failure.description)
        } catch let failure as TelegramBotAPI.Failure where (failure.permanent && failure.retryAfter == nil) || last {
            try await store.inbox.sent(tenant, messageID: messageID, externalID: nil, error: failure.description)
        }
    }
}

extension InboxJobs: InboxChannelTester {
    public func test(_ caller: Caller, channelID: String) async throws -> ChannelCheck {
        let tenant = try caller.authorize(.channelsManage)
        guard let channel = try await store.inbox.channels(caller).first(where: { $0.id == channelID }) else { throw AppError.notFound("Channel") }
        do {
            switch channel.kind {
            case .whatsapp:
                let (_, secrets) = try await store.inbox.whatsAppSecrets(tenant, channelID: channelID)
                let number = try await whatsApp.phoneNumber(id: channel.phoneNumberId ?? "", token: secrets.accessToken)
                return ChannelCheck(ok: true, detail: number.isEmpty ? "connected" : number)
            case .telegram:
                guard let credentials = try await store.telegram.credentials(tenant) else { return ChannelCheck(ok: false, detail: "No Telegram bot is connected") }
                _ = try await telegram.api.call(credentials.token, "getMe", [:])
                return ChannelCheck(ok: true, detail: "@" + credentials.username)
            }
        } catch let failure as WhatsAppCloudAPI.Failure {
            return ChannelCheck(ok: false, detail: failure.description)
        } catch let failure as TelegramBotAPI.Failure {
            return ChannelCheck(ok: false, detail: failure.description)
        }
    }
}
