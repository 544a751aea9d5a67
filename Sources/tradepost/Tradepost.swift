import ArgumentParser
import TradepostHTTP

@main
struct Tradepost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradepost",
        abstract: "B2B trade for small distributors, in one binary.",
        discussion: """
            Run `tradepost serve` to start the server on ./tradepost-data and 127.0.0.1:8080. Every command takes --data DIR (or TRADEPOST_DATA) and most take --json.
            """,
        version: TradepostVersion.current,
        subcommands: [
            ServeCommand.self, ConfigCommand.self, TenantCommand.self, UserCommand.self, TokenCommand.self,
            JobsCommand.self, SearchCommand.self, CatalogCommand.self, StockCommand.self, OrdersCommand.self, SalespeopleCommand.self, NotifyCommand.self, WebhooksCommand.self, S3Command.self, SnapshotCommand.self, RestoreCommand.self, DoctorCommand.self, AuditCommand.self, MigrateCommand.self,
            VersionCommand.self,
        ]
    )
}
