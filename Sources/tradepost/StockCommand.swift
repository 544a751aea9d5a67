import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock",
        abstract: "Look after a tenant's stock ledger.",
        subcommands: [Reconcile.self])

    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add up a tenant's stock ledger and compare every level's counters with it.",
            discussion: """
                Every change to stock is a row in the ledger, written in the same transaction as the counters it moves, so the two always agree; this names any level where they do not (a bug, or a database edited by hand). With --repair the counters are set to what the ledger adds up to (audited). The server runs the same check every night. Safe while the server runs. Exits 1 when drift was found and not repaired.

                Examples:
                  tradepost stock reconcile --tenant acme
                  tradepost stock reconcile --tenant acme --repair --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Flag(help: "Set drifted counters to the ledger's figures.") var repair = false

        struct Result: Encodable {
            var tenant: String
            var levels: Int
            var movements: Int64
            var drifts: [StockDrift]
            var repaired: Bool
            var seconds: Double
        }

        func run() async throws {
            try await runCommand {
                let quiet = global.json
                let result: Result = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let started = Date()
                    let found = try await store.stock.reconcile(.system(tenant.id, audit: .cli), repair: repair) { scanned, total in
                        if !quiet { FileHandle.standardError.write(Data("\rchecking the ledger: \(scanned)/\(total) rows".utf8)) }
                    }
                    if !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    return Result(tenant: tenant.slug, levels: found.levels, movements: found.movements, drifts: found.drifts,
                                  repaired: found.repaired, seconds: (Date().timeIntervalSince(started) * 100).rounded() / 100)
                }
                if global.json {
                    try Output.json(result)
                } else {
                    print("\(result.tenant): \(result.levels) stock levels, \(result.movements) ledger rows, checked in \(result.seconds) s.")
                    if result.drifts.isEmpty {
                        print("Every counter agrees with the ledger.")
                    } else {
                        Output.table(["PRODUCT", "WAREHOUSE", "COUNTER", "RECORDED", "LEDGER"], result.drifts.map {
                            [$0.productId, $0.warehouseId, $0.counter, String($0.recorded), String($0.ledger)]
                        })
                        print(result.repaired ? "Repaired: the counters now say what the ledger says."
                                              : "Run again with --repair to set them to what the ledger says.")
                    }
                }
                if !result.drifts.isEmpty && !result.repaired { throw ExitCode(1) }
            }
        }
    }
}
