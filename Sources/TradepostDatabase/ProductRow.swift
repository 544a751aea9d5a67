import Foundation
import GRDB
import TradepostCore

/// Product ← row, and the JSON columns (tiers, attributes): shared by the store and the search index.
extension Product {
    /// Decodes a row that holds the product's columns under their names (`SELECT *`, `p.*` in a join).
    public init(row: Row) {
        self.init(row: row, at: Columns(named: row.columnNames))
    }

    /// Where each column sits in a row; found once per statement, not by name in every row (a
    /// lookup by name lowercases it and hashes it: two dozen of those were most of decoding).
    public struct Columns: Sendable {
        var id, businessID, sku, name, brand, manufacturer, categoryID, description, attributes, unit, packSize: Int
        var minOrderQuantity, orderMultiple, currency, priceMinor, tiers, stockQuantity, availability, status: Int
        var rejectionReason, priority, taxRate, createdAt, updatedAt: Int

        /// The order of `Product.selectList`.
        public static let selected = Columns(named: names)
        /// How many columns `selectList` has: a column selected after them is at this index.
        public static let count = names.count
        static let names = selectList.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }

        public init<Names: Collection<String>>(named names: Names) {
            var at: [String: Int] = [:]
            for (index, name) in names.enumerated() where at[name.lowercased()] == nil { at[name.lowercased()] = index }
            func index(_ name: String) -> Int { at[name] ?? { preconditionFailure("no column \(name) among \(Array(names))") }() }
            (id, businessID, sku, name, brand, manufacturer) = (index("id"), index("business_id"), index("sku"), index("name"), index("brand"), index("manufacturer"))
            (categoryID, description, attributes, unit, packSize) = (index("category_id"), index("description"), index("attributes"), index("unit"), index("pack_size"))
            (minOrderQuantity, orderMultiple, currency, priceMinor) = (index("min_order_quantity"), index("order_multiple"), index("currency"), index("price_minor"))
            (tiers, stockQuantity, availability, status) = (index("tiers"), index("stock_quantity"), index("availability"), index("status"))
            (rejectionReason, priority, createdAt, updatedAt) = (index("rejection_reason"), index("priority"), index("created_at"), index("updated_at"))
            taxRate = index("tax_rate_bp")
        }
    }

    /// The columns a product is made of, in `Columns.selected`'s order.
    public static let selectList = """
        id, business_id, sku, name, brand, manufacturer, category_id, description, attributes, unit, pack_size, \
        min_order_quantity, order_multiple, currency, price_minor, tiers, stock_quantity, availability, status, \
        rejection_reason, priority, created_at, updated_at, tax_rate_bp
        """

    /// `selectList` with each column qualified by a table name or alias (for a join).
    public static func selectList(table: String) -> String {
        Columns.names.map { "\(table).\($0)" }.joined(separator: ", ")
    }

    public init(row: Row, at c: Columns) {
        // A row of a product's columns always decodes (the schema holds every one NOT NULL or optional).
        try! self.init(reading: row, at: c)
    }

    package init(reading row: some ColumnReader, at c: Columns) throws {
        let currency: String = try row.read(c.currency)
        let tiersJSON: String = try row.read(c.tiers)
        let attributesJSON: String = try row.read(c.attributes)
        let tiers = tiersJSON == "[]" ? [] : Self.fastTiers(tiersJSON)
            ?? (try? Self.decoder.decode([StoredTier].self, from: Data(tiersJSON.utf8))) ?? []
        let attributes = attributesJSON == "{}" ? [:] : Self.fastAttributes(attributesJSON)
            ?? (try? Self.decoder.decode([String: AttributeValue].self, from: Data(attributesJSON.utf8))) ?? [:]
        self.init(
            id: try row.read(c.id), businessId: try row.read(c.businessID), sku: try row.read(c.sku), name: try row.read(c.name),
            brand: try row.read(c.brand), manufacturer: try row.read(c.manufacturer), categoryId: try row.read(c.categoryID),
            description: try row.read(c.description), attributes: attributes, unit: try row.read(c.unit),
            packSize: try row.read(c.packSize), minOrderQuantity: try row.read(c.minOrderQuantity),
            orderMultiple: try row.read(c.orderMultiple), price: Money(minor: try row.read(c.priceMinor), currency: currency),
            tiers: tiers.map { PriceTier(minQuantity: $0.q, price: Money(minor: $0.p, currency: currency)) },
            stockQuantity: try row.read(c.stockQuantity), availability: Availability(rawValue: try row.read(c.availability)) ?? .outOfStock,
            status: ProductStatus(rawValue: try row.read(c.status)) ?? .draft, rejectionReason: try row.read(c.rejectionReason),
            priority: try row.read(c.priority), taxRate: TaxRate(basisPoints: try row.read(c.taxRate)), createdAt: try row.date(c.createdAt),
            updatedAt: try row.date(c.updatedAt))
    }

    /// Compact tier storage: quantity and minor units; the currency is the product's.
    package struct StoredTier: Codable {
        package init(q: Int64, p: Int64) { (self.q, self.p) = (q, p) }
        package var q: Int64
        package var p: Int64
    }

    package static let decoder = JSONDecoder()

    /// Sorted keys: the same attributes always store as the same text.
    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// What the encoder makes of `[StoredTier]` with sorted keys (`[{"p":…,"q":…}]`), written out:
    /// two integers per tier do not need JSONEncoder's generic machinery (3 % of an import).
    package static func tiersJSON(_ tiers: [PriceTier]) -> String {
        "[" + tiers.map { "{\"p\":\($0.price.minor),\"q\":\($0.minQuantity)}" }.joined(separator: ",") + "]"
    }

    /// Products decoded from the statement's own steps (no `Row`s), with the columns' places found
    /// once for the statement.
    public static func fetchAll(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [Product] {
        let statement = try db.makeStatement(sql: sql)
        let columns = Columns(named: statement.columnNames)
        var products: [Product] = []
        try StatementColumns.each(statement, arguments: arguments) { products.append(try Product(reading: $0, at: columns)) }
        return products
    }

    /// One product from a statement that selects `selectList` first (a cached one, made once).
    public static func fetchOne(selected statement: Statement, arguments: StatementArguments) throws -> Product? {
        try StatementColumns.first(statement, arguments: arguments) { try Product(reading: $0, at: .selected) }
    }

    /// One product by a condition, through a cached statement (for lookups made on every request).
    public static func fetchOne(_ db: Database, where condition: String, arguments: StatementArguments) throws -> Product? {
        try fetchOne(selected: try db.cachedStatement(sql: "SELECT \(selectList) FROM products WHERE \(condition)"), arguments: arguments)
    }
}
