import Foundation
import GRDB
import TradepostCore

/// Names for the ids an audit trail records, looked up when a page of it is read: the entry keeps
/// the id (the record), the reader sees "Olena Koval" where the target is `01m8z…`, and an actor's
/// email where an entry written before actors carried one says `user:01m8z…`. A name is today's,
/// and an object deleted since has none (the id stays on show).
enum AuditLabels {
    /// Which table names a target, by the action's family; nil: the target is not named here.
    static func table(for action: String, platform: Bool) -> String? {
        let family = action.split(separator: ".").first.map(String.init) ?? ""
        if platform {
            switch family {
            case "tenant": return "tenants"
            case "auth", "admin": return "platform_admins"
            default: return nil
            }
        }
        if action == "stock.count" { return "warehouses" }
        switch family {
        case "user", "auth": return "users"
        case "business", "catalog", "trade_settings": return "businesses"
        case "warehouse": return "warehouses"
        case "stock": return "products"
        case "product": return "products"
        case "category": return "categories"
        case "price_list": return "price_lists"
        case "buyer_group": return "buyer_groups"
        default: return nil
        }
    }

    /// Fills `targetLabel` and, where the entry had none, `actorLabel` (entries written before
    /// logins carried one). A few statements per page, one per table named.
    static func label(_ entries: [AuditEntry], in db: Database, platform: Bool) throws -> [AuditEntry] {
        var wanted: [String: Set<String>] = [:]
        let people = platform ? "platform_admins" : "users"
        let actorPrefix = platform ? "platform:" : "user:"
        for entry in entries {
            if let target = entry.target, let table = table(for: entry.action, platform: platform) { wanted[table, default: []].insert(target) }
            if entry.actorLabel == nil, entry.actor.hasPrefix(actorPrefix) { wanted[people, default: []].insert(String(entry.actor.dropFirst(actorPrefix.count))) }
        }
        var names: [String: [String: String]] = [:]
        var emails: [String: String] = [:]
        for (table, ids) in wanted where !ids.isEmpty {
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE id IN (\(marks))", arguments: StatementArguments(Array(ids)))
            names[table] = Dictionary(rows.map { ($0["id"] as String, $0["name"] as String) }, uniquingKeysWith: { a, _ in a })
            if table == people {
                emails = Dictionary(rows.map { ($0["id"] as String, $0["email"] as String) }, uniquingKeysWith: { a, _ in a })
            }
        }
        return entries.map { entry in
            var out = entry
            if let target = entry.target, let table = table(for: entry.action, platform: platform) { out.targetLabel = names[table]?[target] }
            if entry.actorLabel == nil, entry.actor.hasPrefix(actorPrefix) {
                out.actorLabel = emails[String(entry.actor.dropFirst(actorPrefix.count))]
            }
            return out
        }
    }
}
