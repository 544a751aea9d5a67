import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage tenant users and platform admins.",
        discussion: "Name the tenant with --tenant SLUG, or use --platform for platform admins.",
        subcommands: [Add.self, List.self, SetPassword.self, Disable.self, Enable.self])

    /// Either --tenant T or --platform.
    struct Target: ParsableArguments {
        @Option(help: "The tenant's slug or id.") var tenant: String?
        @Flag(help: "Act on platform admins instead of a tenant's users.") var platform = false

        func validate() throws {
            if (tenant == nil) == !platform {
                throw ValidationError("Give exactly one of --tenant SLUG or --platform")
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user to a tenant, or a platform admin.",
            discussion: """
                Without --password-stdin a password is generated and printed once.

                Examples:
                  tradepost user add anna@acme.example --tenant acme --name Anna --role admin
                  tradepost user add rep@acme.example --tenant acme --name Petro \\
                  --kind salesperson
                  echo "$PASSWORD" | tradepost user add ops@example.com --platform \\
                  --name Ops --password-stdin
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        @Argument(help: "Email address (the login).") var email: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Tenant role: owner, admin or member.") var role: TenantRole = .member
        @Option(help: "member or salesperson.") var kind: UserKind = .member
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        struct Result: Encodable {
            var id: String
            var email: String
            var generatedPassword: String?
        }

        func run() async throws {
            try await runCommand {
                let given = passwordStdin ? Output.readSecretFromStdin() : nil
                if passwordStdin && given == nil { throw CLIError("no password on standard input") }
                let result: Result = try await global.withStore { store in
                    if target.platform {
                        let generated = given == nil ? Validator.generatePassword() : nil
                        let admin = try await store.admins.createAdmin(email: email, name: name, password: given ?? generated!, audit: .cli)
                        return Result(id: admin.id, email: admin.email, generatedPassword: generated)
                    }
                    let tenant = try await resolveTenant(store, target.tenant!)
                    let created = try await store.users.createUser(
                        .system(tenant.id, audit: .cli), NewUser(email: email, name: name, password: given, role: role, kind: kind))
                    return Result(id: created.user.id, email: created.user.email, generatedPassword: created.generatedPassword)
                }
                if global.json { return try Output.json(result) }
                Output.line("Added \(result.email) (\(result.id))")
                if let password = result.generatedPassword { Output.line("password: \(password)   (shown once)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a tenant's users or the platform admins.",
            discussion: "Examples:\n  tradepost user list --tenant acme\n  tradepost user list --platform --json")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target

        func run() async throws {
            try await runCommand {
                if target.platform {
                    let admins = try await global.withStore { try await $0.admins.admins() }
                    if global.json { return try Output.json(admins) }
                    return Output.table(["EMAIL", "NAME", "DISABLED", "ID", "LAST LOGIN"],
                                        admins.map { [$0.email, $0.name, $0.disabled ? "yes" : "no", $0.id, Output.date($0.lastLoginAt)] })
                }
                let users = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, target.tenant!)
                    return try await allPages { try await store.users.users(.system(tenant.id, audit: .cli), $0, filter: UserFilter()) }
                }
                if global.json { return try Output.json(users) }
                Output.table(["EMAIL", "NAME", "ROLE", "KIND", "DISABLED", "ID", "LAST LOGIN"],
                             users.map { [$0.email, $0.name, $0.role.rawValue, $0.kind.rawValue, $0.disabled ? "yes" : "no", $0.id,
                                          Output.date($0.lastLoginAt)] })
            }
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set a password (ends the user's sessions and API tokens).",
            discussion: """
                Examples:
                  tradepost user set-password anna@acme.example --tenant acme
                  echo "$NEW" | tradepost user set-password admin@localhost --platform \\
                  --password-stdin
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        @Argument(help: "The user's email.") var email: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        struct Result: Encodable {
            var email: String
            var generatedPassword: String?
        }

        func run() async throws {
            try await runCommand {
                let given = passwordStdin ? Output.readSecretFromStdin() : nil
                if passwordStdin && given == nil { throw CLIError("no password on standard input") }
                let generated = given == nil ? Validator.generatePassword() : nil
                let password = given ?? generated!
                try await global.withStore { store in
                    if target.platform {
                        try await store.admins.setPassword(email: email, password: password, audit: .cli)
                    } else {
                        let tenant = try await resolveTenant(store, target.tenant!)
                        let user = try await store.users.user(tenant.id, email: email)
                        try await store.users.setPassword(.system(tenant.id, audit: .cli), id: user.id, password: password)
                    }
                }
                let result = Result(email: email.lowercased(), generatedPassword: generated)
                if global.json { return try Output.json(result) }
                Output.line("Password set for \(result.email)")
                if let generated { Output.line("password: \(generated)   (shown once)") }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a user: they cannot log in and their sessions and tokens end.",
            discussion: "Examples:\n  tradepost user disable anna@acme.example --tenant acme\n  tradepost user disable ops@example.com --platform")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await UserCommand.setDisabled(global, target, email, true) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable a disabled user again.",
            discussion: "Examples:\n  tradepost user enable anna@acme.example --tenant acme")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: Target
        @Argument(help: "The user's email.") var email: String

        func run() async throws { try await UserCommand.setDisabled(global, target, email, false) }
    }

    struct Status: Encodable {
        var email: String
        var disabled: Bool
    }

    static func setDisabled(_ global: GlobalOptions, _ target: Target, _ email: String, _ disabled: Bool) async throws {
        try await runCommand {
            let status: Status = try await global.withStore { store in
                if target.platform {
                    let admin = try await store.admins.setDisabled(email: email, disabled, audit: .cli)
                    return Status(email: admin.email, disabled: admin.disabled)
                }
                let tenant = try await resolveTenant(store, target.tenant!)
                let user = try await store.users.user(tenant.id, email: email)
                let updated = try await store.users.updateUser(.system(tenant.id, audit: .cli), id: user.id, UserUpdate(disabled: disabled))
                return Status(email: updated.email, disabled: updated.disabled)
            }
            if global.json { return try Output.json(status) }
            Output.line("\(status.email) is \(status.disabled ? "disabled" : "enabled")")
        }
    }
}

extension TenantRole: ExpressibleByArgument {}
extension UserKind: ExpressibleByArgument {}
