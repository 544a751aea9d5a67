import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Businesses and their members, in each tenant's own database.
public final class SQLiteBusinessService: BusinessService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    public func createBusiness(_ caller: Caller, _ input: BusinessInput) async throws -> Business {
        let tenant = try caller.authorize(.businessesCreate)
        let input = try input.validated(creating: true)
        let now = Date()
        let business = Business(
            id: Identifier.make(now: now), name: input.name!, type: input.type!, city: input.city!,
            address: input.address ?? nil, phone: input.phone ?? nil, email: input.email ?? nil,
            website: input.website ?? nil, description: input.description ?? nil, latitude: input.latitude ?? nil,
            longitude: input.longitude ?? nil, createdAt: now, updatedAt: now)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try Self.save(db, business, insert: true)
                try AuditLog.tenant(db, caller.audit, "business.create", target: business.id,
                                    detail: ["name": business.name, "type": business.type.rawValue])
                try Outbox.append(db, topic: Topic.businessCreated, payload: BusinessEvent(business))
            }
        }
        return business
    }

    public func business(_ caller: Caller, id: String) async throws -> Business {
        let tenant = try caller.authorize(.businessesRead)
        return try await mapErrors(stats) {
            guard let business = try await tenants.read(tenant, { db in try Self.fetch(db, id: id) }) else {
                throw AppError.notFound("Business")
            }
            return business
        }
    }

    public func businesses(_ caller: Caller, _ page: PageRequest, filter: BusinessFilter) async throws -> Page<Business> {
        let tenant = try caller.authorize(.businessesRead)
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                var sql = "SELECT * FROM businesses WHERE id > ?"
                var args: StatementArguments = [page.after ?? ""]
                if let query = filter.query?.trimmingCharacters(in: .whitespaces), !query.isEmpty {
                    // Every word must appear in the name, city, address or description (folded: case, ё/е, ґ/г).
                    // "+" too: form-encoded query strings (URLSearchParams, requests) write spaces as "+".
                    for word in query.split(whereSeparator: { $0 == " " || $0 == "+" }).prefix(8) {
                        sql += " AND fold(name || ' ' || city || ' ' || coalesce(address, '') || ' ' || coalesce(description, '')) LIKE ? ESCAPE '\\'"
                        args += [likePattern(String(word))]
                    }
                }
                if let type = filter.type {
                    sql += " AND type = ?"
                    args += [type.rawValue]
                }
                if let verified = filter.verified {
                    sql += " AND verified = ?"
                    args += [verified]
                }
                if let city = filter.city {
                    sql += " AND fold(city) = ?"
                    args += [DatabaseOpener.folded(city)]
                }
                sql += " ORDER BY id LIMIT ?"
                args += [page.limit + 1]
                return try Row.fetchAll(db, sql: sql, arguments: args).map(Business.init(row:))
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func updateBusiness(_ caller: Caller, id: String, _ input: BusinessInput) async throws -> Business {
        let tenant = try caller.authorize(.businessesRead)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard var business = try Self.fetch(db, id: id) else { throw AppError.notFound("Business") }
                try CallerFacts.read(db, caller).authorize(.businessUpdate, business: id)
                let input = try input.validated(creating: false)
                let before = business
                if let name = input.name { business.name = name }
                if let type = input.type { business.type = type }
                if let city = input.city { business.city = city }
                if let address = input.address { business.address = address }
                if let phone = input.phone { business.phone = phone }
                if let email = input.email { business.email = email }
                if let website = input.website { business.website = website }
                if let description = input.description { business.description = description }
                if let latitude = input.latitude { business.latitude = latitude }
                if let longitude = input.longitude { business.longitude = longitude }
                guard business != before else { return business }
                business.updatedAt = Date()
                try Self.save(db, business, insert: false)
                try AuditLog.tenant(db, caller.audit, "business.update", target: id, detail: ["name": business.name])
                try Outbox.append(db, topic: Topic.businessUpdated, payload: BusinessEvent(business))
                return business
            }
        }
    }

    public func setVerified(_ caller: Caller, id: String, verified: Bool) async throws -> Business {
        let tenant = try caller.authorize(.businessesVerify)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard var business = try Self.fetch(db, id: id) else { throw AppError.notFound("Business") }
                guard business.verified != verified else { return business }
                business.verified = verified
                business.updatedAt = Date()
                try Self.save(db, business, insert: false)
                try AuditLog.tenant(db, caller.audit, verified ? "business.verify" : "business.unverify", target: id, detail: ["name": business.name])
                try Outbox.append(db, topic: Topic.businessUpdated, payload: BusinessEvent(business))
                return business
            }
        }
    }

    public func members(_ caller: Caller, businessID: String) async throws -> [BusinessMember] {
        let tenant = try caller.authorize(.businessesRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try Self.requireBusiness(db, businessID)
                return try Row.fetchAll(db, sql: """
                    SELECT m.*, u.name, u.email FROM business_members m JOIN users u ON u.id = m.user_id
                    WHERE m.business_id = ? ORDER BY u.name COLLATE NOCASE
                    """, arguments: [businessID]).map(BusinessMember.init(row:))
            }
        }
    }

    public func setMember(_ caller: Caller, businessID: String, userID: String, role: BusinessRole) async throws -> BusinessMember {
        let tenant = try caller.authorize(.businessesRead)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try Self.requireBusiness(db, businessID)
                try CallerFacts.read(db, caller).authorize(.businessMembersManage, business: businessID)
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [userID]) != nil else {
                    throw AppError.notFound("User")
                }
                try db.execute(sql: """
                    INSERT INTO business_members (business_id, user_id, role, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (business_id, user_id) DO UPDATE SET role = excluded.role
                    """, arguments: [businessID, userID, role.rawValue, Date()])
                try AuditLog.tenant(db, caller.audit, "business.member_set", target: businessID,
                                    detail: ["user_id": userID, "role": role.rawValue])
                try Outbox.append(db, topic: Topic.businessMemberSet, payload: MemberEvent(businessId: businessID, userId: userID, role: role))
                return try Row.fetchOne(db, sql: """
                    SELECT m.*, u.name, u.email FROM business_members m JOIN users u ON u.id = m.user_id
                    WHERE m.business_id = ? AND m.user_id = ?
                    """, arguments: [businessID, userID]).map(BusinessMember.init(row:))!
            }
        }
    }

    public func removeMember(_ caller: Caller, businessID: String, userID: String) async throws {
        let tenant = try caller.authorize(.businessesRead)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try Self.requireBusiness(db, businessID)
                try CallerFacts.read(db, caller).authorize(.businessMembersManage, business: businessID)
                try db.execute(sql: "DELETE FROM business_members WHERE business_id = ? AND user_id = ?", arguments: [businessID, userID])
                guard db.changesCount == 1 else { throw AppError.notFound("Member") }
                try TalkAccess.bump(db)
                try AuditLog.tenant(db, caller.audit, "business.member_remove", target: businessID, detail: ["user_id": userID])
                try Outbox.append(db, topic: Topic.businessMemberRemoved, payload: MemberEvent(businessId: businessID, userId: userID, role: nil))
            }
        }
    }

    public func myBusinesses(_ caller: Caller) async throws -> [MyBusiness] {
        let tenant = try caller.authorize(.businessesRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let memberships = try CallerFacts.read(db, caller).memberships
                return try memberships.keys.compactMap { id in try Self.fetch(db, id: id).map { MyBusiness(business: $0, role: memberships[id]!) } }
                    .sorted { ($0.business.name, $0.business.id) < ($1.business.name, $1.business.id) }
            }
        }
    }

    // MARK: - Helpers

    static func fetch(_ db: Database, id: String) throws -> Business? {
        try Row.fetchOne(db, sql: "SELECT * FROM businesses WHERE id = ?", arguments: [id]).map(Business.init(row:))
    }

    static func requireBusiness(_ db: Database, _ id: String) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM businesses WHERE id = ?"), arguments: [id]) != nil else {
            throw AppError.notFound("Business")
        }
    }

    static func save(_ db: Database, _ b: Business, insert: Bool) throws {
        let args: StatementArguments = [b.name, b.type.rawValue, b.city, b.address, b.phone, b.email, b.website, b.description,
                                        b.verified, b.latitude, b.longitude, b.updatedAt, b.id]
        if insert {
            try db.execute(sql: """
                INSERT INTO businesses (name, type, city, address, phone, email, website, description, verified, latitude, longitude,
                    updated_at, id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: args + [b.createdAt])
        } else {
            try db.execute(sql: """
                UPDATE businesses SET name = ?, type = ?, city = ?, address = ?, phone = ?, email = ?, website = ?,
                description = ?, verified = ?, latitude = ?, longitude = ?, updated_at = ? WHERE id = ?
                """, arguments: args)
        }
    }
}
