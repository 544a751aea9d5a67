import Crypto
import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// The shared inbox's data: channels (secrets sealed), webhook bodies stored before they are
/// answered, contacts, channel conversations with status, assignee and queue, replies and their
/// delivery status. Talking to the platforms is `TradepostWiring`'s; each method is one transaction.
public final class SQLiteInboxService: InboxService {
    let tenants: TenantDatabases
    let stats: StoreStats
    let box: SecretBox
    let baseURL: String
    let analyze: @Sendable (String) -> [String]
    /// A tenant by its slug (the control database), for the platforms' webhooks.
    let resolve: @Sendable (String) async throws -> Tenant

    public init(tenants: TenantDatabases, stats: StoreStats, box: SecretBox, baseURL: String, analyze: @escaping @Sendable (String) -> [String],
                resolve: @escaping @Sendable (String) async throws -> Tenant) {
        self.tenants = tenants
        self.stats = stats
        self.box = box
        self.baseURL = baseURL
        self.analyze = analyze
        self.resolve = resolve
    }

    func slug(_ caller: Caller) -> String { caller.principal.tenantSlug ?? "" }

    public func channels(_ caller: Caller) async throws -> [InboxChannel] {
        let tenant = try caller.authorize(.channelsManage)
        let (base, slug) = (baseURL, slug(caller))
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try Row.fetchAll(db, sql: "SELECT * FROM inbox_channels ORDER BY created_at, id").map { InboxRows.channel($0, baseURL: base, tenantSlug: slug) }
            }
        }
    }

    /// Checks a channel's fields; `current` is the stored channel when changing one.
    func validate(_ db: Database, _ input: InboxChannelInput, current: Row?) throws -> (kind: InboxChannel.Kind, secrets: WhatsAppSecrets?) {
        var v = Validator()
        let kind = current.flatMap { InboxChannel.Kind(rawValue: $0["kind"]) } ?? input.kind
        if current == nil && input.kind == nil { v.fail("kind", "is required: telegram or whatsapp") }
        if let current, let asked = input.kind, asked.rawValue != (current["kind"] as String) { v.fail("kind", "cannot change; connect another channel") }
        if let name = input.name { _ = v.text("name", name, min: 1, max: 100) } else if current == nil { v.fail("name", "is required") }
        if let business = input.businessId {
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM businesses WHERE id = ?", arguments: [business]) == nil { v.fail("business_id", "is not a business") }
        } else if current == nil { v.fail("business_id", "is required: whose staff answer") }
        var secrets: WhatsAppSecrets?
        if kind == .whatsapp {
            if let id = input.phoneNumberId {
                if id.isEmpty || id.count > 64 || !id.allSatisfy(\.isNumber) { v.fail("phone_number_id", "must be the Cloud API's numeric phone number id") }
            } else if current == nil { v.fail("phone_number_id", "is required") }
            if let phone = input.displayPhone, phone.count > 32 { v.fail("display_phone", "at most 32 characters") }
            let old: WhatsAppSecrets? = try current.flatMap { row in try (row["sealed"] as String?).map { try self.openSecrets($0, channel: row["id"]) } }
            for (field, value) in [("access_token", input.accessToken), ("app_secret", input.appSecret), ("verify_token", input.verifyToken)] {
                if let value, value.isEmpty || value.count > 1000 || value.contains(where: \.isWhitespace) {
                    v.fail(field, "must be 1–1000 characters without spaces")
                } else if value == nil && old == nil {
                    v.fail(field, "is required")
                }
            }
            secrets = WhatsAppSecrets(accessToken: input.accessToken ?? old?.accessToken ?? "", appSecret: input.appSecret ?? old?.appSecret ?? "",
                                      verifyToken: input.verifyToken ?? old?.verifyToken ?? "")
        } else if input.phoneNumberId != nil || input.accessToken != nil || input.appSecret != nil {
            v.fail("phone_number_id", "belongs to a WhatsApp channel; a Telegram channel uses the tenant's bot")
        }
        try v.check("The channel cannot be saved")
        return (kind ?? .whatsapp, secrets)
    }

    func sealSecrets(_ s: WhatsAppSecrets, channel: String) throws -> String {
        try box.seal(String(decoding: try JSONEncoder().encode(s), as: UTF8.self), context: "inbox:" + channel).base64EncodedString()
    }

    func openSecrets(_ sealed: String, channel: String) throws -> WhatsAppSecrets {
        try JSONDecoder().decode(WhatsAppSecrets.self, from: Data(try box.open(Data(base64Encoded: sealed) ?? Data(), context: "inbox:" + channel).utf8))
    }

    public func createChannel(_ caller: Caller, _ input: InboxChannelInput, idempotency: IdempotencyKey?) async throws -> InboxChannel {
        let tenant = try caller.authorize(.channelsManage)
        let (base, slug, now) = (baseURL, slug(caller), Date())
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let (kind, secrets) = try self.validate(db, input, current: nil)
                    if kind == .telegram, try Bool.fetchOne(db, sql: "SELECT 1 FROM inbox_channels WHERE kind = 'telegram'") != nil {
                        throw AppError.conflict("The tenant's Telegram bot is a channel already")
                    }
                    if let number = input.phoneNumberId,
                       try Bool.fetchOne(db, sql: "SELECT 1 FROM inbox_channels WHERE phone_number_id = ?", arguments: [number]) != nil {
                        throw AppError.conflict("This WhatsApp number is connected already")
                    }
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO inbox_channels (id, kind, name, business_id, phone_number_id, display_phone, sealed, enabled, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, kind.rawValue, input.name!.trimmingCharacters(in: .whitespaces), input.businessId!, input.phoneNumberId,
                                         input.displayPhone, try secrets.map { try self.sealSecrets($0, channel: id) }, input.enabled ?? true, now, now])
                    try AuditLog.tenant(db, caller.audit, "inbox.channel.create", target: id, detail: ["kind": kind.rawValue])
                    return InboxRows.channel(try InboxRows.channelRow(db, id)!, baseURL: base, tenantSlug: slug)
                }
            }
        }
    }

    public func updateChannel(_ caller: Caller, id: String, _ input: InboxChannelInput) async throws -> InboxChannel {
        let tenant = try caller.authorize(.channelsManage)
        let (base, slug, now) = (baseURL, slug(caller), Date())
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let current = try InboxRows.channelRow(db, id) else { throw AppError.notFound("Channel") }
                let (_, secrets) = try self.validate(db, input, current: current)
                if let number = input.phoneNumberId,
                   try Bool.fetchOne(db, sql: "SELECT 1 FROM inbox_channels WHERE phone_number_id = ? AND id != ?", arguments: [number, id]) != nil {
                    throw AppError.conflict("This WhatsApp number is connected already")
                }
                try db.execute(sql: """
                    UPDATE inbox_channels SET name = coalesce(?, name), business_id = coalesce(?, business_id), phone_number_id = coalesce(?, phone_number_id),
                        display_phone = coalesce(?, display_phone), sealed = coalesce(?, sealed), enabled = coalesce(?, enabled), updated_at = ? WHERE id = ?
                    """, arguments: [input.name?.trimmingCharacters(in: .whitespaces), input.businessId, input.phoneNumberId, input.displayPhone,
                                     try secrets.map { try self.sealSecrets($0, channel: id) }, input.enabled, now, id])
                try AuditLog.tenant(db, caller.audit, "inbox.channel.update", target: id)
                return InboxRows.channel(try InboxRows.channelRow(db, id)!, baseURL: base, tenantSlug: slug)
            }
        }
    }

    public func deleteChannel(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.channelsManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try InboxRows.channelRow(db, id) != nil else { throw AppError.notFound("Channel") }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM inbox_conversations WHERE channel_id = ? LIMIT 1", arguments: [id]) != nil {
                    throw AppError.conflict("The channel has conversations; disable it instead")
                }
                try db.execute(sql: "DELETE FROM inbox_channels WHERE id = ?", arguments: [id])
                try AuditLog.tenant(db, caller.audit, "inbox.channel.delete", target: id)
            }
        }
    }

    public func whatsAppSecrets(_ tenant: TenantID, channelID: String) async throws -> (InboxChannel, WhatsAppSecrets) {
        let base = baseURL
        return try await tenants.read(tenant) { db in
            guard let row = try InboxRows.channelRow(db, channelID), let sealed = row["sealed"] as String? else { throw AppError.notFound("Channel") }
            return (InboxRows.channel(row, baseURL: base, tenantSlug: ""), try self.openSecrets(sealed, channel: channelID))
        }
    }

    /// The channel's row and secrets, for the webhooks (an unknown or disabled channel: notFound).
    func webhookChannel(_ tenant: TenantID, _ channelID: String) async throws -> WhatsAppSecrets {
        try await tenants.read(tenant) { db in
            guard let row = try InboxRows.channelRow(db, channelID), row["enabled"] as Bool, (row["kind"] as String) == "whatsapp",
                  let sealed = row["sealed"] as String? else { throw AppError.notFound("Channel") }
            return try self.openSecrets(sealed, channel: channelID)
        }
    }

    public func verifyWebhook(tenantSlug: String, channelID: String, mode: String?, token: String?, challenge: String?) async throws -> String? {
        guard let tenant = try? await resolve(tenantSlug), let secrets = try? await webhookChannel(tenant.id, channelID) else { return nil }
        guard mode == "subscribe", let token, let challenge, WhatsAppSignature.equal(Array(token.utf8), Array(secrets.verifyToken.utf8)) else { return nil }
        return challenge
    }

    public func acceptWebhook(tenantSlug: String, channelID: String, signature: String?, body: [UInt8]) async throws {
        guard let tenant = try? await resolve(tenantSlug), let secrets = try? await webhookChannel(tenant.id, channelID) else {
            throw AppError.notFound("Channel")
        }
        guard WhatsAppSignature.valid(body: body, header: signature, appSecret: secrets.appSecret) else {
            throw AppError.forbidden("The X-Hub-Signature-256 header does not sign this body")
        }
        try await Self.store(tenants, tenant.id, channelID: channelID, body: body)
    }

    /// Keeps a webhook body and queues its job, in one transaction: once this returns, it is not lost.
    static func store(_ tenants: TenantDatabases, _ tenant: TenantID, channelID: String, body: [UInt8]) async throws {
        try await tenants.write(tenant) { db in
            try db.cachedStatement(sql: "INSERT INTO inbox_webhooks (channel_id, body, received_at) VALUES (?, ?, ?)")
                .execute(arguments: [channelID, Data(body), Date()])
            try Outbox.append(db, topic: Topic.inboxWebhook, payload: InboxWebhookEvent(webhookId: db.lastInsertedRowID))
        }
    }

    /// A Telegram update from someone who is not a user, for the tenant's Telegram channel (false: there is none).
    public func acceptTelegram(_ tenant: TenantID, update: [UInt8]) async throws -> Bool {
        guard let channel = try await tenants.read(tenant, { db in
            try String.fetchOne(db, sql: "SELECT id FROM inbox_channels WHERE kind = 'telegram' AND enabled = 1")
        }) else { return false }
        try await Self.store(tenants, tenant, channelID: channel, body: update)
        return true
    }

    public func pendingWebhook(_ tenant: TenantID, id: Int64) async throws -> (channel: InboxChannel, body: [UInt8])? {
        let base = baseURL
        return try await tenants.read(tenant) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT channel_id, body FROM inbox_webhooks WHERE id = ? AND processed_at IS NULL", arguments: [id]),
                  let channel = try InboxRows.channelRow(db, row["channel_id"]) else { return nil }
            return (InboxRows.channel(channel, baseURL: base, tenantSlug: ""), Array(row["body"] as Data))
        }
    }

    public func pendingWebhooks(_ tenant: TenantID, limit: Int) async throws -> [(id: Int64, channel: InboxChannel, body: [UInt8])] {
        let base = baseURL
        return try await tenants.read(tenant) { db in
            var channels: [String: InboxChannel] = [:]
            return try Row.fetchAll(db, sql: "SELECT id, channel_id, body FROM inbox_webhooks WHERE processed_at IS NULL ORDER BY id LIMIT ?", arguments: [limit])
                .compactMap { row in
                    let channelID: String = row["channel_id"]
                    if channels[channelID] == nil, let c = try InboxRows.channelRow(db, channelID) { channels[channelID] = InboxRows.channel(c, baseURL: base, tenantSlug: "") }
                    guard let channel = channels[channelID] else { return nil }
                    return (row["id"], channel, Array(row["body"] as Data))
                }
        }
    }

    public func knownMessages(_ tenant: TenantID, channelID: String, externalIDs: [String]) async throws -> Set<String> {
        guard !externalIDs.isEmpty else { return [] }
        return try await tenants.read(tenant) { db in
            Set(try String.fetchAll(db, sql: "SELECT external_id FROM channel_messages WHERE channel_id = ? AND external_id IN (\(InboxRows.marks(externalIDs.count)))",
                                    arguments: StatementArguments([channelID] + externalIDs)))
        }
    }
}
