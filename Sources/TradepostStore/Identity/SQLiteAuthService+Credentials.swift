import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// "My sessions" and personal API tokens.
extension SQLiteAuthService {
    public func sessions(of principal: Principal) async throws -> [SessionInfo] {
        let current = principal.credential.sessionID
        return try await mapErrors(stats) {
            try await control.pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM sessions WHERE user_id = ? AND tenant_id IS ? AND revoked_at IS NULL AND expires_at > ?
                    ORDER BY created_at DESC
                    """, arguments: [principal.userID, principal.tenantID?.rawValue, Date()]).map { row in
                    SessionInfo(
                        id: row["id"], createdAt: row["created_at"], expiresAt: row["expires_at"], lastSeenAt: row["last_seen_at"],
                        ip: row["ip"], userAgent: row["user_agent"], current: row["id"] == current)
                }
            }
        }
    }

    public func revokeSession(id: String, of principal: Principal) async throws {
        try await mapErrors(stats) {
            try await control.pool.write { db in
                try db.execute(sql: """
                    UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND tenant_id IS ? AND revoked_at IS NULL
                    """, arguments: [Date(), id, principal.userID, principal.tenantID?.rawValue])
                guard db.changesCount == 1 else { throw AppError.notFound("Session") }
            }
        }
    }

    public func createToken(_ input: NewAPIToken, for principal: Principal) async throws -> (token: APIToken, secret: String) {
        let input = try input.validated()
        let allowed: Set<Scope> = principal.isPlatformAdmin || (principal.role ?? .member) >= .admin
            ? Set(Scope.allCases) : [.read, .write]
        if let scope = input.scopes.first(where: { !allowed.contains($0) || !principal.scopes.contains($0) }) {
            throw AppError.forbidden("You cannot create a token with the \(scope.rawValue) scope")
        }
        let secret = Secrets.token(prefix: Self.tokenPrefix)
        let now = Date()
        let token = APIToken(
            id: Identifier.make(now: now), name: input.name, scopes: input.scopes, createdAt: now,
            expiresAt: now.addingTimeInterval(Double(input.expiresInDays) * 86400), lastUsedAt: nil,
            prefix: String(secret.prefix(Self.tokenPrefix.count + 6)))
        let audit = principal.audit(ip: nil)
        try await mapErrors(stats) {
            try await control.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO api_tokens (id, token_hash, name, scopes, prefix, principal_kind, tenant_id, user_id, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [token.id, Secrets.hash(secret), token.name, token.scopes.map(\.rawValue).joined(separator: " "),
                                     token.prefix, principal.kind.rawValue, principal.tenantID?.rawValue, principal.userID,
                                     now, token.expiresAt])
                if principal.isPlatformAdmin {
                    try AuditLog.platform(db, audit, "token.create", target: token.id, detail: ["name": token.name])
                }
            }
            if let tenantID = principal.tenantID {
                try await tenants.write(tenantID) { db in
                    try AuditLog.tenant(db, audit, "token.create", target: token.id,
                                        detail: ["name": token.name, "scopes": token.scopes.map(\.rawValue).joined(separator: " ")])
                }
            }
        }
        return (token, secret)
    }

    public func tokens(of principal: Principal) async throws -> [APIToken] {
        try await mapErrors(stats) {
            try await control.pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT * FROM api_tokens WHERE user_id = ? AND tenant_id IS ? AND revoked_at IS NULL AND expires_at > ?
                    ORDER BY created_at DESC
                    """, arguments: [principal.userID, principal.tenantID?.rawValue, Date()]).map { row in
                    APIToken(
                        id: row["id"], name: row["name"], scopes: Self.parseScopes(row["scopes"]).sorted(),
                        createdAt: row["created_at"], expiresAt: row["expires_at"], lastUsedAt: row["last_used_at"],
                        prefix: row["prefix"])
                }
            }
        }
    }

    public func revokeToken(id: String, of principal: Principal) async throws {
        try await mapErrors(stats) {
            try await control.pool.write { db in
                try db.execute(sql: """
                    UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND tenant_id IS ? AND revoked_at IS NULL
                    """, arguments: [Date(), id, principal.userID, principal.tenantID?.rawValue])
                guard db.changesCount == 1 else { throw AppError.notFound("Token") }
            }
        }
    }
}
