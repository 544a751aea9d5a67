import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Buyer groups, customer price lists and the effective price that weighs them, in each tenant's database.
/// Who may see what is decided here, in each method's transaction: a list is read by its seller's
/// members and tenant admins, and by members of the buyers it names, never by anyone else.
public final class SQLitePriceListService: PriceListService {
    let tenants: TenantDatabases
    let stats: StoreStats
    static let groupTaken = "This business already has a buyer group with that name"

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    // MARK: - Buyer groups

    public func createGroup(_ caller: Caller, sellerBusinessID: String, name: String, buyerBusinessIDs: [String]) async throws -> BuyerGroup {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats, conflict: Self.groupTaken) {
            try await tenants.write(tenant) { db in
                try CallerFacts.requireCatalogManager(db, caller, business: sellerBusinessID)
                var v = Validator()
                let name = v.text("name", name, max: 120)
                if buyerBusinessIDs.count > 1000 { v.fail("buyer_business_ids", "may hold at most 1000 businesses") }
                try v.check()
                let group = BuyerGroup(id: Identifier.make(), sellerBusinessId: sellerBusinessID, name: name,
                                       buyerBusinessIds: Array(Set(buyerBusinessIDs)).sorted(), createdAt: Date())
                try db.execute(sql: "INSERT INTO buyer_groups (id, seller_business_id, name, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [group.id, sellerBusinessID, name, group.createdAt])
                try Self.setMembers(db, group.id, group.buyerBusinessIds)
                try AuditLog.tenant(db, caller.audit, "buyer_group.create", target: group.id, detail: ["name": name])
                return group
            }
        }
    }

    public func groups(_ caller: Caller, sellerBusinessID: String) async throws -> [BuyerGroup] {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try CallerFacts.requireCatalogManager(db, caller, business: sellerBusinessID)
                return try String.fetchAll(db, sql: "SELECT id FROM buyer_groups WHERE seller_business_id = ? ORDER BY name",
                                           arguments: [sellerBusinessID]).compactMap { try Self.fetchGroup(db, $0) }
            }
        }
    }

    public func updateGroup(_ caller: Caller, id: String, name: String?, buyerBusinessIDs: [String]?) async throws -> BuyerGroup {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats, conflict: Self.groupTaken) {
            try await tenants.write(tenant) { db in
                _ = try Self.managedGroup(db, caller, id)
                var v = Validator()
                let name = name.map { v.text("name", $0, max: 120) }
                if let buyerBusinessIDs, buyerBusinessIDs.count > 1000 { v.fail("buyer_business_ids", "may hold at most 1000 businesses") }
                try v.check()
                if let name { try db.execute(sql: "UPDATE buyer_groups SET name = ? WHERE id = ?", arguments: [name, id]) }
                if let buyerBusinessIDs { try Self.setMembers(db, id, Array(Set(buyerBusinessIDs)).sorted()) }
                try AuditLog.tenant(db, caller.audit, "buyer_group.update", target: id)
                return try Self.fetchGroup(db, id)!
            }
        }
    }

    public func deleteGroup(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.catalogRead)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try Self.managedGroup(db, caller, id)
                try db.execute(sql: "DELETE FROM buyer_groups WHERE id = ?", arguments: [id])
                try AuditLog.tenant(db, caller.audit, "buyer_group.delete", target: id)
            }
        }
    }

    // MARK: - Permission, decided in the caller's transaction

    /// A group of a seller the caller may manage; `.notFound` otherwise (others never learn it exists).
    static func managedGroup(_ db: Database, _ caller: Caller, _ id: String) throws -> BuyerGroup {
        guard let group = try fetchGroup(db, id), try CallerFacts.mayManageCatalog(db, caller, business: group.sellerBusinessId) else { throw AppError.notFound("Buyer group") }
        return group
    }

    static func setMembers(_ db: Database, _ group: String, _ buyers: [String]) throws {
        try db.execute(sql: "DELETE FROM buyer_group_members WHERE group_id = ?", arguments: [group])
        for buyer in buyers {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM businesses WHERE id = ?", arguments: [buyer]) != nil else {
                throw AppError.invalidField("buyer_business_ids", "\(buyer.prefix(40)) is not a business of this tenant")
            }
            try db.execute(sql: "INSERT INTO buyer_group_members (group_id, buyer_business_id) VALUES (?, ?)", arguments: [group, buyer])
        }
    }

    static func fetchGroup(_ db: Database, _ id: String) throws -> BuyerGroup? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM buyer_groups WHERE id = ?", arguments: [id]) else { return nil }
        let members = try String.fetchAll(db, sql: "SELECT buyer_business_id FROM buyer_group_members WHERE group_id = ? ORDER BY 1", arguments: [id])
        return BuyerGroup(id: row["id"], sellerBusinessId: row["seller_business_id"], name: row["name"], buyerBusinessIds: members,
                          createdAt: row["created_at"])
    }
}
