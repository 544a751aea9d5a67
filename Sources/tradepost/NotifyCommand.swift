import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore
import TradepostWiring

struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Notifications: send a test through a tenant's mail relay.",
        subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test email now through the tenant's relay and say how it went (exit 1 when it failed).",
            discussion: """
                Examples:
                  tradepost notify test --tenant acme --email ops@acme.example
                  tradepost notify test --tenant acme --email ops@acme.example --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "Where to send it.") var email: String

        func run() async throws {
            try await runCommand {
                let config = try await global.load().config
                let result = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let channels = ChannelDirectory(store: store, baseURL: config.baseURL, caFile: config.notify.smtpCAFile)
                    return try await channels.testEmail(.system(tenant.id, audit: .cli), to: email)
                }
                if global.json { try Output.json(result) } else { print(result.ok ? "sent: \(result.detail)" : "failed: \(result.detail)") }
                if !result.ok { throw ExitCode(1) }
            }
        }
    }
}

struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "A tenant's outbound webhooks: list the endpoints and their health, send messages again.",
        subcommands: [List.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every endpoint of a tenant with its state and recent failures.",
            discussion: """
                Examples:
                  tradepost webhooks list --tenant acme
                  tradepost webhooks list --tenant acme --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String

        func run() async throws {
            try await runCommand {
                let (endpoints, failing) = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let caller = Caller.system(tenant.id, audit: .cli)
                    let endpoints = try await store.webhooks.endpoints(caller)
                    var failing: [String: Int] = [:]
                    for e in endpoints { failing[e.id] = try await store.webhooks.messages(caller, endpointID: e.id, status: .failed, limit: 200).count }
                    return (endpoints, failing)
                }
                if global.json { return try Output.json(endpoints) }
                Output.table(["ID", "URL", "EVENTS", "STATE", "FAILED (LAST 200)"], endpoints.map {
                    [$0.id, $0.url, $0.eventTypes.isEmpty ? "all" : $0.eventTypes.joined(separator: ","),
                     $0.enabled ? "enabled" : "disabled: \($0.disabledReason ?? "by an admin")", String(failing[$0.id] ?? 0)]
                })
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send messages again with their original webhook-id: one message, or an endpoint's messages in a time range.",
            discussion: """
                A running server delivers them. Examples:
                  tradepost webhooks replay --tenant acme --message msg_ep_…_42
                  tradepost webhooks replay --tenant acme --endpoint ep_… --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "One message's id.") var message: String?
        @Option(help: "An endpoint's id (with --from and --to).") var endpoint: String?
        @Option(help: "Start of the range (ISO 8601), inclusive.") var from: String?
        @Option(help: "End of the range (ISO 8601), exclusive.") var to: String?

        func run() async throws {
            try await runCommand {
                let format = ISO8601DateFormatter()
                let range: (Date, Date)?
                switch (message, endpoint, from.flatMap(format.date), to.flatMap(format.date)) {
                case (_?, nil, nil, nil): range = nil
                case (nil, _?, let a?, let b?): range = (a, b)
                default: throw CLIError("give --message, or --endpoint with --from and --to (ISO 8601 times)",
                                        hint: "tradepost webhooks replay --tenant acme --endpoint ep_… --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z")
                }
                let count = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let caller = Caller.system(tenant.id, audit: .cli)
                    if let range { return try await store.webhooks.replay(caller, endpointID: endpoint!, from: range.0, to: range.1) }
                    _ = try await store.webhooks.replay(caller, messageID: message!)
                    return 1
                }
                if global.json { return try Output.json(["replayed": count]) }
                print("queued again: \(count) message\(count == 1 ? "" : "s")")
            }
        }
    }
}
