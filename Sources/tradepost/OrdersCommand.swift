import ArgumentParser
import Foundation
import TradepostCore
import TradepostStore

struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Look at a tenant's orders.",
        subcommands: [List.self, Show.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Orders a business placed (--side buyer) or received (--side seller), newest first.",
            discussion: """
                Examples:
                  tradepost orders list --tenant acme --business "Farm Opt" --side seller
                  tradepost orders list --tenant acme --business 01J0… --side buyer --state placed --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Option(help: "Business id or exact name.") var business: String
        @Option(help: "buyer or seller.") var side: String = "seller"
        @Option(help: "Only this state (\(OrderState.allCases.map(\.rawValue).joined(separator: ", "))).") var state: String?
        @Option(help: "At most this many (1–200).") var limit = 50

        func run() async throws {
            try await runCommand {
                guard let side = OrderFilter.Side(rawValue: side) else { throw CLIError("--side must be buyer or seller", hint: "for example --side seller") }
                let state = try self.state.map { value -> OrderState in
                    guard let state = OrderState(rawValue: value) else {
                        throw CLIError("--state must be one of \(OrderState.allCases.map(\.rawValue).joined(separator: ", "))", hint: "for example --state placed")
                    }
                    return state
                }
                guard (1...200).contains(limit) else { throw CLIError("--limit must be from 1 to 200", hint: "for example --limit 20") }
                let orders = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    let businessID = try await resolveBusiness(store, tenant.id, business)
                    return try await store.orders.orders(.system(tenant.id, audit: .cli), OrderFilter(side: side, businessID: businessID, state: state),
                                                         PageRequest(limit: limit)).items
                }
                if global.json { return try Output.json(orders) }
                Output.table(["NUMBER", "STATE", side == .seller ? "BUYER" : "SELLER", "GROSS", "PLACED"], orders.map {
                    [$0.number, $0.state.rawValue, side == .seller ? $0.buyerName : $0.sellerName, "\($0.gross.decimal) \($0.gross.currency)",
                     ISO8601DateFormatter().string(from: $0.placedAt)]
                })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One order with its lines, taxes and history.",
            discussion: """
                Examples:
                  tradepost orders show --tenant acme FARM-2026-000123
                  tradepost orders show --tenant acme 01J0… --json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Tenant slug or id.") var tenant: String
        @Argument(help: "The order's number or id.") var order: String

        func run() async throws {
            try await runCommand {
                let order = try await global.withStore { store in
                    let tenant = try await resolveTenant(store, self.tenant)
                    return try await store.orders.order(.system(tenant.id, audit: .cli), id: self.order)
                }
                if global.json { return try Output.json(order) }
                print("\(order.number)  \(order.state.rawValue)  \(order.buyerName) → \(order.sellerName)")
                Output.table(["#", "SKU", "NAME", "QTY", "UNIT", "TAX", "NET", "GROSS", "RESERVED", "BACKORDERED", "SHIPPED"], (order.lines ?? []).map {
                    [String($0.lineNo), $0.sku, $0.name, String($0.quantity), $0.unitPrice.decimal, "\($0.taxRate.percent)%", $0.net.decimal,
                     $0.gross.decimal, String($0.reserved), String($0.backordered), String($0.shipped)]
                })
                for tax in order.taxes { print("tax \(tax.rate.percent)%: \(tax.tax.decimal) on \(tax.net.decimal)") }
                print("net \(order.net.decimal), tax \(order.tax.decimal), gross \(order.gross.decimal) \(order.currency)")
                for step in order.history ?? [] {
                    print("\(ISO8601DateFormatter().string(from: step.at))  \(step.from?.rawValue ?? "—") → \(step.to.rawValue)  \(step.actorLabel ?? step.actor)\(step.note.map { "  (\($0))" } ?? "")")
                }
            }
        }
    }
}
