import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Buyer groups, customer price lists and the effective price that weighs them, in each tenant's database.
/// Who may see what is decided by the routes: a list is read by its seller's members and tenant admins,
/// and by members of the buyers it names (`priceLists(buyerBusinessIDs:)`), never by anyone else.
public final class SQLitePriceListService: PriceListService {
    let tenants: TenantDatabases
    let stats: StoreStats
    static let groupTaken = "This business already has a buyer group with that name"

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    // MARK: - Buyer groups

    public func createGroup(_ tenant: TenantID, sellerBusinessID: String, name: String, buyerBusinessIDs: [String], audit: AuditContext) async throws -> BuyerGroup {
        var v = Validator()
        let name = v.text("name", name, max: 120)
        if buyerBusinessIDs.count > 1000 { v.fail("buyer_business_ids", "may hold at most 1000 businesses") }
        try v.check()
        let group = BuyerGroup(id: Identifier.make(), sellerBusinessId: sellerBusinessID, name: name,
                               buyerBusinessIds: Array(Set(buyerBusinessIDs)).sorted(), createdAt: Date())
        return try await mapErrors(stats, conflict: Self.groupTaken) {
            try await tenants.write(tenant) { db in
                try SQLiteBusinessService.requireBusiness(db, sellerBusinessID)
                try db.execute(sql: "INSERT INTO buyer_groups (id, seller_business_id, name, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [group.id, sellerBusinessID, name, group.createdAt])
                try Self.setMembers(db, group.id, group.buyerBusinessIds)
                try AuditLog.tenant(db, audit, "buyer_group.create", target: group.id, detail: ["name": name])
                return group
            }
        }
    }

    public func groups(_ tenant: TenantID, sellerBusinessID: String) async throws -> [BuyerGroup] {
        try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try SQLiteBusinessService.requireBusiness(db, sellerBusinessID)
                return try String.fetchAll(db, sql: "SELECT id FROM buyer_groups WHERE seller_business_id = ? ORDER BY name",
                                           arguments: [sellerBusinessID]).compactMap { try Self.fetchGroup(db, $0) }
            }
        }
    }

    public func group(_ tenant: TenantID, id: String) async throws -> BuyerGroup {
        try await mapErrors(stats) {
            guard let group = try await tenants.read(tenant, { db in try Self.fetchGroup(db, id) }) else { throw AppError.notFound("Buyer group") }
            return group
        }
    }

    public func updateGroup(_ tenant: TenantID, id: String, name: String?, buyerBusinessIDs: [String]?, audit: AuditContext) async throws -> BuyerGroup {
        var v = Validator()
        let name = name.map { v.text("name", $0, max: 120) }
        if let buyerBusinessIDs, buyerBusinessIDs.count > 1000 { v.fail("buyer_business_ids", "may hold at most 1000 businesses") }
        try v.check()
        return try await mapErrors(stats, conflict: Self.groupTaken) {
            try await tenants.write(tenant) { db in
                guard try Self.fetchGroup(db, id) != nil else { throw AppError.notFound("Buyer group") }
                if let name { try db.execute(sql: "UPDATE buyer_groups SET name = ? WHERE id = ?", arguments: [name, id]) }
                if let buyerBusinessIDs { try Self.setMembers(db, id, Array(Set(buyerBusinessIDs)).sorted()) }
                try AuditLog.tenant(db, audit, "buyer_group.update", target: id)
                return try Self.fetchGroup(db, id)!
            }
        }
    }

    public func deleteGroup(_ tenant: TenantID, id: String, audit: AuditContext) async throws {
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: "DELETE FROM buyer_groups WHERE id = ?", arguments: [id])
                guard db.changesCount > 0 else { throw AppError.notFound("Buyer group") }
                try AuditLog.tenant(db, audit, "buyer_group.delete", target: id)
            }
        }
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
