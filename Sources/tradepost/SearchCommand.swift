import ArgumentParser
import Foundation
import TradepostCore
import TradepostSearch
import TradepostStore

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Look after the product search index.",
        subcommands: [Reindex.self, Query.self])

    struct Reindex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild a tenant's search index from its published products.",
            discussion: """
                The index follows every change by itself; rebuild it after a restore or when search results look wrong. It runs in one transaction: searches keep the old index until it is done, and catalog writes of that tenant wait for it. Safe while the server runs.

                Examples:
                  tradepost search reindex --tenant acme
                  tradepost search reindex --tenant acme --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String

        struct Result: Encodable {
            var tenant: String
            var products: Int
            var seconds: Double
        }

        func run() async throws {
            try await runCommand {
                let result: Result = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let engine = SearchEngine(tenants: store.tenantDatabases)
                    let started = Date()
                    let quiet = global.json
                    let count = try await engine.indexer.reindex(tenant.id) { done, total in
                        if !quiet { FileHandle.standardError.write(Data("\rindexing: \(done)/\(total) products".utf8)) }
                    }
                    if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
                    return Result(tenant: tenant.slug, products: count, seconds: (Date().timeIntervalSince(started) * 100).rounded() / 100)
                }
                if global.json { return try Output.json(result) }
                print("Indexed \(result.products) published products of \(result.tenant) in \(result.seconds) s.")
            }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search a tenant's products from the command line, as the API would.",
            discussion: """
                Examples:
                  tradepost search query --tenant acme "парацетамол 500"
                  tradepost search query --tenant acme ibuprofen --limit 5 --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "Results to show (1–100).") var limit = 10
        @Argument(help: "The words to search for.") var words: [String]

        func run() async throws {
            try await runCommand {
                guard (1...100).contains(limit) else { throw CLIError("--limit must be from 1 to 100", hint: "for example --limit 20") }
                let result = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    return try await SearchEngine(tenants: store.tenantDatabases).search(
                        .system(tenant.id), SearchRequest(query: words.joined(separator: " "), limit: limit, prefix: false))
                }
                if global.json { return try Output.json(result.items.map(\.product)) }
                Output.table(["SKU", "NAME", "PRICE", "BUSINESS"], result.items.map {
                    [$0.product.sku, $0.product.name, "\($0.product.price.decimal) \($0.product.price.currency)", $0.product.businessId]
                })
                FileHandle.standardError.write(Data("\(result.items.count) results in \(result.tookMs) ms\n".utf8))
            }
        }
    }
}
