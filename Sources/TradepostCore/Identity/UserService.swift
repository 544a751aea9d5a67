import Foundation

/// The users of one tenant, kept in that tenant's database. Methods that act on others take the
/// caller and decide inside their own transaction (tenant admins manage users; only owners touch
/// owners); the command line and platform admins act as `Caller.system(tenant)`.
public protocol UserService: Sendable {
    /// Throws `.forbidden`, `.invalid`, `.conflict` (email already used in this tenant) or `.notFound` (no such tenant).
    func createUser(_ caller: Caller, _ input: NewUser) async throws -> CreatedUser

    /// Throws `.forbidden`, `.notFound`.
    func user(_ caller: Caller, id: String) async throws -> User

    /// For the command line, which names users by email. Throws `.notFound`.
    func user(_ tenant: TenantID, email: String) async throws -> User

    /// Users ordered by id. Throws `.forbidden`, `.notFound` (no such tenant).
    func users(_ caller: Caller, _ page: PageRequest, filter: UserFilter) async throws -> Page<User>

    /// Throws `.forbidden`, `.notFound`, `.invalid`, or `.conflict` when the change would leave the tenant without an active owner.
    func updateUser(_ caller: Caller, id: String, _ update: UserUpdate) async throws -> User

    /// The caller's own name and language (nothing else of `update` is applied). Throws `.forbidden`, `.invalid`.
    func updateProfile(_ caller: Caller, _ update: UserUpdate) async throws -> User

    /// An admin sets someone's password. Throws `.forbidden`, `.notFound` or `.invalid` (password too short or too long).
    func setPassword(_ caller: Caller, id: String, password: String) async throws

    /// Checks the current password before changing it. Throws `.invalid` when the current one is wrong.
    func changePassword(_ tenant: TenantID, id: String, current: String, new: String, audit: AuditContext) async throws

    func userCount(_ tenant: TenantID) async throws -> Int
}

/// The businesses of one tenant and who works in them. Each method takes the caller and decides
/// inside its own transaction: every tenant user reads the directory; tenant admins create and
/// verify; a business's managers (and tenant admins) edit it and its members.
public protocol BusinessService: Sendable {
    /// Throws `.forbidden` (not a tenant admin), `.invalid`.
    func createBusiness(_ caller: Caller, _ input: BusinessInput) async throws -> Business

    /// Throws `.notFound`.
    func business(_ caller: Caller, id: String) async throws -> Business

    func businesses(_ caller: Caller, _ page: PageRequest, filter: BusinessFilter) async throws -> Page<Business>

    /// Throws `.notFound`, `.forbidden` (neither its manager nor a tenant admin), `.invalid`.
    func updateBusiness(_ caller: Caller, id: String, _ input: BusinessInput) async throws -> Business

    /// Marks a business verified or not. Throws `.forbidden` (not a tenant admin), `.notFound`.
    func setVerified(_ caller: Caller, id: String, verified: Bool) async throws -> Business

    /// Throws `.notFound` (business).
    func members(_ caller: Caller, businessID: String) async throws -> [BusinessMember]

    /// Adds the user or changes their role. Throws `.notFound` (business or user), `.forbidden`.
    func setMember(_ caller: Caller, businessID: String, userID: String, role: BusinessRole) async throws -> BusinessMember

    /// Throws `.notFound` (business, or the user is not a member), `.forbidden`.
    func removeMember(_ caller: Caller, businessID: String, userID: String) async throws

    /// Every business the caller belongs to, with their role there, by name.
    func myBusinesses(_ caller: Caller) async throws -> [MyBusiness]
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
