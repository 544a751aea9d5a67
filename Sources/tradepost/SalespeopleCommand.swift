import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct SalespeopleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "salespeople",
        abstract: "Salespeople's links to businesses: list them, revoke one at once.",
        subcommands: [Links.self, Revoke.self])

    struct Links: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every salesperson link of a tenant, newest first.",
            discussion: """
                Examples:
                  tradepost salespeople links --tenant acme
                  tradepost salespeople links --tenant acme --state active --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "Only this state (requested, active, refused, revoked).") var state: String?

        func run() async throws {
            try await runCommand {
                let state = try self.state.map { value -> SalespersonLink.State in
                    guard let state = SalespersonLink.State(rawValue: value) else {
                        throw CLIError("--state must be one of requested, active, refused, revoked", hint: "for example --state active")
                    }
                    return state
                }
                let links = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    return try await store.salespeople.links(.system(tenant.id, audit: .cli), businessID: nil, state: state)
                }
                if global.json { return try Output.json(links) }
                Output.table(["ID", "SALESPERSON", "BUSINESS", "SIDE", "STATE", "VERIFIED", "ASKED"], links.map {
                    [$0.id, "\($0.userName) <\($0.userEmail)>", $0.businessName, $0.side.rawValue, $0.state.rawValue, $0.identityVerified ? "yes" : "no",
                     ISO8601DateFormatter().string(from: $0.requestedAt)]
                })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a link: from this moment the salesperson cannot talk, offer or order for the business.",
            discussion: """
                Examples:
                  tradepost salespeople revoke --tenant acme 01J0… --reason "Left the company"
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Argument(help: "The link's id.") var link: String
        @Option(help: "Why (kept with the link and in the audit trail).") var reason: String?

        func run() async throws {
            try await runCommand {
                let revoked = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    return try await store.salespeople.act(.system(tenant.id, audit: .cli), linkID: link, .revoke, reason: reason)
                }
                if global.json { return try Output.json(revoked) }
                print("revoked: \(revoked.userName) for \(revoked.businessName)")
            }
        }
    }
}
