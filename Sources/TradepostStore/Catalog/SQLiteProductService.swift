import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Products, their prices and price history, and moderation, in each tenant's database.
/// Every change appends `product.changed` to the outbox in its own transaction (the search index follows it).
public final class SQLiteProductService: ProductService {
    let tenants: TenantDatabases
    let stats: StoreStats
    static let skuTaken = "A product with this SKU already exists in this business"

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    public func createProduct(_ caller: Caller, businessID: String, _ input: ProductInput) async throws -> Product {
        let tenant = try caller.authorize(.catalogRead)
        let now = Date()
        return try await mapErrors(stats, conflict: Self.skuTaken) {
            try await tenants.write(tenant) { db in
                // Who may, then what: an unauthorised caller learns nothing from validation errors.
                try SQLiteBusinessService.requireBusiness(db, businessID)
                try CallerFacts.read(db, caller).authorize(.productsManage, business: businessID)
                let input = try input.validated(creating: true)
                guard let currency = input.currency else { throw AppError.invalidField("currency", "is required") }
                let money = try input.money(currency: currency)
                let product = try Self.newProduct(db, businessID: businessID, input, currency: currency, money: money, now: now,
                                                  requireReview: try Self.requireReview(db))
                try product.save(db, insert: true)
                if product.stockQuantity > 0 {
                    try StockLedger.setFigure(db, product: product.id, business: businessID, target: product.stockQuantity, audit: caller.audit, now: now)
                }
                try PriceChange.record(db, product: product.id, audit: caller.audit, old: nil, new: product)
                try AuditLog.tenant(db, caller.audit, "product.create", target: product.id, detail: ["sku": product.sku, "business_id": businessID])
                try Outbox.append(db, topic: Topic.productChanged, payload: ProductEvent(productId: product.id, deleted: false))
                return product
            }
        }
    }

    public func product(_ caller: Caller, id: String) async throws -> Product {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            // Most reads are of published products, which everyone in the tenant sees: then the one
            // statement that reads the row decides. Anything else is decided with the caller's facts
            // in one transaction.
            if let product = try await tenants.readOneStatement(tenant, { db in try Product.fetch(db, id: id) }),
               product.status == .published {
                return product
            }
            return try await tenants.read(tenant) { db in try Self.visible(db, caller, id) }
        }
    }

    public func products(_ caller: Caller, _ page: PageRequest, filter: ProductFilter) async throws -> Page<Product> {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                let visibility = try CallerFacts.read(db, caller).productVisibility
                // Identifiers sort by creation time, so `id DESC` is newest first and the cursor is the last id.
                var sql = "SELECT * FROM products WHERE id < ?"
                var args: StatementArguments = [page.after ?? "~"]
                if let business = filter.businessID { sql += " AND business_id = ?"; args += [business] }
                if let status = filter.status { sql += " AND status = ?"; args += [status.rawValue] }
                if let category = filter.categoryID {
                    let subtree = try CategoryTree.load(db).subtree(category)
                    sql += " AND category_id IN (\(databaseQuestionMarks(count: subtree.count)))"
                    args += StatementArguments(subtree)
                }
                if !visibility.all {
                    let own = Array(visibility.ownBusinesses)
                    sql += own.isEmpty ? " AND status = 'published'" : " AND (status = 'published' OR business_id IN (\(databaseQuestionMarks(count: own.count))))"
                    args += StatementArguments(own)
                }
                sql += " ORDER BY id DESC LIMIT ?"
                args += [page.limit + 1]
                return try Product.fetchAll(db, sql: sql, arguments: args)
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func updateProduct(_ caller: Caller, id: String, _ input: ProductInput) async throws -> Product {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats, conflict: Self.skuTaken) {
            try await tenants.write(tenant) { db in
                let before = try Self.manageable(db, caller, id)
                let input = try input.validated(creating: false)
                let money = try input.money(currency: input.currency ?? before.price.currency)
                var p = try Self.merged(db, before, input, money: money, requireReview: try Self.requireReview(db))
                guard p != before else { return before }
                p.updatedAt = Date()
                try p.save(db, insert: false)
                if p.stockQuantity != before.stockQuantity {
                    // The figure is what the warehouses have: setting it is an adjustment in the ledger.
                    try StockLedger.setFigure(db, product: id, business: p.businessId, target: p.stockQuantity, audit: caller.audit, now: p.updatedAt)
                }
                try PriceChange.record(db, product: id, audit: caller.audit, old: before, new: p)
                try AuditLog.tenant(db, caller.audit, "product.update", target: id, detail: ["sku": p.sku, "status": p.status.rawValue])
                try Outbox.append(db, topic: Topic.productChanged, payload: ProductEvent(productId: id, deleted: false))
                return p
            }
        }
    }

    public func deleteProduct(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.catalogRead)
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let product = try Self.manageable(db, caller, id)
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM stock_levels WHERE product_id = ? AND reserved > 0", arguments: [id]) != nil {
                    throw AppError.conflict("Stock of this product is reserved for orders; archive it instead of deleting it")
                }
                // Its levels and their ledger go with it (the audit entry keeps the stock it had).
                try db.execute(sql: "DELETE FROM products WHERE id = ?", arguments: [id])
                try AuditLog.tenant(db, caller.audit, "product.delete", target: id, detail: [
                    "sku": product.sku, "business_id": product.businessId, "stock_quantity": String(product.stockQuantity)])
                try Outbox.append(db, topic: Topic.productChanged, payload: ProductEvent(productId: id, deleted: true))
            }
        }
    }

    public func priceHistory(_ caller: Caller, productID: String, _ page: PageRequest) async throws -> Page<PriceChange> {
        let tenant = try caller.authorize(.catalogRead)
        let after = try page.after.map { value -> Int64 in
            guard let id = Int64(value) else { throw AppError.invalidField("cursor", "is not a valid cursor") }
            return id
        }
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                _ = try Self.visible(db, caller, productID)
                return try Row.fetchAll(db, sql: "SELECT * FROM price_history WHERE product_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                                        arguments: [productID, after ?? Int64.max, page.limit + 1]).map(PriceChange.init(row:))
            }
            return Page(fetched: rows, limit: page.limit) { String($0.id) }
        }
    }

    // MARK: - Permission, decided in the caller's transaction

    /// The product if the caller may see it; `.notFound` otherwise, as if it did not exist.
    /// Memberships are read only when they decide: a published product is everyone's to see.
    static func visible(_ db: Database, _ caller: Caller, _ id: String) throws -> Product {
        guard let product = try Product.fetch(db, id: id) else { throw AppError.notFound("Product") }
        if product.status == .published { return product }
        guard try CallerFacts.read(db, caller).productVisibility.canSee(product) else { throw AppError.notFound("Product") }
        return product
    }

    static func visible(_ db: Database, _ facts: CallerFacts, _ id: String) throws -> Product {
        guard let product = try Product.fetch(db, id: id), facts.productVisibility.canSee(product) else { throw AppError.notFound("Product") }
        return product
    }

    /// The product if the caller may change it: `.notFound` when they may not see it, `.forbidden`
    /// when they see it but are neither a member of its business nor a tenant admin.
    static func manageable(_ db: Database, _ caller: Caller, _ id: String) throws -> Product {
        let facts = try CallerFacts.read(db, caller)
        let product = try visible(db, facts, id)
        try facts.authorize(.productsManage, business: product.businessId)
        return product
    }

    // MARK: - Helpers

    /// A new product from validated input; create and import share it.
    static func newProduct(
        _ db: Database, businessID: String, _ input: ProductInput, currency: String, money: (price: Money?, tiers: [PriceTier]?),
        now: Date, requireReview: Bool, id: String? = nil
    ) throws -> Product {
        var product = Product(
            id: id ?? Identifier.make(now: now), businessId: businessID, sku: input.sku!, name: input.name!, brand: input.brand ?? nil,
            manufacturer: input.manufacturer ?? nil, categoryId: input.categoryId ?? nil, description: input.description ?? nil,
            attributes: input.attributes ?? [:], unit: input.unit ?? "pcs", packSize: input.packSize ?? 1,
            minOrderQuantity: input.minOrderQuantity ?? 1, orderMultiple: input.orderMultiple ?? 1, price: money.price!,
            tiers: money.tiers ?? [], stockQuantity: input.stockQuantity ?? 0, availability: .inStock, status: .draft,
            rejectionReason: nil, priority: input.priority ?? 0, taxRate: input.taxRate.flatMap(TaxRate.parse) ?? .zero, createdAt: now, updatedAt: now)
        product.availability = input.availability ?? (product.stockQuantity > 0 ? .inStock : .outOfStock)
        try requireCategory(db, product.categoryId)
        if let status = input.status { product.status = status == .published && requireReview ? .pendingReview : status }
        return product
    }

    /// `before` with the input's present fields applied (not yet saved); update and import share it.
    static func merged(
        _ db: Database, _ before: Product, _ input: ProductInput, money: (price: Money?, tiers: [PriceTier]?), requireReview: Bool
    ) throws -> Product {
        var p = before
        if let v = input.sku { p.sku = v }
        if let v = input.name { p.name = v }
        if let v = input.brand { p.brand = v }
        if let v = input.manufacturer { p.manufacturer = v }
        if let v = input.categoryId { p.categoryId = v }
        if let v = input.description { p.description = v }
        if let v = input.attributes { p.attributes = v }
        if let v = input.unit { p.unit = v }
        if let v = input.packSize { p.packSize = v }
        if let v = input.minOrderQuantity { p.minOrderQuantity = v }
        if let v = input.orderMultiple { p.orderMultiple = v }
        if let currency = input.currency, currency != p.price.currency {
            // A new currency needs new prices: the old amounts mean nothing in it.
            guard money.price != nil else { throw AppError.invalidField("price", "is required when the currency changes") }
            p.price.currency = currency
            p.tiers = p.tiers.map { PriceTier(minQuantity: $0.minQuantity, price: Money(minor: $0.price.minor, currency: currency)) }
        }
        if let v = money.price { p.price = v }
        if let v = money.tiers { p.tiers = v }
        if let v = input.stockQuantity {
            p.stockQuantity = v
            if input.availability == nil && p.availability != .onRequest { p.availability = v > 0 ? .inStock : .outOfStock }
        }
        if let v = input.availability { p.availability = v }
        if let v = input.priority { p.priority = v }
        if let v = input.taxRate.flatMap(TaxRate.parse) { p.taxRate = v }
        if p.categoryId != before.categoryId { try requireCategory(db, p.categoryId) }
        if let status = input.status {
            p.status = status == .published && requireReview && !(before.status == .published && !p.contentDiffers(from: before))
                ? .pendingReview : status
        } else if p.status == .published, requireReview, p.contentDiffers(from: before) {
            p.status = .pendingReview
        }
        if p.status != .rejected { p.rejectionReason = nil }
        return p
    }

    static func requireCategory(_ db: Database, _ id: String?) throws {
        guard let id else { return }
        guard try CategoryTree.exists(db, id) else { throw AppError.invalidField("category_id", "is not a category of this tenant") }
    }

    /// What a requested status becomes: "published" waits for review when the tenant asks for it.
    static func requested(_ db: Database, _ status: ProductStatus) throws -> ProductStatus {
        if status == .published, try requireReview(db) { return .pendingReview }
        return status
    }

    static func requireReview(_ db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = 'catalog.require_review'") == "true"
    }
}

extension Product {
    /// Whether what a reviewer approved changed (prices, stock and priority do not need a new review).
    func contentDiffers(from other: Product) -> Bool {
        sku != other.sku || name != other.name || brand != other.brand || manufacturer != other.manufacturer
            || categoryId != other.categoryId || description != other.description || attributes != other.attributes
    }
}

/// Effective prices: the minimum order, the multiple and the best tier for the quantity.
public enum Pricing {
    public static func effective(_ product: Product, quantity: Int64) throws -> EffectivePrice {
        guard quantity >= product.minOrderQuantity else {
            throw AppError.invalidField("quantity", "must be at least the minimum order of \(product.minOrderQuantity)")
        }
        guard quantity % product.orderMultiple == 0 else {
            throw AppError.invalidField("quantity", "must be a multiple of \(product.orderMultiple)")
        }
        let tier = product.tiers.last { $0.minQuantity <= quantity }
        let unit = tier?.price ?? product.price
        guard let total = unit.times(quantity) else { throw AppError.invalidField("quantity", "is too large") }
        return EffectivePrice(productId: product.id, quantity: quantity, unitPrice: unit, total: total,
                              tierMinQuantity: tier?.minQuantity, priceListId: nil)
    }
}
