import Foundation

public enum SearchSort: String, Sendable, CaseIterable {
    case relevance
    case priceAsc = "price_asc"
    case priceDesc = "price_desc"
    case newest
}

/// A product search: words (the last one may be unfinished), filters, sort and page.
public struct SearchRequest: Sendable {
    public var query: String
    public var categoryID: String?
    public var brand: String?
    public var businessID: String?
    public var businessType: BusinessType?
    public var city: String?
    /// In minor units of `currency` (products in other currencies are left out when set).
    public var priceMin: Int64?
    public var priceMax: Int64?
    public var currency: String?
    public var inStock: Bool
    public var attributes: [String: String]
    public var sort: SearchSort
    public var facets: Bool
    /// Relevance pages are offsets; the cursor is the next offset.
    public var offset: Int
    public var limit: Int
    /// Whether the last word is still being typed (it then matches as a prefix).
    public var prefix: Bool

    public init(query: String, categoryID: String? = nil, brand: String? = nil, businessID: String? = nil, businessType: BusinessType? = nil,
                city: String? = nil, priceMin: Int64? = nil, priceMax: Int64? = nil, currency: String? = nil, inStock: Bool = false,
                attributes: [String: String] = [:], sort: SearchSort = .relevance, facets: Bool = false, offset: Int = 0, limit: Int = 20,
                prefix: Bool = true) {
        self.query = query
        self.categoryID = categoryID
        self.brand = brand
        self.businessID = businessID
        self.businessType = businessType
        self.city = city
        self.priceMin = priceMin
        self.priceMax = priceMax
        self.currency = currency
        self.inStock = inStock
        self.attributes = attributes
        self.sort = sort
        self.facets = facets
        self.offset = offset
        self.limit = limit
        self.prefix = prefix
    }

    /// The deepest a result list goes: relevance pages past it cost more than they are worth.
    public static let maxOffset = 1000
}

public struct SearchHit: Codable, Sendable {
    public var product: Product
    /// `name` and `description` with matched words in `<mark>…</mark>`, the rest HTML-escaped;
    /// the description shortened around its first match.
    public var highlight: [String: String]

    public init(product: Product, highlight: [String: String]) {
        self.product = product
        self.highlight = highlight
    }
}

public struct FacetValue: Codable, Sendable, Equatable {
    public var value: String
    public var label: String?
    public var count: Int

    public init(value: String, label: String? = nil, count: Int) {
        self.value = value
        self.label = label
        self.count = count
    }
}

public struct SearchResult: Codable, Sendable {
    public var items: [SearchHit]
    public var nextCursor: String?
    /// Matches of all the words: exact when `totalExact`, otherwise a lower bound (counting stops at
    /// 10,000); nil when it was not counted (no facets asked and more matches than one ranking window).
    public var total: Int?
    public var totalExact: Bool
    /// brand, category, business, business_type, city, in_stock and `attr.<name>` for each attribute → values by count.
    public var facets: [String: [FacetValue]]?
    public var tookMs: Double

    public init(items: [SearchHit], nextCursor: String?, total: Int?, totalExact: Bool, facets: [String: [FacetValue]]?, tookMs: Double) {
        self.items = items
        self.nextCursor = nextCursor
        self.total = total
        self.totalExact = totalExact
        self.facets = facets
        self.tookMs = tookMs
    }

    /// `next_cursor` and `total` are written as null when absent (the last page; not counted),
    /// as every list writes them, instead of being left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
        try c.encode(total, forKey: .total)
        try c.encode(totalExact, forKey: .totalExact)
        try c.encodeIfPresent(facets, forKey: .facets)
        try c.encode(tookMs, forKey: .tookMs)
    }

    private enum CodingKeys: String, CodingKey { case items, nextCursor, total, totalExact, facets, tookMs }
}

public struct Suggestion: Codable, Sendable, Equatable {
    /// The product name.
    public var text: String
    /// The name with the matched part in `<mark>`.
    public var highlight: String
    public var productId: String

    public init(text: String, highlight: String, productId: String) {
        self.text = text
        self.highlight = highlight
        self.productId = productId
    }
}

/// Synonyms (groups of equivalent words) and stop words of one tenant.
public struct SearchVocabulary: Codable, Sendable, Equatable {
    public var synonyms: [[String]]
    public var stopWords: [String]

    public init(synonyms: [[String]], stopWords: [String]) {
        self.synonyms = synonyms
        self.stopWords = stopWords
    }
}

public protocol SearchService: Sendable {
    /// Published products ranked for the query. Throws `.forbidden`, `.invalid` (bad filter values).
    func search(_ caller: Caller, _ request: SearchRequest) async throws -> SearchResult

    /// Search-as-you-type: product names for what has been typed so far. Throws `.forbidden`.
    func suggest(_ caller: Caller, _ text: String, limit: Int) async throws -> [Suggestion]

    /// The business directory searched by `filter.query` (same analysis, typos and completions as
    /// products), best match first; pages are offsets. Throws `.forbidden`, `.invalid` (query too
    /// long, bad cursor).
    func businesses(_ caller: Caller, _ filter: BusinessFilter, _ page: PageRequest) async throws -> Page<Business>

    /// Throws `.forbidden`.
    func vocabulary(_ caller: Caller) async throws -> SearchVocabulary
    /// Replaces the tenant's synonyms and stop words, audited as the caller. Throws `.forbidden`, `.invalid`.
    func setVocabulary(_ caller: Caller, _ vocabulary: SearchVocabulary) async throws -> SearchVocabulary
}
