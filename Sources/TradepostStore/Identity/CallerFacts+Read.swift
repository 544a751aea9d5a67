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
        var links: [String: TradeSide] = [:]
        if caller.principal.userKind == .salesperson {
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT business_id, side FROM salesperson_links WHERE user_id = ? AND state = 'active'"),
                                           arguments: [caller.principal.userID])
            while let row = try rows.next() {
                if let side = TradeSide(rawValue: row[1]) { links[row[0]] = side }
            }
        }
        return CallerFacts(caller: caller, memberships: memberships, links: links)
    }
}

extension CallerFacts {
    /// A business whose catalog (products, price lists, imports) the caller may manage: `.notFound`
    /// when there is no such business, `.forbidden` when they are neither its member nor a tenant admin.
    static func requireCatalogManager(_ db: Database, _ caller: Caller, business: String) throws {
        try SQLiteBusinessService.requireBusiness(db, business)
        try read(db, caller).authorize(.productsManage, business: business)
    }

    /// Whether the caller may manage `business`'s catalog; its lists, groups and imports are hidden (404) from others.
    static func mayManageCatalog(_ db: Database, _ caller: Caller, business: String) throws -> Bool {
        (try? read(db, caller).authorize(.productsManage, business: business)) != nil
    }
}
