import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Personal API tokens.",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a user; the secret is printed once.",
            discussion: """
                Send it as `Authorization: Bearer <secret>`. Scopes: read, write, admin.

                Examples:
                  tradepost token create --tenant acme --email anna@acme.example \\
                  --name "price sync" --scopes read,write
                  tradepost token create --platform --email admin@localhost \\
                  --name monitoring --scopes read --days 30 --json
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var target: UserCommand.Target
        @Option(help: "The user's email.") var email: String
        @Option(help: "A name to recognise the token by.") var name: String
        @Option(help: "Comma-separated scopes: read, write, admin.") var scopes = "read"
        @Option(help: "Days until it expires (1–366).") var days = 90

        struct Result: Encodable {
            var token: APIToken
            var secret: String
        }

        func run() async throws {
            try await runCommand {
                var parsed: [Scope] = []
                for raw in scopes.split(separator: ",") {
                    guard let scope = Scope(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
                        throw CLIError("unknown scope \"\(raw)\"", hint: "use read, write or admin")
                    }
                    parsed.append(scope)
                }
                let input = NewAPIToken(name: name, scopes: parsed, expiresInDays: days)
                let result: Result = try await global.withStore { store in
                    let principal = try await TokenCommand.principal(store, target, email)
                    let created = try await store.auth.createToken(input, for: principal)
                    return Result(token: created.token, secret: created.secret)
                }
                if global.json { return try Output.json(result) }
                Output.line("Token \(result.token.name) (\(result.token.scopes.map(\.rawValue).joined(separator: ","))), expires \(Output.date(result.token.expiresAt))")
                Output.line(result.secret)
            }
        }
    }

    /// The user named by email, as the principal that will own the token.
    static func principal(_ store: Store, _ target: UserCommand.Target, _ email: String) async throws -> Principal {
        if target.platform {
            let admin = try await store.admins.admin(email: email)
            guard !admin.disabled else { throw CLIError("\(email) is disabled") }
            return Principal(kind: .platformAdmin, userID: admin.id, email: admin.email, name: admin.name, tenantID: nil,
                             tenantSlug: nil, role: nil, userKind: nil, locale: nil, scopes: Set(Scope.allCases),
                             credential: .session(id: "cli"))
        }
        let tenant = try await resolveTenant(store, target.tenant!)
        let user = try await store.users.user(tenant.id, email: email)
        guard !user.disabled else { throw CLIError("\(email) is disabled") }
        return Principal(kind: .tenantUser, userID: user.id, email: user.email, name: user.name, tenantID: tenant.id,
                         tenantSlug: tenant.slug, role: user.role, userKind: user.kind, locale: user.locale,
                         scopes: Set(Scope.allCases), credential: .session(id: "cli"))
    }
}
