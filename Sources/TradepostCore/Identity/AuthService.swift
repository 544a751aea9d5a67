import Foundation

/// Sessions, API tokens and logins for both platform admins and tenant users.
public protocol AuthService: Sendable {
    /// Verifies the password and opens a session.
    /// Throws `.rateLimited` (too many recent failures for this account or address, with `retryAfter`),
    /// `.unauthenticated` (unknown tenant, unknown user, wrong password, disabled user — one message for all),
    /// or `.tenantSuspended` (right password, suspended tenant).
    func login(_ request: LoginRequest, client: ClientInfo) async throws -> LoginResult

    /// Resolves a session token or API token to its principal.
    /// Throws `.unauthenticated` (unknown, expired or revoked) or `.tenantSuspended`.
    func authenticate(token: String) async throws -> Principal

    /// Revokes the session. Does nothing when it is already gone.
    func logout(sessionID: String) async throws

    /// The caller's live sessions, newest first.
    func sessions(of principal: Principal) async throws -> [SessionInfo]

    /// Throws `.notFound` when the session is not one of the caller's.
    func revokeSession(id: String, of principal: Principal) async throws

    /// Returns the token and its secret. Throws `.invalid`, or `.forbidden` for a scope above the caller's.
    func createToken(_ input: NewAPIToken, for principal: Principal) async throws -> (token: APIToken, secret: String)

    func tokens(of principal: Principal) async throws -> [APIToken]

    /// Throws `.notFound` when the token is not one of the caller's.
    func revokeToken(id: String, of principal: Principal) async throws

    /// Revokes every session and token of a user (after a password change or disable).
    func revokeAll(userID: String, tenantID: TenantID?, except: Credential?) async throws
}

/// Hashes and verifies passwords. Implementations run the slow hash off the event loops.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async -> Bool
}
