import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Tenants and plans in `control.sqlite`; each tenant's own file is created alongside.
public final class SQLiteTenantService: TenantService {
    let control: ControlDatabase
    let tenants: TenantDatabases
    let users: SQLiteUserService
    let stats: StoreStats

    public init(control: ControlDatabase, tenants: TenantDatabases, users: SQLiteUserService, stats: StoreStats) {
        self.control = control
        self.tenants = tenants
        self.users = users
        self.stats = stats
    }

    public func createTenant(_ caller: Caller, _ input: NewTenant, owner ownerInput: NewUser?) async throws -> CreatedTenant {
        try Policy.authorize(caller.principal, .tenantsManage)
        let audit = caller.audit
        let input = try input.validated()
        let owner: NewUser?
        do {
            owner = try ownerInput.map { try NewUser(email: $0.email, name: $0.name, password: $0.password, role: .owner).validated() }
        } catch var error as AppError {
            error.fields = error.fields.map { .init("owner.\($0.field)", $0.message) }
            throw error
        }
        let now = Date()
        let tenant = Tenant(
            id: TenantID(Identifier.make(now: now)), slug: input.slug, name: input.name, status: .active,
            plan: input.plan, timeZone: input.timeZone, createdAt: now, updatedAt: now)
        try await mapErrors(stats, conflict: "A tenant with the slug \"\(input.slug)\" already exists") {
            try await control.pool.read { db in try Self.requirePlan(db, input.plan) }
            if try await control.pool.read({ db in try Self.fetch(db, slug: input.slug) }) != nil {
                throw AppError.conflict("A tenant with the slug \"\(input.slug)\" already exists")
            }
            // The file first: a control row never points at a missing database.
            try await tenants.create(tenant.id)
            do {
                try await control.pool.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO tenants (id, slug, name, status, plan, time_zone, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [tenant.id.rawValue, tenant.slug, tenant.name, tenant.status.rawValue, tenant.plan,
                                    tenant.timeZone, now, now])
                    try AuditLog.platform(db, audit, "tenant.create", target: tenant.id.rawValue,
                                          detail: ["slug": tenant.slug, "name": tenant.name, "plan": tenant.plan])
                }
            } catch {
                await tenants.remove(tenant.id)
                throw error
            }
        }
        // The tenant's first user, acting in it as the platform caller who made it.
        var created: CreatedUser?
        if let owner { created = try await users.createUser(.system(tenant.id, audit: audit), owner) }
        return CreatedTenant(tenant: tenant, owner: created)
    }

    public func tenant(_ caller: Caller, id: TenantID) async throws -> Tenant {
        if caller.principal.kind == .platformAdmin {
            try Policy.authorize(caller.principal, .tenantsRead)
        } else if try caller.authorize(.tenantRead) != id {
            throw AppError.notFound("Tenant")
        }
        return try await tenant(id: id)
    }

    public func users(_ caller: Caller, tenant id: TenantID, _ page: PageRequest) async throws -> Page<User> {
        try Policy.authorize(caller.principal, .tenantsRead)
        _ = try await tenant(id: id)
        return try await users.users(.system(id, audit: caller.audit), page, filter: UserFilter())
    }

    public func createUser(_ caller: Caller, tenant id: TenantID, _ input: NewUser) async throws -> CreatedUser {
        try Policy.authorize(caller.principal, .tenantsManage)
        _ = try await tenant(id: id)
        return try await users.createUser(.system(id, audit: caller.audit), input)
    }

    public func tenant(id: TenantID) async throws -> Tenant {
        try await mapErrors(stats) {
            guard let tenant = try await control.pool.read({ db in try Self.fetch(db, id: id) }) else {
                throw AppError.notFound("Tenant")
            }
            return tenant
        }
    }

    public func tenant(slug: String) async throws -> Tenant {
        try await mapErrors(stats) {
            guard let tenant = try await control.pool.read({ db in try Self.fetch(db, slug: slug.lowercased()) }) else {
                throw AppError.notFound("Tenant")
            }
            return tenant
        }
    }

    public func tenants(_ caller: Caller, _ page: PageRequest, status: TenantStatus?) async throws -> Page<Tenant> {
        try Policy.authorize(caller.principal, .tenantsRead)
        return try await mapErrors(stats) {
            let rows = try await control.pool.read { db in
                var sql = "SELECT * FROM tenants WHERE id > ?"
                var args: StatementArguments = [page.after ?? ""]
                if let status {
                    sql += " AND status = ?"
                    args += [status.rawValue]
                }
                sql += " ORDER BY id LIMIT ?"
                args += [page.limit + 1]
                return try Row.fetchAll(db, sql: sql, arguments: args).map(Self.tenant(from:))
            }
            return Page(fetched: rows, limit: page.limit) { $0.id.rawValue }
        }
    }

    public func updateTenant(_ caller: Caller, id: TenantID, _ update: TenantUpdate) async throws -> Tenant {
        try Policy.authorize(caller.principal, .tenantsManage)
        let audit = caller.audit
        var v = Validator()
        let name = update.name.map { v.text("name", $0, max: 120) }
        if let zone = update.timeZone, TimeZone(identifier: zone) == nil { v.fail("time_zone", "is not a known IANA time zone") }
        try v.check()
        return try await mapErrors(stats) {
            try await control.pool.write { db in
                guard var tenant = try Self.fetch(db, id: id) else { throw AppError.notFound("Tenant") }
                var detail: [String: String] = [:]
                if let name, name != tenant.name { detail["name"] = "\(tenant.name) -> \(name)"; tenant.name = name }
                if let plan = update.plan, plan != tenant.plan {
                    try Self.requirePlan(db, plan)
                    detail["plan"] = "\(tenant.plan) -> \(plan)"
                    tenant.plan = plan
                }
                if let zone = update.timeZone, zone != tenant.timeZone {
                    detail["time_zone"] = "\(tenant.timeZone) -> \(zone)"
                    tenant.timeZone = zone
                }
                guard !detail.isEmpty else { return tenant }
                tenant.updatedAt = Date()
                try db.execute(
                    sql: "UPDATE tenants SET name = ?, plan = ?, time_zone = ?, updated_at = ? WHERE id = ?",
                    arguments: [tenant.name, tenant.plan, tenant.timeZone, tenant.updatedAt, id.rawValue])
                try AuditLog.platform(db, audit, "tenant.update", target: id.rawValue, detail: detail)
                return tenant
            }
        }
    }

    public func setStatus(_ caller: Caller, id: TenantID, _ status: TenantStatus) async throws -> Tenant {
        try Policy.authorize(caller.principal, .tenantsManage)
        let audit = caller.audit
        return try await mapErrors(stats) {
            try await control.pool.write { db in
                guard var tenant = try Self.fetch(db, id: id) else { throw AppError.notFound("Tenant") }
                guard tenant.status != status else { return tenant }
                tenant.status = status
                tenant.updatedAt = Date()
                try db.execute(
                    sql: "UPDATE tenants SET status = ?, updated_at = ? WHERE id = ?",
                    arguments: [status.rawValue, tenant.updatedAt, id.rawValue])
                try AuditLog.platform(
                    db, audit, status == .suspended ? "tenant.suspend" : "tenant.resume", target: id.rawValue,
                    detail: ["slug": tenant.slug])
                return tenant
            }
        }
    }

    public func plans(_ caller: Caller) async throws -> [Plan] {
        try Policy.authorize(caller.principal, .tenantsRead)
        return try await mapErrors(stats) {
            try await control.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM plans ORDER BY max_users IS NULL, max_users").map {
                    Plan(slug: $0["slug"], name: $0["name"], maxUsers: $0["max_users"], storageQuotaBytes: $0["storage_quota_bytes"])
                }
            }
        }
    }

    public func storageQuota(_ id: TenantID) async throws -> Int64? {
        try await mapErrors(stats) {
            try await control.pool.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT p.storage_quota_bytes FROM tenants t LEFT JOIN plans p ON p.slug = t.plan WHERE t.id = ?
                    """, arguments: [id.rawValue]) else { throw AppError.notFound("Tenant") }
                return row[0] as Int64?
            }
        }
    }

    // MARK: - Helpers (run inside the caller's transaction)

    static func requirePlan(_ db: Database, _ slug: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM plans WHERE slug = ?", arguments: [slug]) != nil else {
            throw AppError.invalidField("plan", "is not a known plan")
        }
    }

    static func fetch(_ db: Database, id: TenantID) throws -> Tenant? {
        try Row.fetchOne(db, sql: "SELECT * FROM tenants WHERE id = ?", arguments: [id.rawValue]).map(tenant(from:))
    }

    static func fetch(_ db: Database, slug: String) throws -> Tenant? {
        try Row.fetchOne(db, sql: "SELECT * FROM tenants WHERE slug = ?", arguments: [slug]).map(tenant(from:))
    }

    static func tenant(from row: Row) -> Tenant {
        Tenant(
            id: TenantID(row["id"] as String), slug: row["slug"], name: row["name"],
            status: TenantStatus(rawValue: row["status"]) ?? .suspended, plan: row["plan"], timeZone: row["time_zone"],
            createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
