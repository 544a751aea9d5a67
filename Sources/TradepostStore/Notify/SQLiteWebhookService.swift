import Crypto
import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// A tenant admin's webhook endpoints and their messages. Secrets are sealed at rest and shown
/// once; the delivery job (`TradepostWiring`) reads them through `delivery(_:_:)`.
public final class SQLiteWebhookService: WebhookService {
    let tenants: TenantDatabases
    let stats: StoreStats
    let box: SecretBox
    /// Why a URL may not be called (a private, loopback or link-local destination), or nil.
    let destinationProblem: @Sendable (URL) async -> String?

    public init(tenants: TenantDatabases, stats: StoreStats, box: SecretBox, destinationProblem: @escaping @Sendable (URL) async -> String?) {
        self.tenants = tenants
        self.stats = stats
        self.box = box
        self.destinationProblem = destinationProblem
    }

    public func endpoints(_ caller: Caller) async throws -> [WebhookEndpoint] {
        let tenant = try caller.authorize(.webhooksManage)
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try WebhookRows.endpoints(db) } }
    }

    public func endpoint(_ caller: Caller, id: String) async throws -> WebhookEndpoint {
        let tenant = try caller.authorize(.webhooksManage)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard let e = try WebhookRows.endpoints(db, where: "id = ?", [id]).first else { throw AppError.notFound("Webhook endpoint") }
                return e
            }
        }
    }

    /// Checks an endpoint's fields; a URL's destination is looked up (outside any transaction).
    func validate(_ input: WebhookEndpointInput, creating: Bool) async throws -> (url: String?, description: String?, types: [String]?) {
        var v = Validator()
        var url: String?
        if let raw = input.url {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if let parsed = URL(string: text), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme), parsed.host?.isEmpty == false,
               text.count <= 2000, parsed.user == nil {
                if let problem = await destinationProblem(parsed) { v.fail("url", problem) } else { url = text }
            } else {
                v.fail("url", "must be an http or https URL without credentials, at most 2000 characters")
            }
        } else if creating {
            v.fail("url", "is required")
        }
        let description = input.description.map { v.text("description", $0, min: 0, max: 500) }
        if let types = input.eventTypes {
            for (i, t) in types.enumerated() where !WebhookTopics.all.contains(t) { v.fail("event_types[\(i)]", "is not an event type") }
            if Set(types).count != types.count { v.fail("event_types", "lists a type twice") }
        }
        try v.check()
        return (url, description, input.eventTypes)
    }

    public func create(_ caller: Caller, _ input: WebhookEndpointInput, idempotency: IdempotencyKey?) async throws -> WebhookEndpoint {
        let tenant = try caller.authorize(.webhooksManage)
        let checked = try await validate(input, creating: true)
        let now = Date()
        let (box, types) = (self.box, checked.types ?? [])
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let id = "ep_" + Identifier.make(now: now)
                    let secret = Self.newSecret()
                    try db.execute(sql: """
                        INSERT INTO webhook_endpoints (id, url, description, event_types, enabled, secret, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, checked.url!, checked.description ?? "", Self.json(types), input.enabled ?? true,
                                         try box.seal(secret, context: id), now, now])
                    try AuditLog.tenant(db, caller.audit, "webhook.create", target: id, detail: ["url": checked.url!])
                    var endpoint = try WebhookRows.endpoints(db, where: "id = ?", [id])[0]
                    endpoint.secret = secret
                    return endpoint
                }
            }
        }
    }

    public func update(_ caller: Caller, id: String, _ input: WebhookEndpointInput) async throws -> WebhookEndpoint {
        let tenant = try caller.authorize(.webhooksManage)
        try await requireEndpoint(tenant, id)
        let checked = try await validate(input, creating: false)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try WebhookRows.endpoints(db, where: "id = ?", [id]).first != nil else { throw AppError.notFound("Webhook endpoint") }
                let now = Date()
                if let url = checked.url { try db.execute(sql: "UPDATE webhook_endpoints SET url = ? WHERE id = ?", arguments: [url, id]) }
                if let d = checked.description { try db.execute(sql: "UPDATE webhook_endpoints SET description = ? WHERE id = ?", arguments: [d, id]) }
                if let t = checked.types { try db.execute(sql: "UPDATE webhook_endpoints SET event_types = ? WHERE id = ?", arguments: [Self.json(t), id]) }
                if let enabled = input.enabled {
                    // Switching it back on forgets why it was off and how long it had failed.
                    try db.execute(sql: "UPDATE webhook_endpoints SET enabled = ?, disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END, failing_since = NULL WHERE id = ?",
                                   arguments: [enabled, enabled, id])
                }
                try db.execute(sql: "UPDATE webhook_endpoints SET updated_at = ? WHERE id = ?", arguments: [now, id])
                try AuditLog.tenant(db, caller.audit, "webhook.update", target: id, detail: [:])
                return try WebhookRows.endpoints(db, where: "id = ?", [id])[0]
            }
        }
    }

    public func delete(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.webhooksManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM webhook_endpoints WHERE id = ?", arguments: [id])
                guard db.changesCount > 0 else { throw AppError.notFound("Webhook endpoint") }
                try AuditLog.tenant(db, caller.audit, "webhook.delete", target: id, detail: [:])
            }
        }
    }

    public func rotateSecret(_ caller: Caller, id: String, grace: TimeInterval) async throws -> WebhookEndpoint {
        let tenant = try caller.authorize(.webhooksManage)
        let box = self.box
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let old = try Data.fetchOne(db, sql: "SELECT secret FROM webhook_endpoints WHERE id = ?", arguments: [id]) else {
                    throw AppError.notFound("Webhook endpoint")
                }
                let now = Date()
                let secret = Self.newSecret()
                try db.execute(sql: """
                    UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_expires_at = ?, updated_at = ? WHERE id = ?
                    """, arguments: [try box.seal(secret, context: id), old, now.addingTimeInterval(max(0, min(grace, 7 * 86400))), now, id])
                try AuditLog.tenant(db, caller.audit, "webhook.rotate_secret", target: id, detail: [:])
                var endpoint = try WebhookRows.endpoints(db, where: "id = ?", [id])[0]
                endpoint.secret = secret
                return endpoint
            }
        }
    }

    func requireEndpoint(_ tenant: TenantID, _ id: String) async throws {
        let found = try await tenants.read(tenant) { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM webhook_endpoints WHERE id = ?", arguments: [id]) ?? false }
        if !found { throw AppError.notFound("Webhook endpoint") }
    }

    /// `whsec_` and 24 random bytes in base64, as Standard Webhooks' secrets are written.
    static func newSecret() -> String {
        "whsec_" + SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    static func json(_ types: [String]) -> String { String(decoding: try! JSONEncoder().encode(types), as: UTF8.self) }
}
