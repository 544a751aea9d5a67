import Foundation
import GRDB
import TradepostCore
import TradepostDatabase
import TradepostStore

/// Short tenant reads on one and two threads (issue 20): the quick readers `TenantDatabases` lends
/// against GRDB's own reader pool on the same file, in the same run. Usage: tradepost-bench reads DIR
enum ReadsBench {
    static let count = 100_000

    static func run(dir: String) async throws {
        let store = try await Store(Store.Options(dataDir: dir, hasher: BcryptHasher(cost: 4)))
        let tenant = try await store.tenants.createTenant(.platformSystem(), NewTenant(slug: "probe", name: "Probe"))
        let admin = Caller.system(tenant.id)
        let business = try await store.businesses.createBusiness(admin, BusinessInput(name: "B", type: .wholesaler, city: "Kyiv"))
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status) = ("PARA-500", "Парацетамол 500 мг №20", "UAH", "42.50", .published)
        input.tiers = [.init(minQuantity: 10, price: "40.00")]
        input.attributes = ["strength_mg": .number("500"), "rx": .bool(false)]
        let id = try await store.products.createProduct(admin, businessID: business.id, input).id
        let tid = tenant.id
        let pool = try await store.tenantDatabases.withPool(tid) { $0 }
        let fetch: @Sendable (Database) throws -> Product? = { db in try Product.fetchOne(db, where: "id = ?", arguments: [id]) }
        line("short reads of one tenant, \(count) per row, on 1 and 2 concurrent tasks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
        try await measure("empty read, GRDB's reader pool (unsafeRead)") { _ = try pool.readOneStatementNow { _ in 1 } }
        try await measure("empty read, quick readers") { _ = try await store.tenantDatabases.readOneStatement(tid) { _ in 1 } }
        try await measure("product row, GRDB's reader pool (unsafeRead)") { _ = try pool.readOneStatementNow(fetch) }
        try await measure("product row, quick readers") { _ = try await store.tenantDatabases.readOneStatement(tid, fetch) }
        try await measure("product row in a transaction, GRDB's reader pool (read)") { _ = try pool.readNow(fetch) }
        try await measure("product row in a transaction, quick readers") { _ = try await store.tenantDatabases.read(tid, fetch) }
        try await measure("ProductService.product (caller, permission, row)") { _ = try await store.products.product(admin, id: id) }
        await store.close()
    }

    static func measure(_ label: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        var text = label + ":"
        for tasks in [1, 2] {
            for _ in 0..<1000 { try await body() }
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<tasks { group.addTask { for _ in 0..<(count / tasks) { try await body() } } }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            text += String(format: "  %d task%@ %.0f reads/s (%.2f µs each)", tasks, tasks == 1 ? "" : "s", Double(count) / seconds, seconds / Double(count) * 1e6 * Double(tasks))
        }
        line(text)
    }
}
