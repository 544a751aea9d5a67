import Foundation
import TradepostCore
import TradepostJobs
import TradepostStore

/// Nightly: adds up each tenant's stock ledger and compares it with the counters, at 02:30 in the
/// tenant's time zone. Drift is reported (a `stock.drift` event and the job's log line), not
/// repaired: a person decides, with `tradepost stock reconcile --repair`.
public struct StockReconcile: JobPayload {
    public static let jobType = "stock.reconcile"
    public init() {}
}

enum StockJobs {
    static func register(_ registry: JobRegistry, store: Store) throws {
        registry.register(StockReconcile.self, queue: "maintenance", maxAttempts: 3, timeout: .seconds(1800), manual: true) { _, context in
            guard let tenant = context.tenant else { throw PermanentJobError("stock reconciliation needs a tenant") }
            let found = try await store.stock.reconcile(.system(tenant), repair: false)
            if !found.drifts.isEmpty {
                context.logger.warning("stock counters differ from the ledger", metadata: [
                    "drifts": "\(found.drifts.count)", "levels": "\(found.levels)", "movements": "\(found.movements)"])
            }
        }
        try registry.schedule("stock-reconcile", cron: "30 2 * * *", zone: .eachTenant, job: StockReconcile.self) { _ in StockReconcile() }
    }
}
