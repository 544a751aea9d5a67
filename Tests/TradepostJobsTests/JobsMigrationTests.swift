import Testing
import TradepostStore
@testable import TradepostJobs

@Suite("Jobs database migrations")
struct JobsMigrationTests {
    /// Shipped migrations must never change: add a new one instead, and pin its checksum here.
    static let shipped: [Int: String] = [1: "87bed14e292de4ee70d5ff218fe213c3899a777565b2d5dc3fe15f7382da764c"]

    @Test func shippedMigrationsAreUnchanged() {
        for migration in JobsMigrations.migrator.migrations {
            #expect(Self.shipped[migration.version] == migration.checksum, "jobs migration \(migration.version) changed or is not pinned")
        }
    }
}
