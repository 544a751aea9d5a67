import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct S3Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "The S3-compatible blob store: access keys.",
        discussion: """
            The S3 API listens on s3.listen (default 127.0.0.1:9000). A key sees only its tenant's buckets.

            Example with the AWS CLI:
              tradepost s3 key create --tenant acme --name backups
              AWS_ACCESS_KEY_ID=TP… AWS_SECRET_ACCESS_KEY=… \\
              aws --endpoint-url http://127.0.0.1:9000 s3 ls
            """,
        subcommands: [Key.self])

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke a tenant's S3 access keys.",
            subcommands: [Create.self, List.self, Revoke.self])
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an access key; the secret is printed once.",
            discussion: """
                Examples:
                  tradepost s3 key create --tenant acme --name "nightly backup"
                  tradepost s3 key create --tenant acme --name rclone --json
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "A name to recognise the key by.") var name: String

        struct Result: Encodable {
            var key: S3AccessKey
            var secret: String
        }

        func run() async throws {
            try await runCommand {
                let result: Result = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, tenant)
                    let made = try await store.s3Keys.create(.system(tenant.id, audit: .cli), name: name)
                    return Result(key: made.key, secret: made.secret)
                }
                if global.json { return try Output.json(result) }
                Output.line("Access key id:     \(result.key.accessKey)")
                Output.line("Secret access key: \(result.secret)   (shown once)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a tenant's access keys (never their secrets).",
            discussion: """
                Examples:
                  tradepost s3 key list --tenant acme
                  tradepost s3 key list --tenant acme --json
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String

        func run() async throws {
            try await runCommand {
                let keys = try await global.withStore { store in
                    try await store.s3Keys.list(.system(try await resolveTenant(store, tenant).id, audit: .cli))
                }
                if global.json { return try Output.json(keys) }
                Output.table(["ACCESS KEY", "NAME", "CREATED", "LAST USED", "REVOKED"], keys.map {
                    [$0.accessKey, $0.name, Output.date($0.createdAt), Output.date($0.lastUsedAt), Output.date($0.revokedAt)]
                })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an access key; requests signed with it fail at once.",
            discussion: """
                Examples:
                  tradepost s3 key revoke --tenant acme TPABCDEFGHIJKLMNOPQR
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Argument(help: "The access key id.") var accessKey: String

        func run() async throws {
            try await runCommand {
                try await global.withStore { store in
                    try await store.s3Keys.revoke(.system(try await resolveTenant(store, tenant).id, audit: .cli), accessKey: accessKey)
                }
                if global.json { return try Output.json(["revoked": accessKey]) }
                Output.line("Revoked \(accessKey)")
            }
        }
    }
}
