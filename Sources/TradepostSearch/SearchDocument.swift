import Foundation
import GRDB
import TradepostCore

/// A published product as the index stores it: analyzed text per field (name > codes > extra > body)
/// and filter tags, plus the plain values facets and sorting read.
struct SearchDocument {
    var productID: String
    var name: String
    /// Brand, manufacturer, SKU (its parts and the whole code).
    var codes: String
    /// Category path and attribute values.
    var extra: String
    var body: String
    var tags: String
    /// The product's attributes as `key=value` pairs (values as shown), separated by U+001F, for
    /// attribute facets; nil without attributes (most catalogs), which costs one byte a row.
    var attributes: String?
    var brand: String?
    var categoryID: String?
    var businessID: String
    var inStock: Bool
    var currency: String
    var priceMinor: Int64
    var createdAt: Date
    var priority: Int

    /// Filter tags are terms no word analyzes to: "zz", a kind letter, then a name or a hash. Ids are
    /// hashed too: 13 characters instead of 26, on every document, for its business and each category
    /// of its lineage (64 bits: no two of a tenant's values share a hash in practice).
    enum Tag {
        static func business(_ id: String) -> String { "zzb" + hash(id.lowercased()) }
        static func category(_ id: String) -> String { "zzc" + hash(id.lowercased()) }
        static func businessType(_ type: String) -> String { "zzt" + type }
        static func brand(_ brand: String) -> String { "zzr" + hash(Analyzer.code(brand)) }
        static func city(_ city: String) -> String { "zzy" + hash(Analyzer.code(city)) }
        static func attribute(_ key: String, _ value: String) -> String { "zza" + hash(Analyzer.code(key) + "=" + Analyzer.code(value)) }
        static let inStock = "zzs1"

        /// FNV-1a, 64 bits, base 36: stable across runs and platforms (Swift's own Hasher is seeded per process).
        static func hash(_ text: String) -> String {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 {
                h ^= UInt64(byte)
                h = h &* 0x100_0000_01b3
            }
            return String(h, radix: 36)
        }
    }

    static let tagPrefix = "zz"
    static let attributeSeparator = "\u{1F}"

    struct Context {
        var businessType: String
        var city: String
        /// The product's category and its ancestors, nearest first, with names.
        var lineage: [(id: String, name: String)]
    }

    init(_ product: Product, _ context: Context, memo: inout TermMemo) {
        productID = product.id
        name = Analyzer.indexText(product.name, memo: &memo)
        var codes = Analyzer.indexText([product.brand, product.manufacturer, product.sku].compactMap { $0 }.joined(separator: " "), memo: &memo)
        let whole = Analyzer.code(product.sku)
        if !whole.isEmpty && !codes.utf8.split(separator: UInt8(ascii: " ")).contains(where: { $0.elementsEqual(whole.utf8) }) {
            codes += codes.isEmpty ? whole : " " + whole
        }
        self.codes = codes
        let attributeText = product.attributes.keys.sorted().map { product.attributes[$0]!.display }
        extra = Analyzer.indexText((context.lineage.map(\.name) + attributeText).joined(separator: " "), memo: &memo)
        body = Analyzer.indexText(product.description ?? "", memo: &memo)
        var tags = [Tag.business(product.businessId), Tag.businessType(context.businessType), Tag.city(context.city)]
        tags += context.lineage.map { Tag.category($0.id) }
        if let brand = product.brand { tags.append(Tag.brand(brand)) }
        for (key, value) in product.attributes { tags.append(Tag.attribute(key, value.display)) }
        let inStock = product.availability == .inStock && product.stockQuantity > 0 || product.availability == .onRequest
        if inStock { tags.append(Tag.inStock) }
        self.tags = tags.joined(separator: " ")
        attributes = product.attributes.isEmpty ? nil
            : product.attributes.keys.sorted().map { "\($0)=\(product.attributes[$0]!.display)" }.joined(separator: Self.attributeSeparator)
        brand = product.brand
        categoryID = product.categoryId
        businessID = product.businessId
        self.inStock = inStock
        currency = product.price.currency
        priceMinor = product.price.minor
        createdAt = product.createdAt
        priority = product.priority
    }

    /// Higher priority → smaller docid, so docid order is best-first. 2^40 sequence numbers per level.
    static func docid(priority: Int, sequence: Int64) -> Int64 {
        level(priority: priority) << 40 | (sequence & ((1 << 40) - 1))
    }

    /// A docid's top part: 0 for priority 1000 (or more), 1000 for priority 0 (or less).
    static func level(priority: Int) -> Int64 {
        Int64(1000 - max(0, min(1000, priority)))
    }

    var columns: StatementArguments {
        [name, codes, extra, body, tags]
    }
}
