import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Salespeople's links to businesses and their identity documents. Every step is audited and
/// raises an event; revoking or refusing bumps the conversations' access epoch so live sockets drop
/// what the salesperson may no longer hear.
public final class SQLiteSalespersonService: SalespersonService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    static func links(_ db: Database, where clause: String, _ args: StatementArguments) throws -> [SalespersonLink] {
        try Row.fetchAll(db, sql: """
            SELECT l.*, u.name AS user_name, u.email AS user_email, b.name AS business_name, i.verified_at AS verified_at
            FROM salesperson_links l JOIN users u ON u.id = l.user_id JOIN businesses b ON b.id = l.business_id
            LEFT JOIN salesperson_identities i ON i.user_id = l.user_id
            WHERE \(clause) ORDER BY l.requested_at DESC, l.id
            """, arguments: args).map { row in
            SalespersonLink(id: row["id"], userId: row["user_id"], userName: row["user_name"], userEmail: row["user_email"], businessId: row["business_id"],
                            businessName: row["business_name"], side: TradeSide(rawValue: row["side"]) ?? .seller,
                            state: SalespersonLink.State(rawValue: row["state"]) ?? .requested, note: row["note"],
                            identityVerified: (row["verified_at"] as Date?) != nil, requestedAt: row["requested_at"], decidedBy: row["decided_by"],
                            decidedAt: row["decided_at"], reason: row["reason"])
        }
    }

    public func request(_ caller: Caller, _ input: SalespersonLinkInput, idempotency: IdempotencyKey?) async throws -> SalespersonLink {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats, conflict: "You already asked to link with this business, or are linked") {
            try await tenants.write(tenant) { db in
                try CallerFacts.read(db, caller).authorize(.conversationsWrite)
                guard caller.principal.userKind == .salesperson else { throw AppError.forbidden("Only salespeople link with businesses") }
                try SQLiteBusinessService.requireBusiness(db, input.businessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    var v = Validator()
                    let note = input.note.map { v.text("note", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
                    try v.check()
                    let id = Identifier.make(now: now)
                    try db.execute(sql: """
                        INSERT INTO salesperson_links (id, user_id, business_id, side, state, note, requested_at) VALUES (?, ?, ?, ?, 'requested', ?, ?)
                        """, arguments: [id, caller.principal.userID, input.businessId, input.side.rawValue, note, now])
                    return try Self.record(db, caller, id, now: now)
                }
            }
        }
    }

    static func record(_ db: Database, _ caller: Caller, _ id: String, now: Date) throws -> SalespersonLink {
        let link = try links(db, where: "l.id = ?", [id])[0]
        try AuditLog.tenant(db, caller.audit, "salesperson_link.\(link.state.rawValue)", target: link.businessId, detail: [
            "link": id, "user_id": link.userId, "side": link.side.rawValue])
        try Outbox.append(db, topic: Topic.salespersonLink(link.state), payload: LinkEvent(linkId: id, userId: link.userId, businessId: link.businessId,
                                                                                          side: link.side.rawValue, state: link.state.rawValue))
        return link
    }

    public func links(_ caller: Caller, businessID: String?, state: SalespersonLink.State?) async throws -> [SalespersonLink] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                try facts.authorize(.conversationsRead)
                var clause: String
                var args: StatementArguments = []
                if let businessID {
                    try SQLiteBusinessService.requireBusiness(db, businessID)
                    try facts.authorize(.businessMembersManage, business: businessID)
                    (clause, args) = ("l.business_id = ?", [businessID])
                } else if facts.seesAll {
                    clause = "1"
                } else {
                    let managed = facts.memberships.filter { $0.value == .manager }.keys.sorted()
                    clause = "(l.user_id = ?" + (managed.isEmpty ? "" : " OR l.business_id IN (\(ConversationRows.marks(managed.count)))") + ")"
                    args = [caller.principal.userID] + StatementArguments(managed)
                }
                if let state { clause += " AND l.state = ?"; args += [state.rawValue] }
                return try Self.links(db, where: clause, args)
            }
        }
    }

    public func act(_ caller: Caller, linkID: String, _ act: SalespersonLink.Act, reason: String?) async throws -> SalespersonLink {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                guard let link = try Self.links(db, where: "l.id = ?", [linkID]).first else { throw AppError.notFound("Link") }
                let party: SalespersonLink.Party
                if Policy.allows(caller.principal, .salespeopleVerify) { party = .admin }
                else if facts.memberships[link.businessId] == .manager { party = .manager }
                else if link.userId == caller.principal.userID { party = .salesperson }
                else if facts.memberships[link.businessId] != nil { throw AppError.forbidden("The business's manager decides on links") }
                else { throw AppError.notFound("Link") }
                try facts.authorize(party == .salesperson ? .conversationsWrite : .businessMembersManage, business: link.businessId)
                guard let next = SalespersonLink.after(link.state, act, by: party) else {
                    if party == .salesperson && act != .revoke { throw AppError.forbidden("The business's manager decides on links") }
                    throw AppError.invalidState(link.state.rawValue, "\(act.rawValue) the link")
                }
                var v = Validator()
                let reason = reason.map { v.text("reason", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
                try v.check()
                try db.execute(sql: "UPDATE salesperson_links SET state = ?, reason = coalesce(?, reason), decided_by = ?, decided_at = ? WHERE id = ?",
                               arguments: [next.rawValue, reason, caller.principal.name, now, linkID])
                if next != .active { try TalkAccess.bump(db) }
                return try Self.record(db, caller, linkID, now: now)
            }
        }
    }

    static func identities(_ db: Database, where clause: String, _ args: StatementArguments) throws -> [SalespersonIdentity] {
        try Row.fetchAll(db, sql: """
            SELECT u.id, u.name, i.document_name, i.content_type, i.size, i.uploaded_at, i.verified_by, i.verified_at
            FROM users u LEFT JOIN salesperson_identities i ON i.user_id = u.id WHERE u.kind = 'salesperson' AND \(clause) ORDER BY u.name, u.id
            """, arguments: args).map {
            SalespersonIdentity(userId: $0[0], userName: $0[1], documentName: $0[2], contentType: $0[3], size: $0[4], uploadedAt: $0[5],
                                verifiedBy: $0[6], verifiedAt: $0[7])
        }
    }

    public func identities(_ caller: Caller) async throws -> [SalespersonIdentity] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                if Policy.allows(caller.principal, .salespeopleVerify) {
                    try Policy.authorize(caller.principal, .salespeopleVerify)
                    return try Self.identities(db, where: "1", [])
                }
                guard caller.principal.userKind == .salesperson else { throw AppError.forbidden() }
                return try Self.identities(db, where: "u.id = ?", [caller.principal.userID])
            }
        }
    }

    public func identityUploadTenant(_ caller: Caller) async throws -> TenantID {
        let tenant = try caller.tenant()
        try Policy.authorize(caller.principal, .conversationsWrite)
        guard caller.principal.userKind == .salesperson else { throw AppError.forbidden("Only salespeople upload an identity document") }
        return tenant
    }

    public func recordIdentityDocument(_ caller: Caller, name: String, contentType: String, size: Int64, blob: String) async throws -> SalespersonIdentity {
        let tenant = try await identityUploadTenant(caller)
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let me = caller.principal.userID
                if let old = try String.fetchOne(db, sql: "SELECT blob FROM salesperson_identities WHERE user_id = ?", arguments: [me]) {
                    try db.execute(sql: "INSERT OR IGNORE INTO s3_garbage (blob) VALUES (?)", arguments: [old])
                }
                try db.execute(sql: """
                    INSERT OR REPLACE INTO salesperson_identities (user_id, blob, document_name, content_type, size, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [me, blob, name, contentType, size, now])
                try AuditLog.tenant(db, caller.audit, "salesperson.document_uploaded", target: me, detail: ["name": name])
                try Outbox.append(db, topic: "salesperson.document_uploaded", payload: LinkEvent(linkId: nil, userId: me, businessId: nil, side: nil, state: "uploaded"))
                return try Self.identities(db, where: "u.id = ?", [me])[0]
            }
        }
    }

    public func identityDocument(_ caller: Caller, userID: String) async throws -> (identity: SalespersonIdentity, blob: String) {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard userID == caller.principal.userID || Policy.allows(caller.principal, .salespeopleVerify),
                      let blob = try String.fetchOne(db, sql: "SELECT blob FROM salesperson_identities WHERE user_id = ?", arguments: [userID]),
                      let identity = try Self.identities(db, where: "u.id = ?", [userID]).first else { throw AppError.notFound("Document") }
                return (identity, blob)
            }
        }
    }

    public func verifyIdentity(_ caller: Caller, userID: String) async throws -> SalespersonIdentity {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try Policy.authorize(caller.principal, .salespeopleVerify)
                guard let identity = try Self.identities(db, where: "u.id = ?", [userID]).first else { throw AppError.notFound("Salesperson") }
                guard identity.uploadedAt != nil else { throw AppError.invalidState("no_document", "verify the salesperson") }
                guard identity.verifiedAt == nil else { throw AppError.invalidState("verified", "verify the salesperson") }
                try db.execute(sql: "UPDATE salesperson_identities SET verified_by = ?, verified_at = ? WHERE user_id = ?",
                               arguments: [caller.principal.name, now, userID])
                try AuditLog.tenant(db, caller.audit, "salesperson.verified", target: userID, detail: ["document": identity.documentName ?? ""])
                try Outbox.append(db, topic: Topic.salespersonVerified, payload: LinkEvent(linkId: nil, userId: userID, businessId: nil, side: nil, state: "verified"))
                return try Self.identities(db, where: "u.id = ?", [userID])[0]
            }
        }
    }
}

struct LinkEvent: Encodable {
    var linkId: String?
    var userId: String
    var businessId: String?
    var side: String?
    var state: String
}
