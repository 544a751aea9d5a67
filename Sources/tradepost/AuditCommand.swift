import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the hash-chained audit trails.",
        discussion: """
            Each tenant has its own trail (logins, users and roles, businesses, products and prices, moderation, keys, imports); the platform's covers tenants and platform admins.

            Examples:
              tradepost audit verify --tenant acme
              tradepost audit verify --platform --json
              tradepost audit list --tenant acme --action auth.login --limit 20
              tradepost audit list --tenant acme --action product.   # every product.*
            """,
        subcommands: [Verify.self, List.self])

    struct Trail: ParsableArguments {
        @Option(help: "Tenant slug or id.") var tenant: String?
        @Flag(help: "The platform's trail instead of a tenant's.") var platform = false

        /// Runs `body` as the system acting for the trail named: a tenant's, or the platform's.
        func read<T>(_ store: Store, _ body: (Caller, AuditTrail) async throws -> T) async throws -> T {
            switch (tenant, platform) {
            case (let t?, false): return try await body(.system(try await resolveTenant(store, t).id), .tenant)
            case (nil, true): return try await body(.platformSystem(), .platform)
            default: throw CLIError("name one trail", hint: "pass --tenant T or --platform")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 1 when an entry was edited or deleted.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var trail: Trail

        func run() async throws {
            try await runCommand {
                let result = try await global.withStore { store in try await trail.read(store) { caller, which in try await store.audit.verify(caller, which) } }
                if global.json {
                    try Output.json(result)
                } else {
                    Output.line("\(result.entries) entries, \(result.sealed) sealed" + (result.unsealed > 0 ? ", \(result.unsealed) from before the chain (sealed by the next audited change)" : ""))
                    for problem in result.problems { Output.line("PROBLEM: \(problem)") }
                    Output.line(result.ok ? "OK: no entry was edited or deleted" : "FAILED: the audit trail was tampered with")
                }
                if !result.ok { throw ExitCode(1) }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show entries, newest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var trail: Trail
        @Option(help: "An action (auth.login), or a family ending in a dot (product.).") var action: String?
        @Option(help: "Actor id (user:…) or name.") var actor: String?
        @Option(help: "Target id.") var target: String?
        @Option(help: "At most this many entries (1–500).") var limit = 50

        func run() async throws {
            try await runCommand {
                let filter = AuditFilter(action: action, actor: actor, target: target, limit: limit)
                let entries = try await global.withStore { store in try await trail.read(store) { caller, which in try await store.audit.entries(caller, which, filter) } }
                if global.json { return try Output.json(entries) }
                Output.table(["ID", "AT", "ACTOR", "ACTION", "TARGET", "FROM"], entries.map {
                    [String($0.id), Output.date($0.at), $0.actorLabel ?? $0.actor, $0.action, $0.target ?? "-", $0.ip ?? "-"]
                })
            }
        }
    }
}
