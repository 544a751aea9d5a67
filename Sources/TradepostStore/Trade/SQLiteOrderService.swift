import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Carts and orders in each tenant's database. Each method is one transaction that reads the
/// caller's memberships and asks `Policy` inside it; stock moves through `StockLedger` in the same
/// transaction as the order change that causes it.
public final class SQLiteOrderService: OrderService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    /// Today in UTC, as price lists' validity dates are written.
    static func today(_ now: Date) -> String {
        // Civil date from days since 1970 (Howard Hinnant's algorithm): a formatter costs more than the order's pricing.
        let z = Int((now.timeIntervalSince1970 / 86_400).rounded(.down)) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// `.notFound` when there is no such business, `.forbidden` when the caller may not `action` for it.
    static func authorize(_ db: Database, _ caller: Caller, _ action: Action, business: String) throws -> CallerFacts {
        try SQLiteBusinessService.requireBusiness(db, business)
        let facts = try CallerFacts.read(db, caller)
        try facts.authorize(action, business: business)
        return facts
    }

    // MARK: - Carts

    public func carts(_ caller: Caller, buyerBusinessID: String) async throws -> [Cart] {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try Self.authorize(db, caller, .ordersPlace, business: buyerBusinessID)
                return try Self.carts(db, user: caller.principal.userID, buyer: buyerBusinessID, seller: nil, now: now)
            }
        }
    }

    public func setCartLine(_ caller: Caller, buyerBusinessID: String, productID: String, quantity: Int64) async throws -> Cart {
        let tenant = try caller.tenant()
        let now = Date()
        guard (0...StockMovementInput.maxQuantity).contains(quantity) else { throw AppError.invalidField("quantity", "must be from 0 to 10^12") }
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let facts = try Self.authorize(db, caller, .ordersPlace, business: buyerBusinessID)
                let product = try SQLiteProductService.visible(db, facts, productID)
                guard product.businessId != buyerBusinessID else { throw AppError.invalidField("product_id", "is the buyer's own product") }
                try Self.setLine(db, user: caller.principal.userID, buyer: buyerBusinessID, product: product, quantity: quantity, adding: false, now: now)
                return try Self.carts(db, user: caller.principal.userID, buyer: buyerBusinessID, seller: product.businessId, now: now).first
                    ?? Self.emptyCart(db, buyer: buyerBusinessID, seller: product.businessId)
            }
        }
    }

    public func quickOrder(_ caller: Caller, buyerBusinessID: String, text: String, idempotency: IdempotencyKey?) async throws -> QuickOrderResult {
        let tenant = try caller.tenant()
        let now = Date()
        guard text.utf8.count <= 1_000_000 else { throw AppError.invalidField("text", "must be at most 1 MB") }
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let facts = try Self.authorize(db, caller, .ordersPlace, business: buyerBusinessID)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    var (rows, issues) = QuickOrderResult.parse(text)
                    guard rows.count <= 1000 else { throw AppError.invalidField("text", "may hold at most 1000 lines") }
                    var added = 0
                    for row in rows {
                        // The SKU among products the caller can see and buy (not the buyer's own); the first by seller when several sell it.
                        let candidates = try Product.fetchAll(db, sql: "SELECT * FROM products WHERE sku = ? COLLATE NOCASE AND business_id <> ? ORDER BY business_id",
                                                              arguments: [row.sku, buyerBusinessID])
                            .filter { facts.productVisibility.canSee($0) && $0.status == .published }
                        guard let product = candidates.first else {
                            issues.append(.init(line: row.line, text: "\(row.sku) \(row.quantity)", message: "no product with this SKU is sold to you"))
                            continue
                        }
                        try Self.setLine(db, user: caller.principal.userID, buyer: buyerBusinessID, product: product, quantity: row.quantity, adding: true, now: now)
                        added += 1
                    }
                    issues.sort { $0.line < $1.line }
                    return QuickOrderResult(added: added, issues: issues,
                                            carts: try Self.carts(db, user: caller.principal.userID, buyer: buyerBusinessID, seller: nil, now: now))
                }
            }
        }
    }

    public func reorder(_ caller: Caller, orderID: String, idempotency: IdempotencyKey?) async throws -> Cart {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let (order, facts) = try Self.visibleOrder(db, caller, orderID)
                try facts.authorize(.ordersPlace, business: order.buyerBusinessId)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    for line in order.lines ?? [] {
                        guard let product = try Product.fetch(db, id: line.productId), product.status == .published else { continue }
                        try Self.setLine(db, user: caller.principal.userID, buyer: order.buyerBusinessId, product: product, quantity: line.quantity,
                                         adding: true, now: now)
                    }
                    return try Self.carts(db, user: caller.principal.userID, buyer: order.buyerBusinessId, seller: order.sellerBusinessId, now: now).first
                        ?? Self.emptyCart(db, buyer: order.buyerBusinessId, seller: order.sellerBusinessId)
                }
            }
        }
    }

    static func setLine(_ db: Database, user: String, buyer: String, product: Product, quantity: Int64, adding: Bool, now: Date) throws {
        if quantity == 0 && !adding {
            try db.execute(sql: "DELETE FROM cart_lines WHERE user_id = ? AND buyer_business_id = ? AND product_id = ?", arguments: [user, buyer, product.id])
            return
        }
        try db.execute(sql: """
            INSERT INTO cart_lines (user_id, buyer_business_id, product_id, seller_business_id, quantity, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id, buyer_business_id, product_id) DO UPDATE SET
                quantity = min(\(StockMovementInput.maxQuantity), CASE WHEN ? THEN quantity + excluded.quantity ELSE excluded.quantity END),
                updated_at = excluded.updated_at
            """, arguments: [user, buyer, product.id, product.businessId, quantity, now, adding])
    }

    static func emptyCart(_ db: Database, buyer: String, seller: String) throws -> Cart {
        Cart(buyerBusinessId: buyer, sellerBusinessId: seller,
             sellerName: try String.fetchOne(db, sql: "SELECT name FROM businesses WHERE id = ?", arguments: [seller]) ?? "", lines: [], total: nil)
    }

    /// The user's carts of `buyer` (one seller's when given), each line priced for the buyer now.
    static func carts(_ db: Database, user: String, buyer: String, seller: String?, now: Date) throws -> [Cart] {
        var sql = """
            SELECT c.product_id, c.quantity, c.seller_business_id, b.name AS seller_name FROM cart_lines c
            JOIN businesses b ON b.id = c.seller_business_id WHERE c.user_id = ? AND c.buyer_business_id = ?
            """
        var args: StatementArguments = [user, buyer]
        if let seller { sql += " AND c.seller_business_id = ?"; args += [seller] }
        let rows = try Row.fetchAll(db, sql: sql + " ORDER BY b.name, c.seller_business_id, c.updated_at, c.product_id", arguments: args)
        var carts: [Cart] = []
        let day = today(now)
        for row in rows {
            let sellerID: String = row["seller_business_id"]
            if carts.last?.sellerBusinessId != sellerID {
                carts.append(Cart(buyerBusinessId: buyer, sellerBusinessId: sellerID, sellerName: row["seller_name"], lines: [], total: nil))
            }
            guard let product = try Product.fetch(db, id: row["product_id"]) else { continue }
            carts[carts.count - 1].lines.append(try cartLine(db, product, quantity: row["quantity"], buyer: buyer, day: day))
        }
        for i in carts.indices {
            let priced = carts[i].lines.filter { $0.problem == nil }.compactMap(\.total)
            if let currency = priced.first?.currency, priced.allSatisfy({ $0.currency == currency }) {
                // Checked: a cart of absurd quantities has no total rather than a wrapped one.
                var sum: Int64? = 0
                for total in priced { sum = sum.flatMap { let (s, o) = $0.addingReportingOverflow(total.minor); return o ? nil : s } }
                carts[i].total = sum.map { Money(minor: $0, currency: currency) }
            }
        }
        return carts
    }

    static func cartLine(_ db: Database, _ product: Product, quantity: Int64, buyer: String, day: String) throws -> CartLine {
        var line = CartLine(productId: product.id, sku: product.sku, name: product.name, quantity: quantity, unitPrice: nil, total: nil,
                            priceSource: nil, priceListId: nil, tierMinQuantity: nil, available: try StockLedger.available(db, product: product.id), problem: nil)
        guard product.status == .published else {
            line.problem = "is no longer sold"
            return line
        }
        do {
            let price = try SQLitePriceListService.price(db, product, quantity: quantity, buyers: [buyer], day: day)
            line.unitPrice = price.unitPrice
            line.total = price.total
            line.priceSource = price.priceListId != nil ? .priceList : price.tierMinQuantity != nil ? .tier : .base
            line.priceListId = price.priceListId
            line.tierMinQuantity = price.tierMinQuantity
        } catch let error as AppError where error.code == .invalid {
            line.problem = error.fields.first?.message ?? error.message
            line.unitPrice = product.price
        }
        return line
    }
}
