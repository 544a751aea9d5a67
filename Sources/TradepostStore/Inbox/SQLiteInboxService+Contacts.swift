import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Contacts: the tenant's customers on its channels, shared by everyone who works a channel (and
/// its admins). Merging moves the channel ids, tags and conversations to the contact that stays.
extension SQLiteInboxService {
    /// Whether the caller works any channel's business, or manages the channels.
    static func mayUseContacts(_ db: Database, _ caller: Caller) throws -> Bool {
        if Policy.allows(caller.principal, .channelsManage) { return true }
        let facts = try CallerFacts.read(db, caller)
        return try String.fetchAll(db, sql: "SELECT DISTINCT business_id FROM inbox_channels").contains(where: facts.actsFor)
    }

    public func contacts(_ caller: Caller, _ filter: ContactFilter, _ page: PageRequest) async throws -> Page<Contact> {
        let tenant = try caller.authorize(.conversationsRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard try Self.mayUseContacts(db, caller) else { throw AppError.forbidden("Only those who work the inbox see its contacts") }
                var clause = "merged_into IS NULL"
                var args: StatementArguments = []
                if let q = filter.query?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
                    let like = "%" + q.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
                    clause += " AND (name LIKE ? OR phone LIKE ? OR whatsapp_id LIKE ?)"
                    args += [like, like, like]
                }
                if let tag = filter.tag { clause += " AND EXISTS (SELECT 1 FROM json_each(contacts.tags) WHERE value = ?)"; args += [tag] }
                if let after = page.after { clause += " AND id > ?"; args += [after] }
                let items = try Row.fetchAll(db, sql: "SELECT * FROM contacts WHERE \(clause) ORDER BY id LIMIT \(page.limit + 1)", arguments: args)
                    .map { InboxRows.contact($0) }
                return Page(fetched: items, limit: page.limit) { $0.id }
            }
        }
    }

    public func contact(_ caller: Caller, id: String) async throws -> ContactDetail {
        let tenant = try caller.authorize(.conversationsRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard try Self.mayUseContacts(db, caller), let contact = try InboxRows.contact(db, id) else { throw AppError.notFound("Contact") }
                let businesses = TalkAccess.businesses(try CallerFacts.read(db, caller))
                // Their conversations on the channels the caller works.
                let conversations = businesses.isEmpty ? [] : try InboxRows.conversations(
                    db, user: caller.principal.userID, where: "i.contact_id = ? AND ch.business_id IN (\(InboxRows.marks(businesses.count)))",
                    StatementArguments([id] + businesses), tail: "ORDER BY i.created_at DESC")
                let orders = try contact.businessId.map { business in
                    try String.fetchAll(db, sql: "SELECT id FROM orders WHERE buyer_business_id = ? ORDER BY created_at DESC LIMIT 20", arguments: [business])
                } ?? []
                return ContactDetail(contact: contact, conversations: conversations, orderIds: orders)
            }
        }
    }

    public func updateContact(_ caller: Caller, id: String, _ input: ContactInput) async throws -> Contact {
        let tenant = try caller.authorize(.conversationsWrite)
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try Self.mayUseContacts(db, caller), try InboxRows.contact(db, id) != nil else { throw AppError.notFound("Contact") }
                var v = Validator()
                let name = input.name.map { v.text("name", $0, min: 1, max: 200) }
                if let phone = input.phone, !phone.isEmpty, phone.range(of: #"^\+[1-9][0-9]{6,14}$"#, options: .regularExpression) == nil {
                    v.fail("phone", "must be E.164, e.g. +380501234567 (empty clears it)")
                }
                if let language = input.language, !["", "en", "uk", "ru"].contains(language) { v.fail("language", "must be en, uk or ru (empty clears it)") }
                if let tags = input.tags {
                    if tags.count > 30 { v.fail("tags", "at most 30") }
                    if Set(tags).count != tags.count { v.fail("tags", "names a tag twice") }
                    for (i, tag) in tags.enumerated() where tag.isEmpty || tag.count > 40 { v.fail("tags[\(i)]", "must be 1–40 characters") }
                }
                let notes = input.notes.map { v.text("notes", $0, min: 0, max: 4000, multiline: true) }
                if let business = input.businessId, !business.isEmpty,
                   try Bool.fetchOne(db, sql: "SELECT 1 FROM businesses WHERE id = ?", arguments: [business]) == nil {
                    v.fail("business_id", "is not a business")
                }
                try v.check("The contact cannot be saved")
                func cleared(_ s: String?) -> DatabaseValueConvertible? { s.map { $0.isEmpty ? DatabaseValue.null : $0 as DatabaseValueConvertible } }
                try db.execute(sql: """
                    UPDATE contacts SET name = coalesce(?, name), phone = CASE WHEN ? THEN ? ELSE phone END, language = CASE WHEN ? THEN ? ELSE language END,
                        tags = coalesce(?, tags), notes = CASE WHEN ? THEN ? ELSE notes END, business_id = CASE WHEN ? THEN ? ELSE business_id END,
                        opted_out = coalesce(?, opted_out), updated_at = ? WHERE id = ?
                    """, arguments: [name, input.phone != nil, cleared(input.phone), input.language != nil, cleared(input.language),
                                     input.tags.map(InboxRows.json), input.notes != nil, cleared(notes), input.businessId != nil, cleared(input.businessId),
                                     input.optedOut, now, id])
                try AuditLog.tenant(db, caller.audit, "contact.update", target: id)
                return try InboxRows.contact(db, id)!
            }
        }
    }

    public func mergeContacts(_ caller: Caller, target: String, source: String) async throws -> Contact {
        let tenant = try caller.authorize(.conversationsWrite)
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try Self.mayUseContacts(db, caller), let keep = try InboxRows.contact(db, target) else { throw AppError.notFound("Contact") }
                guard let gone = try InboxRows.contact(db, source), source != target else {
                    throw AppError.invalidField("source_id", "is not another contact")
                }
                if let a = keep.telegramId, let b = gone.telegramId, a != b { throw AppError.conflict("Both contacts have a Telegram account; they are two people") }
                if let a = keep.whatsappId, let b = gone.whatsappId, a != b { throw AppError.conflict("Both contacts have a WhatsApp number; they are two people") }
                let tags = keep.tags + gone.tags.filter { !keep.tags.contains($0) }
                // The merged one gives up its ids first: they are unique among contacts.
                try db.execute(sql: "UPDATE contacts SET telegram_id = NULL, whatsapp_id = NULL, merged_into = ?, updated_at = ? WHERE id = ?",
                               arguments: [target, now, source])
                try db.execute(sql: """
                    UPDATE contacts SET telegram_id = coalesce(telegram_id, ?), whatsapp_id = coalesce(whatsapp_id, ?), phone = coalesce(phone, ?),
                        language = coalesce(language, ?), business_id = coalesce(business_id, ?), tags = ?, opted_out = max(opted_out, ?),
                        notes = CASE WHEN ? IS NULL THEN notes WHEN notes IS NULL THEN ? ELSE notes || char(10) || ? END, updated_at = ? WHERE id = ?
                    """, arguments: [gone.telegramId, gone.whatsappId, gone.phone, gone.language, gone.businessId, InboxRows.json(Array(tags.prefix(30))),
                                     gone.optedOut, gone.notes, gone.notes, gone.notes, now, target])
                try db.execute(sql: "UPDATE inbox_conversations SET contact_id = ? WHERE contact_id = ?", arguments: [target, source])
                try AuditLog.tenant(db, caller.audit, "contact.merge", target: target, detail: ["merged": source])
                return try InboxRows.contact(db, target)!
            }
        }
    }
}
