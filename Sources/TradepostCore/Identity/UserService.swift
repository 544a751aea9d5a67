import Foundation

/// The users of one tenant, kept in that tenant's database. Every method names its tenant.
public protocol UserService: Sendable {
    /// Throws `.invalid`, `.conflict` (email already used in this tenant) or `.notFound` (no such tenant).
    func createUser(_ tenant: TenantID, _ input: NewUser, audit: AuditContext) async throws -> CreatedUser

    /// Throws `.notFound`.
    func user(_ tenant: TenantID, id: String) async throws -> User

    /// Throws `.notFound`.
    func user(_ tenant: TenantID, email: String) async throws -> User

    /// Users ordered by id. Throws `.notFound` (no such tenant).
    func users(_ tenant: TenantID, _ page: PageRequest, filter: UserFilter) async throws -> Page<User>

    /// Throws `.notFound`, `.invalid`, or `.conflict` when the change would leave the tenant without an active owner.
    func updateUser(_ tenant: TenantID, id: String, _ update: UserUpdate, audit: AuditContext) async throws -> User

    /// Throws `.notFound` or `.invalid` (password too short or too long).
    func setPassword(_ tenant: TenantID, id: String, password: String, audit: AuditContext) async throws

    /// Checks the current password before changing it. Throws `.invalid` when the current one is wrong.
    func changePassword(_ tenant: TenantID, id: String, current: String, new: String, audit: AuditContext) async throws

    func userCount(_ tenant: TenantID) async throws -> Int
}

/// The businesses of one tenant and who works in them.
public protocol BusinessService: Sendable {
    /// Throws `.invalid`.
    func createBusiness(_ tenant: TenantID, _ input: BusinessInput, audit: AuditContext) async throws -> Business

    /// Throws `.notFound`.
    func business(_ tenant: TenantID, id: String) async throws -> Business

    func businesses(_ tenant: TenantID, _ page: PageRequest, filter: BusinessFilter) async throws -> Page<Business>

    /// Throws `.notFound` or `.invalid`.
    func updateBusiness(_ tenant: TenantID, id: String, _ input: BusinessInput, audit: AuditContext) async throws -> Business

    /// Marks a business verified or not (tenant admins). Throws `.notFound`.
    func setVerified(_ tenant: TenantID, id: String, verified: Bool, audit: AuditContext) async throws -> Business

    /// Throws `.notFound` (business).
    func members(_ tenant: TenantID, businessID: String) async throws -> [BusinessMember]

    /// Adds the user or changes their role. Throws `.notFound` (business or user).
    func setMember(_ tenant: TenantID, businessID: String, userID: String, role: BusinessRole, audit: AuditContext) async throws -> BusinessMember

    /// Throws `.notFound` (business, or the user is not a member).
    func removeMember(_ tenant: TenantID, businessID: String, userID: String, audit: AuditContext) async throws

    /// The user's role in the business, or nil. Throws `.notFound` (business).
    func membership(_ tenant: TenantID, businessID: String, userID: String) async throws -> BusinessRole?

    /// Every business the user belongs to, with their role there.
    func memberships(_ tenant: TenantID, userID: String) async throws -> [String: BusinessRole]
}

/// A platform administrator: manages tenants, never sees inside them unless acting for one.
public struct PlatformAdmin: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var name: String
    public var disabled: Bool
    public var createdAt: Date
    public var lastLoginAt: Date?

    public init(id: String, email: String, name: String, disabled: Bool, createdAt: Date, lastLoginAt: Date?) {
        self.id = id
        self.email = email
        self.name = name
        self.disabled = disabled
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }
}

public protocol PlatformAdminService: Sendable {
    /// Throws `.invalid` or `.conflict` (email taken).
    func createAdmin(email: String, name: String, password: String, audit: AuditContext) async throws -> PlatformAdmin
    func admins() async throws -> [PlatformAdmin]
    /// Throws `.notFound`.
    func admin(email: String) async throws -> PlatformAdmin
    /// Throws `.notFound` or `.invalid`.
    func setPassword(email: String, password: String, audit: AuditContext) async throws
    /// Checks the current password first. Throws `.notFound`, or `.invalid` (wrong current password, bad new one).
    func changePassword(email: String, current: String, new: String, audit: AuditContext) async throws
    /// Throws `.notFound`, or `.conflict` when it would leave no active admin.
    func setDisabled(email: String, _ disabled: Bool, audit: AuditContext) async throws -> PlatformAdmin
    func adminCount() async throws -> Int
}
