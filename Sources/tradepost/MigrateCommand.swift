import ArgumentParser
import Foundation
import TradepostCore
import TradepostDatabase
import TradepostStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the control database and every tenant database to this binary's schema.",
        discussion: """
            The server migrates each database when it opens it; this does all of them now, e.g. right after an upgrade, and reports each database's schema version.

            Examples:
              tradepost migrate
              tradepost migrate --data /var/lib/tradepost --json
            """)

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        var database: String
        var version: Int
    }

    func run() async throws {
        try await runCommand {
            let reports: [Report] = try await global.withStore { store in
                var reports = [Report(database: "control", version: try ControlMigrations.migrator.currentVersion(store.control.pool))]
                let tenants = try await allPages { try await store.tenants.tenants(.platformSystem(), $0, status: nil) }
                for (index, tenant) in tenants.enumerated() {
                    let version = try await store.tenantDatabases.withPool(tenant.id) {
                        try TenantMigrations.migrator.currentVersion($0)
                    }
                    reports.append(Report(database: "tenant \(tenant.slug)", version: version))
                    if !global.json { progress(index + 1, tenants.count) }
                }
                return reports
            }
            if global.json { return try Output.json(reports) }
            Output.table(["DATABASE", "SCHEMA"], reports.map { [$0.database, String($0.version)] })
        }
    }

    private func progress(_ done: Int, _ total: Int) {
        FileHandle.standardError.write(Data("\rmigrating tenants: \(done)/\(total)".utf8 + (done == total ? [10] : [])))
    }
}
