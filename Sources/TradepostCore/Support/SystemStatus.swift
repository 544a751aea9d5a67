/// What the health and metrics endpoints read of the storage underneath, without knowing it.
public protocol SystemStatus: Sendable {
    /// Where the data lives (its disk's free space is a readiness check).
    var dataDir: String { get }
    /// nil when the control database takes a write now; else why it does not.
    func controlWriteProblem() async -> String?
    /// Tenant databases open at this moment.
    var openTenantDatabases: Int { get }
    /// How often a database was found busy since the start (SQLITE_BUSY past its timeout).
    var busyErrors: Int { get }
}
