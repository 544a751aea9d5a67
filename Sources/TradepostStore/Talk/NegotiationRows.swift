import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Negotiations' rows: revisions with their lines as JSON, read back as Core types.
enum NegotiationRows {
    static let encoder = JSONEncoder()
    static let decoder = JSONDecoder()

    static func revisions(_ db: Database, _ negotiation: String, only revision: Int? = nil) throws -> [OfferRevision] {
        var sql = "SELECT r.*, n.currency, n.order_id FROM offer_revisions r JOIN negotiations n ON n.id = r.negotiation_id WHERE r.negotiation_id = ?"
        var args: StatementArguments = [negotiation]
        if let revision { sql += " AND r.revision = ?"; args += [revision] }
        return try Row.fetchAll(db.cachedStatement(sql: sql + " ORDER BY r.revision"), arguments: args).map { row in
            let currency: String = row["currency"]
            func money(_ column: String) -> Money? { (row[column] as Int64?).map { Money(minor: $0, currency: currency) } }
            let state = OfferRevision.State(rawValue: row["state"]) ?? .open
            return OfferRevision(
                negotiationId: row["negotiation_id"], revision: row["revision"], kind: OfferRevision.Kind(rawValue: row["kind"]) ?? .offer,
                side: TradeSide(rawValue: row["side"]) ?? .seller, state: state,
                lines: (try? decoder.decode([OfferLine].self, from: Data((row["lines"] as String).utf8))) ?? [], currency: currency,
                net: money("net_minor"), tax: money("tax_minor"), gross: money("gross_minor"), expiresAt: row["expires_at"],
                deliveryTerms: row["delivery_terms"], paymentTerms: row["payment_terms"], note: row["note"], declineReason: row["decline_reason"],
                changes: (try? decoder.decode([OfferChange].self, from: Data((row["changes"] as String).utf8))) ?? [], messageId: row["message_id"],
                orderId: state == .accepted ? row["order_id"] : nil, createdBy: row["created_by"], createdAt: row["created_at"])
        }
    }

    static func revision(_ db: Database, _ negotiation: String, _ revision: Int) throws -> OfferRevision? {
        try revisions(db, negotiation, only: revision).first
    }

    static func negotiation(_ db: Database, _ id: String) throws -> Negotiation? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM negotiations WHERE id = ?"), arguments: [id]) else { return nil }
        return Negotiation(id: row["id"], conversationId: row["conversation_id"], buyerBusinessId: row["buyer_business_id"],
                           sellerBusinessId: row["seller_business_id"], currency: row["currency"], state: Negotiation.State(rawValue: row["state"]) ?? .open,
                           revision: row["revision"], orderId: row["order_id"], revisions: try revisions(db, id))
    }

    static func insert(_ db: Database, _ r: OfferRevision) throws {
        try db.execute(sql: """
            INSERT INTO offer_revisions (negotiation_id, revision, kind, side, state, lines, net_minor, tax_minor, gross_minor, expires_at, delivery_terms,
                payment_terms, note, changes, message_id, created_by, created_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [r.negotiationId, r.revision, r.kind.rawValue, r.side.rawValue, String(decoding: try encoder.encode(r.lines), as: UTF8.self),
                             r.net?.minor, r.tax?.minor, r.gross?.minor, r.expiresAt, r.deliveryTerms, r.paymentTerms, r.note,
                             String(decoding: try encoder.encode(r.changes), as: UTF8.self), r.messageId, r.createdBy, r.createdAt])
    }
}

/// The outbox payload of negotiation events.
struct NegotiationEventPayload: Encodable {
    var negotiationId: String
    var conversationId: String
    var revision: Int
    var state: String
    var orderId: String?
    /// Who acted (the notifications leave them out).
    var authorId: String?
}

extension Validator {
    /// Like `check`, as 422: the offer is well-formed but its lines cannot be used as given.
    func check422(_ message: String) throws {
        do { try check(message) } catch let e as AppError { throw AppError(.unprocessable, e.message, fields: e.fields) }
    }
}
