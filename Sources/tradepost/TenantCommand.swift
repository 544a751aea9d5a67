import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, list, suspend and resume tenants.",
        subcommands: [Create.self, List.self, Suspend.self, Resume.self, TenantExport.self, TenantImport.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and its database, optionally with its first owner.",
            discussion: """
                Examples:
                  tradepost tenant create acme --name "Acme Pharma"
                  tradepost tenant create acme --name "Acme Pharma" --plan free \\
                      --time-zone Europe/Kyiv --owner-email boss@acme.example \\
                      --owner-name "Olena K."
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Slug: 2–40 lowercase letters, digits and hyphens (used to log in).") var slug: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Plan slug: free, standard or unlimited.") var plan = "standard"
        @Option(help: "IANA time zone.") var timeZone = "UTC"
        @Option(help: "Create an owner with this email (a password is generated and printed once).") var ownerEmail: String?
        @Option(help: "The owner's name.") var ownerName: String?

        struct Result: Encodable {
            var tenant: Tenant
            var owner: User?
            var ownerPassword: String?
        }

        func validate() throws {
            if ownerName != nil && ownerEmail == nil {
                throw ValidationError("--owner-name needs --owner-email")
            }
        }

        func run() async throws {
            try await runCommand {
                let input = try NewTenant(slug: slug, name: name, plan: plan, timeZone: timeZone).validated()
                let owner = try ownerEmail.map {
                    try NewUser(email: $0, name: ownerName ?? "Owner", password: nil, role: .owner).validated()
                }
                let result = try await global.withStore { store in
                    let tenant = try await store.tenants.createTenant(.platformSystem(audit: .cli), input)
                    var result = Result(tenant: tenant)
                    if let owner {
                        let created = try await store.users.createUser(.system(tenant.id, audit: .cli), owner)
                        result.owner = created.user
                        result.ownerPassword = created.generatedPassword
                    }
                    return result
                }
                let tenant = result.tenant
                if global.json { return try Output.json(result) }
                Output.line("Created tenant \(tenant.slug) (\(tenant.id)) on plan \(tenant.plan)")
                if let user = result.owner {
                    Output.line("Owner \(user.email), password: \(result.ownerPassword ?? "-")   (shown once)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tenants.",
            discussion: "Examples:\n  tradepost tenant list\n  tradepost tenant list --status suspended --json")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only tenants with this status: active or suspended.") var status: TenantStatus?

        func run() async throws {
            try await runCommand {
                let all = try await global.withStore { store in
                    try await allPages { try await store.tenants.tenants(.platformSystem(), $0, status: status) }
                }
                if global.json { return try Output.json(all) }
                Output.table(["SLUG", "NAME", "STATUS", "PLAN", "ID", "CREATED"],
                             all.map { [$0.slug, $0.name, $0.status.rawValue, $0.plan, $0.id.rawValue, Output.date($0.createdAt)] })
            }
        }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend a tenant: its users get 403 at once; its data stays.",
            discussion: "Examples:\n  tradepost tenant suspend acme")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tenant's slug or id.") var tenant: String

        func run() async throws {
            try await setStatus(global, tenant, .suspended)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a suspended tenant.",
            discussion: "Examples:\n  tradepost tenant resume acme")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tenant's slug or id.") var tenant: String

        func run() async throws {
            try await setStatus(global, tenant, .active)
        }
    }

    static func setStatus(_ global: GlobalOptions, _ ref: String, _ status: TenantStatus) async throws {
        try await runCommand {
            let updated = try await global.withStore { store in
                try await store.tenants.setStatus(.platformSystem(audit: .cli), id: try await resolveTenant(store, ref).id, status)
            }
            if global.json { return try Output.json(updated) }
            Output.line("Tenant \(updated.slug) is \(updated.status.rawValue)")
        }
    }
}

extension TenantStatus: ExpressibleByArgument {}

/// A tenant named by slug or id. Throws `.notFound` with the name given.
func resolveTenant(_ store: Store, _ ref: String) async throws -> Tenant {
    if Identifier.isValid(ref), let tenant = try? await store.tenants.tenant(id: TenantID(ref)) { return tenant }
    do {
        return try await store.tenants.tenant(slug: ref)
    } catch let error as AppError where error.code == .notFound {
        throw CLIError("no tenant \"\(ref)\"", hint: "`tradepost tenant list` shows the tenants")
    }
}

