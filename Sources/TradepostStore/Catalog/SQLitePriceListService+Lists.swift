import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

extension SQLitePriceListService {
    public func createPriceList(_ caller: Caller, sellerBusinessID: String, _ input: PriceListInput) async throws -> PriceList {
        let tenant = try caller.authorize(.catalogRead)
        let now = Date()
        let id = Identifier.make(now: now)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try CallerFacts.requireCatalogManager(db, caller, business: sellerBusinessID)
                let input = try input.validated(creating: true)
                if let buyer = input.buyerBusinessId, try Bool.fetchOne(db, sql: "SELECT 1 FROM businesses WHERE id = ?", arguments: [buyer]) == nil {
                    throw AppError.invalidField("buyer_business_id", "is not a business of this tenant")
                }
                if let group = input.buyerGroupId, try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM buyer_groups WHERE id = ? AND seller_business_id = ?", arguments: [group, sellerBusinessID]) == nil {
                    throw AppError.invalidField("buyer_group_id", "is not a buyer group of this business")
                }
                try db.execute(sql: """
                    INSERT INTO price_lists (id, seller_business_id, name, buyer_business_id, buyer_group_id, valid_from, valid_to, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, sellerBusinessID, input.name, input.buyerBusinessId, input.buyerGroupId,
                                     input.validFrom ?? nil, input.validTo ?? nil, now, now])
                try Self.setItems(db, id, sellerBusinessID, input.items ?? [])
                try AuditLog.tenant(db, caller.audit, "price_list.create", target: id, detail: ["name": input.name!])
                return try Self.fetchList(db, id, items: true)!
            }
        }
    }

    public func priceLists(_ caller: Caller, sellerBusinessID: String) async throws -> [PriceList] {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                try CallerFacts.requireCatalogManager(db, caller, business: sellerBusinessID)
                return try String.fetchAll(db, sql: "SELECT id FROM price_lists WHERE seller_business_id = ? ORDER BY name, id",
                                           arguments: [sellerBusinessID]).compactMap { try Self.fetchList(db, $0, items: false) }
            }
        }
    }

    public func priceList(_ caller: Caller, id: String) async throws -> PriceList {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                guard let list = try Self.fetchList(db, id, items: true) else { throw AppError.notFound("Price list") }
                let facts = try CallerFacts.read(db, caller)
                if (try? facts.authorize(.productsManage, business: list.sellerBusinessId)) != nil { return list }
                // A buyer's member sees the list when it is made for one of their businesses.
                let mine = facts.memberships.keys
                guard !mine.isEmpty, try Self.listIDs(db, buyers: Array(mine)).contains(id) else { throw AppError.notFound("Price list") }
                return list
            }
        }
    }

    public func updatePriceList(_ caller: Caller, id: String, _ input: PriceListInput) async throws -> PriceList {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let list = try Self.managedList(db, caller, id)
                let input = try input.validated(creating: false)
                let from = input.validFrom ?? list.validFrom, to = input.validTo ?? list.validTo
                if let from, let to, from > to { throw AppError.invalidField("valid_to", "must not be before valid_from") }
                try db.execute(sql: "UPDATE price_lists SET name = ?, valid_from = ?, valid_to = ?, updated_at = ? WHERE id = ?",
                               arguments: [input.name ?? list.name, from, to, Date(), id])
                if let items = input.items { try Self.setItems(db, id, list.sellerBusinessId, items) }
                try AuditLog.tenant(db, caller.audit, "price_list.update", target: id)
                return try Self.fetchList(db, id, items: true)!
            }
        }
    }

    public func deletePriceList(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.catalogRead)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try Self.managedList(db, caller, id)
                try db.execute(sql: "DELETE FROM price_lists WHERE id = ?", arguments: [id])
                try AuditLog.tenant(db, caller.audit, "price_list.delete", target: id)
            }
        }
    }

    public func myPriceLists(_ caller: Caller) async throws -> [PriceList] {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let mine = try CallerFacts.read(db, caller).memberships.keys.sorted()
                guard !mine.isEmpty else { return [] }
                return try Self.listIDs(db, buyers: mine).compactMap { try Self.fetchList(db, $0, items: true) }
            }
        }
    }

    public func effectivePrice(_ caller: Caller, productID: String, quantity: Int64, buyer: String?, day: String) async throws -> EffectivePrice {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                let facts = try CallerFacts.read(db, caller)
                let product = try SQLiteProductService.visible(db, facts, productID)
                var buyers = facts.memberships.keys.sorted()
                if let buyer {
                    // Someone's contract price is theirs to see, their seller's and the tenant admins'; nobody else's.
                    guard facts.memberships[buyer] != nil || facts.memberships[product.businessId] != nil || facts.seesAll else {
                        throw AppError.notFound("Business")
                    }
                    buyers = [buyer]
                }
                return try Self.price(db, product, quantity: quantity, buyers: buyers, day: day)
            }
        }
    }

    /// What `buyers` pay for `quantity` of `product` on `day`: the lowest of its tier price and their
    /// valid lists' prices, inside the caller's transaction (the cart and order placement use it).
    /// Throws `.invalid` (minimum order, multiple).
    static func price(_ db: Database, _ product: Product, quantity: Int64, buyers: [String], day: String) throws -> EffectivePrice {
        var price = try Pricing.effective(product, quantity: quantity)
        guard !buyers.isEmpty else { return price }
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT pl.id, i.price_minor FROM price_list_items i JOIN price_lists pl ON pl.id = i.price_list_id
            WHERE i.product_id = ? AND i.currency = ? AND pl.seller_business_id = ?
              AND (pl.valid_from IS NULL OR pl.valid_from <= ?) AND (pl.valid_to IS NULL OR pl.valid_to >= ?)
              AND \(Self.forBuyers(buyers.count, table: "pl"))
            ORDER BY i.price_minor, pl.id LIMIT 1
            """), arguments: StatementArguments([product.id, product.price.currency, product.businessId, day, day] + buyers + buyers))
        // The buyer pays the lower of their list price and what tiers give anyone for this quantity.
        if let row, (row["price_minor"] as Int64) < price.unitPrice.minor {
            let unit = Money(minor: row["price_minor"], currency: product.price.currency)
            guard let total = unit.times(quantity) else { throw AppError.invalidField("quantity", "is too large") }
            price = EffectivePrice(productId: product.id, quantity: quantity, unitPrice: unit, total: total, tierMinQuantity: nil,
                                   priceListId: row["id"])
        }
        return price
    }

    // MARK: - Helpers

    /// The lists made for any of `buyers` (directly or through a group), by name.
    static func listIDs(_ db: Database, buyers: [String]) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM price_lists WHERE \(forBuyers(buyers.count)) ORDER BY name, id",
                            arguments: StatementArguments(buyers + buyers))
    }

    /// A list of a seller the caller may manage; `.notFound` otherwise.
    static func managedList(_ db: Database, _ caller: Caller, _ id: String) throws -> PriceList {
        guard let list = try fetchList(db, id, items: false), try CallerFacts.mayManageCatalog(db, caller, business: list.sellerBusinessId) else {
            throw AppError.notFound("Price list")
        }
        return list
    }

    /// Lists for any of `count` buyers, directly or through a group; bind the buyer ids twice.
    static func forBuyers(_ count: Int, table: String = "price_lists") -> String {
        let marks = databaseQuestionMarks(count: count)
        return "(\(table).buyer_business_id IN (\(marks)) OR \(table).buyer_group_id IN "
            + "(SELECT group_id FROM buyer_group_members WHERE buyer_business_id IN (\(marks))))"
    }

    /// Replaces the items; each product must be the seller's and each price exact in its currency.
    static func setItems(_ db: Database, _ list: String, _ seller: String, _ items: [PriceListInput.Item]) throws {
        try db.execute(sql: "DELETE FROM price_list_items WHERE price_list_id = ?", arguments: [list])
        var v = Validator()
        let byID = try db.cachedStatement(sql: "SELECT id, currency FROM products WHERE id = ? AND business_id = ?")
        let bySKU = try db.cachedStatement(sql: "SELECT id, currency FROM products WHERE sku = ? AND business_id = ?")
        let insert = try db.cachedStatement(sql: """
            INSERT INTO price_list_items (price_list_id, product_id, currency, price_minor) VALUES (?, ?, ?, ?)
            ON CONFLICT (price_list_id, product_id) DO UPDATE SET price_minor = excluded.price_minor
            """)
        for (i, item) in items.enumerated() {
            let row = if let id = item.productId { try Row.fetchOne(byID, arguments: [id, seller]) } else {
                try Row.fetchOne(bySKU, arguments: [item.sku!, seller])
            }
            guard let row else { v.fail("items[\(i)]", "is not a product of this business"); continue }
            let currency: String = row["currency"]
            guard let money = Money.parse(item.price, currency: currency) else {
                v.fail("items[\(i)].price", "must be a decimal amount in \(currency), like \"11.90\"")
                continue
            }
            try insert.execute(arguments: [list, row["id"] as String, currency, money.minor])
        }
        try v.check()
    }

    static func fetchList(_ db: Database, _ id: String, items: Bool) throws -> PriceList? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT pl.*, (SELECT count(*) FROM price_list_items WHERE price_list_id = pl.id) AS item_count FROM price_lists pl WHERE id = ?
            """, arguments: [id]) else { return nil }
        let list = items ? try Row.fetchAll(db, sql: """
            SELECT i.product_id, p.sku, i.currency, i.price_minor FROM price_list_items i JOIN products p ON p.id = i.product_id
            WHERE i.price_list_id = ? ORDER BY p.sku
            """, arguments: [id]).map {
                PriceList.Item(productId: $0["product_id"], sku: $0["sku"], price: Money(minor: $0["price_minor"], currency: $0["currency"]))
            } : nil
        return PriceList(
            id: row["id"], sellerBusinessId: row["seller_business_id"], name: row["name"], buyerBusinessId: row["buyer_business_id"],
            buyerGroupId: row["buyer_group_id"], validFrom: row["valid_from"], validTo: row["valid_to"], itemCount: row["item_count"],
            items: list, createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
