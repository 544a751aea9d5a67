import Testing
import TradepostStore
@testable import TradepostJobs

@Suite("Jobs database migrations")
struct JobsMigrationTests {
    /// Shipped migrations must never change: add a new one instead, and pin its checksum here.
    static let shipped: [Int: String] = [1: "14d59f62beaeaf21f0aaa40262ad0e7f8774cd3a3982de9b62d9058f601810a7"]

    @Test func shippedMigrationsAreUnchanged() {
        for migration in JobsMigrations.migrator.migrations {
            #expect(Self.shipped[migration.version] == migration.checksum, "jobs migration \(migration.version) changed or is not pinned")
        }
    }
}
