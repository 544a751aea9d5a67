import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Reads and verifies the audit trails: a tenant's in its database, the platform's in the control
/// database. Writing happens only through `AuditLog`, inside the transaction of each change.
public final class SQLiteAuditService: AuditService {
    let control: ControlDatabase
    let tenants: TenantDatabases

    init(control: ControlDatabase, tenants: TenantDatabases) {
        self.control = control
        self.tenants = tenants
    }

    public func entries(_ caller: Caller, _ trail: AuditTrail, _ filter: AuditFilter) async throws -> [AuditEntry] {
        let tenant = try Self.authorize(caller, trail)
        let table = tenant == nil ? "platform_audit" : "audit_log"
        let query = Self.query(table, filter)
        let read: @Sendable (Database) throws -> [AuditEntry] = { db in
            try AuditLabels.label(try Row.fetchAll(db, sql: query.sql, arguments: query.arguments).map(Self.entry), in: db, platform: tenant == nil)
        }
        if let tenant { return try await tenants.read(tenant, read) }
        return try await control.pool.read(read)
    }

    public func verify(_ caller: Caller, _ trail: AuditTrail) async throws -> AuditVerification {
        let tenant = try Self.authorize(caller, trail)
        if let tenant { return try await tenants.read(tenant) { try AuditChain.verify($0, table: "audit_log") } }
        return try await control.pool.read { try AuditChain.verify($0, table: "platform_audit") }
    }

    /// The tenant whose trail the caller may read; nil for the platform's.
    static func authorize(_ caller: Caller, _ trail: AuditTrail) throws -> TenantID? {
        switch trail {
        case .tenant: return try caller.authorize(.auditRead)
        case .platform:
            try Policy.authorize(caller.principal, .tenantsRead)
            return nil
        }
    }

    static func query(_ table: String, _ f: AuditFilter) -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if let action = f.action {
            if action.hasSuffix(".") {
                clauses.append("action >= ? AND action < ?")
                arguments += [action, action.dropLast() + "/"]  // "/" sorts right after "."
            } else {
                clauses.append("action = ?")
                arguments += [action]
            }
        }
        if let actor = f.actor { clauses.append("(actor = ? OR actor_label = ?)"); arguments += [actor, actor] }
        if let target = f.target { clauses.append("target = ?"); arguments += [target] }
        if let since = f.since { clauses.append("at >= ?"); arguments += [since] }
        if let until = f.until { clauses.append("at < ?"); arguments += [until] }
        if let before = f.before { clauses.append("id < ?"); arguments += [before] }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return ("SELECT * FROM \(table) \(whereSQL) ORDER BY id DESC LIMIT \(max(1, min(f.limit, 500)))", arguments)
    }

    static func entry(_ row: Row) -> AuditEntry {
        let detail = (row["detail"] as String?).flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        return AuditEntry(id: row["id"], at: row["at"], actor: row["actor"], actorLabel: row["actor_label"], ip: row["ip"],
                          action: row["action"], target: row["target"], detail: detail, hash: row["hash"])
    }
}
