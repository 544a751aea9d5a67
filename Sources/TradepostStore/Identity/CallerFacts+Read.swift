import GRDB
import TradepostCore

extension CallerFacts {
    /// The caller's memberships, read in the transaction that uses them (one indexed lookup).
    static func read(_ db: Database, _ caller: Caller) throws -> CallerFacts {
        var memberships: [String: BusinessRole] = [:]
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT business_id, role FROM business_members WHERE user_id = ?"),
                                       arguments: [caller.principal.userID])
        while let row = try rows.next() {
            if let role = BusinessRole(rawValue: row[1]) { memberships[row[0]] = role }
        }
        return CallerFacts(caller: caller, memberships: memberships)
    }
}
