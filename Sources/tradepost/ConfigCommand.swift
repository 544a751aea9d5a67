import ArgumentParser
import Foundation
import TradepostDatabase
import TradepostHTTP
import TradepostStore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the configuration.",
        subcommands: [Print.self])

    struct Print: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Print the effective configuration and where each value came from (secrets redacted).",
            discussion: """
                Precedence, lowest first: default, config file, TRADEPOST_* environment, flags.

                Examples:
                  tradepost config print
                  tradepost config print --config /etc/tradepost/tradepost.yaml --json
                """)

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await runCommand {
                let loaded = try await global.load()
                let entries = loaded.entries.map { entry in
                    var shown = entry
                    if entry.secret && !entry.value.isEmpty { shown.value = "<redacted>" }
                    return shown
                }
                if global.json {
                    try Output.json(entries)
                } else {
                    Output.table(["KEY", "VALUE", "SOURCE"], entries.map { [$0.key, $0.value.isEmpty ? "\"\"" : $0.value, $0.source] })
                }
            }
        }
    }
}

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version and the database schema versions this binary knows.",
        discussion: "Examples:\n  tradepost version\n  tradepost version --json")

    @Flag(help: "Print JSON.") var json = false

    struct Info: Encodable {
        var version: String
        var controlSchema: Int
        var tenantSchema: Int
    }

    func run() async throws {
        let info = Info(
            version: TradepostHTTP.TradepostVersion.current, controlSchema: ControlMigrations.migrator.latestVersion,
            tenantSchema: TenantMigrations.migrator.latestVersion)
        if json {
            try Output.json(info)
        } else {
            Output.line("tradepost \(info.version) (control schema \(info.controlSchema), tenant schema \(info.tenantSchema))")
        }
    }
}
