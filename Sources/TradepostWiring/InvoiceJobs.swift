import Foundation
import TradepostCore
import TradepostJobs
import TradepostStore

/// Nightly at 03:00 in the tenant's time zone: invoices past their due date with a balance left
/// are flagged overdue, each once, with an `invoice.overdue` event.
public struct InvoicesOverdue: JobPayload {
    public static let jobType = "invoices.overdue"
    public init() {}
}

enum InvoiceJobs {
    static func register(_ registry: JobRegistry, store: Store) throws {
        registry.register(InvoicesOverdue.self, queue: "maintenance", maxAttempts: 3, timeout: .seconds(600), manual: true) { _, context in
            guard let tenant = context.tenant else { throw PermanentJobError("the overdue check needs a tenant") }
            let flagged = try await store.fulfilment.markOverdue(.system(tenant), now: Date())
            if flagged > 0 { context.logger.info("invoices overdue", metadata: ["invoices": "\(flagged)"]) }
        }
        try registry.schedule("invoices-overdue", cron: "0 3 * * *", zone: .eachTenant, job: InvoicesOverdue.self) { _ in InvoicesOverdue() }
    }
}
