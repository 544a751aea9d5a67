import Foundation
import GRDB
import TradepostCore

/// Appends audit entries inside the caller's transaction, so an entry exists exactly when its
/// change does, and seals each into the table's hash chain (`AuditChain`) in that same transaction.
public enum AuditLog {
    /// `platform_audit` in the control database.
    package static func platform(_ db: Database, _ audit: AuditContext, _ action: String, target: String?, detail: [String: String] = [:]) throws {
        try append(db, table: "platform_audit", audit, action, target, detail)
    }

    /// `audit_log` in a tenant database (public: other modules' services audit through it too).
    public static func tenant(_ db: Database, _ audit: AuditContext, _ action: String, target: String?, detail: [String: String] = [:]) throws {
        try append(db, table: "audit_log", audit, action, target, detail)
    }

    private static func append(
        _ db: Database, table: String, _ audit: AuditContext, _ action: String, _ target: String?, _ detail: [String: String]
    ) throws {
        let json: String? =
            detail.isEmpty
            ? nil
            : String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
        try db.cachedStatement(sql: "INSERT INTO \(table) (at, actor, actor_label, ip, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [Date(), audit.actor, audit.actorLabel, audit.ip, action, target, json])
        try AuditChain.seal(db, table: table)
    }
}
