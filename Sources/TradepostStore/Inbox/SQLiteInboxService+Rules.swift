import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Auto-replies: the rules (admins) and their firing as a customer's message is recorded — in the
/// same transaction, sent like any reply (a job), each rule once per conversation and period.
extension SQLiteInboxService {
    static func rule(_ row: Row) -> AutoReplyRule {
        let decoder = JSONDecoder()
        return AutoReplyRule(id: row["id"], channelId: row["channel_id"], kind: AutoReplyRule.Kind(rawValue: row["kind"]) ?? .keyword,
                             keywords: (try? decoder.decode([String].self, from: Data((row["keywords"] as String).utf8))) ?? [],
                             pattern: row["pattern"], replies: (try? decoder.decode([String: String].self, from: Data((row["replies"] as String).utf8))) ?? [:],
                             hours: (row["schedule"] as String?).flatMap { try? decoder.decode([AutoReplyRule.Hours].self, from: Data($0.utf8)) },
                             timeZone: row["time_zone"], enabled: row["enabled"], position: row["position"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }

    static func rules(_ db: Database, channel: String) throws -> [AutoReplyRule] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM inbox_rules WHERE channel_id = ? ORDER BY position, created_at"), arguments: [channel]).map(rule)
    }

    public func rules(_ caller: Caller, channelID: String) async throws -> [AutoReplyRule] {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard try InboxRows.channelRow(db, channelID) != nil else { throw AppError.notFound("Channel") }
                return try Self.rules(db, channel: channelID)
            }
        }
    }

    /// The rule as it would be after `input`, checked field by field.
    static func validated(_ input: AutoReplyRuleInput, over current: AutoReplyRule?) throws -> AutoReplyRuleInput {
        var v = Validator()
        let kind = current?.kind ?? input.kind
        if current == nil && kind == nil { v.fail("kind", "is required: greeting, keyword or away") }
        if let current, let asked = input.kind, asked != current.kind { v.fail("kind", "cannot change; make another rule") }
        let replies = input.replies ?? current?.replies ?? [:]
        if replies.isEmpty { v.fail("replies", "needs a text in at least one language (en, uk, ru)") }
        for (language, text) in replies {
            if !["en", "uk", "ru"].contains(language) { v.fail("replies.\(language)", "is not a language here: en, uk or ru") }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || text.count > 1000 { v.fail("replies.\(language)", "must be 1–1000 characters") }
        }
        let keywords = input.keywords ?? current?.keywords ?? []
        let pattern = input.pattern ?? current?.pattern
        if keywords.count > 50 { v.fail("keywords", "at most 50") }
        for (i, k) in keywords.enumerated() where k.trimmingCharacters(in: .whitespaces).isEmpty || k.count > 60 { v.fail("keywords[\(i)]", "must be 1–60 characters") }
        if let pattern, !pattern.isEmpty {
            if pattern.count > 200 { v.fail("pattern", "at most 200 characters") } else if (try? NSRegularExpression(pattern: pattern)) == nil {
                v.fail("pattern", "is not a regular expression")
            }
        }
        if kind == .keyword && keywords.isEmpty && (pattern ?? "").isEmpty { v.fail("keywords", "a keyword rule needs keywords or a pattern") }
        let zone = input.timeZone ?? current?.timeZone
        if let zone, TimeZone(identifier: zone) == nil { v.fail("time_zone", "is not an IANA time zone") }
        let hours = input.hours ?? current?.hours
        if kind == .away {
            if zone == nil { v.fail("time_zone", "is required: business hours are in a time zone") }
            if (hours ?? []).isEmpty { v.fail("hours", "an out-of-hours rule needs the business hours") }
        }
        for (i, h) in (hours ?? []).enumerated() {
            if !(1...7).contains(h.day) { v.fail("hours[\(i)].day", "must be 1 (Monday) to 7 (Sunday)") }
            let (o, c) = (QuietHours.minutes(h.open), QuietHours.minutes(h.close))
            if o == nil { v.fail("hours[\(i)].open", "must be a 24-hour time like 09:00") }
            if c == nil { v.fail("hours[\(i)].close", "must be a 24-hour time like 18:00") }
            if let o, let c, c <= o { v.fail("hours[\(i)].close", "must be after the opening (split a night across two days)") }
        }
        if let p = input.position, !(0...1000).contains(p) { v.fail("position", "must be 0–1000") }
        try v.check("The rule cannot be saved")
        return AutoReplyRuleInput(kind: kind, keywords: keywords, pattern: (pattern ?? "").isEmpty ? nil : pattern, replies: replies, hours: hours,
                                  timeZone: zone, enabled: input.enabled ?? current?.enabled ?? true, position: input.position ?? current?.position ?? 0)
    }

    static func json<T: Encodable>(_ value: T) -> String { String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self) }

    public func createRule(_ caller: Caller, channelID: String, _ input: AutoReplyRuleInput, idempotency: IdempotencyKey?) async throws -> AutoReplyRule {
        let tenant = try caller.authorize(.channelsManage)
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try InboxRows.channelRow(db, channelID) != nil else { throw AppError.notFound("Channel") }
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let r = try Self.validated(input, over: nil)
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO inbox_rules (id, channel_id, kind, keywords, pattern, replies, schedule, time_zone, enabled, position, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id, channelID, r.kind!.rawValue, Self.json(r.keywords ?? []), r.pattern, Self.json(r.replies ?? [:]),
                                         r.hours.map(Self.json), r.timeZone, r.enabled ?? true, r.position ?? 0, now, now])
                    try AuditLog.tenant(db, caller.audit, "inbox.rule.create", target: id, detail: ["channel": channelID, "kind": r.kind!.rawValue])
                    return Self.rule(try Row.fetchOne(db, sql: "SELECT * FROM inbox_rules WHERE id = ?", arguments: [id])!)
                }
            }
        }
    }

    public func updateRule(_ caller: Caller, id: String, _ input: AutoReplyRuleInput) async throws -> AutoReplyRule {
        let tenant = try caller.authorize(.channelsManage)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM inbox_rules WHERE id = ?", arguments: [id]) else { throw AppError.notFound("Rule") }
                let r = try Self.validated(input, over: Self.rule(row))
                try db.execute(sql: """
                    UPDATE inbox_rules SET keywords = ?, pattern = ?, replies = ?, schedule = ?, time_zone = ?, enabled = ?, position = ?, updated_at = ? WHERE id = ?
                    """, arguments: [Self.json(r.keywords ?? []), r.pattern, Self.json(r.replies ?? [:]), r.hours.map(Self.json), r.timeZone,
                                     r.enabled ?? true, r.position ?? 0, Date(), id])
                try AuditLog.tenant(db, caller.audit, "inbox.rule.update", target: id)
                return Self.rule(try Row.fetchOne(db, sql: "SELECT * FROM inbox_rules WHERE id = ?", arguments: [id])!)
            }
        }
    }

    public func deleteRule(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.channelsManage)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM inbox_rules WHERE id = ?", arguments: [id])
                guard db.changesCount > 0 else { throw AppError.notFound("Rule") }
                try AuditLog.tenant(db, caller.audit, "inbox.rule.delete", target: id)
            }
        }
    }

    /// Fires the channel's auto-replies for a customer's message, in the caller's transaction: each
    /// reply is a message from the channel (so the inbox shows it), queued for the sending job.
    static func autoReply(_ db: Database, channel: Row, conversation: String, contact: Contact, text: String?, first: Bool, now: Date,
                          analyze: (String) -> [String]) throws {
        let channelID: String = channel["id"]
        let rules = try rules(db, channel: channelID)
        guard !rules.isEmpty else { return }
        let fired = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT rule_id || '|' || period FROM inbox_rule_firings WHERE conversation_id = ?"),
                                            arguments: [conversation]))
        let recent = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM inbox_rule_firings WHERE conversation_id = ? AND fired_at > ?"),
                                      arguments: [conversation, now.addingTimeInterval(-600)]) ?? 0
        for firing in AutoReply.fire(rules, text: text, firstMessage: first, now: now, fired: fired).prefix(max(0, AutoReply.perConversationLimit - recent)) {
            guard let reply = AutoReply.text(firing.rule, language: contact.language) else { continue }
            try db.execute(sql: "INSERT INTO inbox_rule_firings (rule_id, conversation_id, period, fired_at) VALUES (?, ?, ?, ?)",
                           arguments: [firing.rule.id, conversation, firing.period, now])
            let id = Identifier.make(now: now)
            try SQLiteConversationService.insert(db, id: id, conversation, kind: .text, author: (channelID, channel["name"]), text: reply, replyTo: nil,
                                                 productID: nil, negotiation: nil, now: now, analyze: analyze)
            try db.execute(sql: "INSERT INTO channel_messages (message_id, channel_id, direction, status, updated_at) VALUES (?, ?, 'out', 'queued', ?)",
                           arguments: [id, channelID, now])
            try Outbox.append(db, topic: Topic.inboxReply, payload: InboxReplyEvent(messageId: id))
        }
    }
}
