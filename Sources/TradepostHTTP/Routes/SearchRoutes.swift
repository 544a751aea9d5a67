import Foundation
import Hummingbird
import TradepostCore

/// Product search, search-as-you-type suggestions, and the tenant's synonyms and stop words.
struct SearchRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("search/products", use: search)
        api.get("search/suggest", use: suggest)
        api.get("search/vocabulary", use: vocabulary)
        api.put("search/vocabulary", use: setVocabulary)
    }

    struct VocabularyBody: APIRequestBody {
        var synonyms: [[String]]
        var stopWords: [String]
        enum CodingKeys: String, CodingKey, CaseIterable {
            case synonyms
            case stopWords = "stop_words"
        }
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SearchResult> {
        let q = request.uri.queryParameters
        let currency = q.get("currency")?.uppercased()
        func price(_ name: String) throws -> Int64? {
            guard let text = q.get(name) else { return nil }
            guard let money = Money.parse(text, currency: currency ?? "XXX") else { throw AppError.invalidField(name, "must be an amount like 12.50") }
            return money.minor
        }
        var attributes: [String: String] = [:]
        for (key, value) in q where key.hasPrefix("attr.") { attributes[String(key.dropFirst(5))] = String(value) }
        let offset = try request.query("cursor", { $0.hasPrefix("o") ? Int($0.dropFirst()) : nil }, expected: "a cursor from a previous page") ?? 0
        let search = SearchRequest(
            query: q.get("q") ?? "", categoryID: q.get("category_id"), brand: q.get("brand"), businessID: q.get("business_id"),
            businessType: try request.query("business_type", BusinessType.init(rawValue:), expected: "one of \(BusinessType.choices)"),
            city: q.get("city"), priceMin: try price("price_min"), priceMax: try price("price_max"), currency: currency,
            inStock: try request.query("in_stock", Bool.init, expected: "true or false") ?? false, attributes: attributes,
            sort: try request.query("sort", SearchSort.init(rawValue:), expected: "one of \(SearchSort.choices)") ?? .relevance,
            facets: try request.query("facets", Bool.init, expected: "true or false") ?? false, offset: offset,
            limit: try request.query("limit", Int.init, expected: "a number from 1 to 100") ?? 20,
            prefix: try request.query("prefix", Bool.init, expected: "true or false") ?? true)
        return APIResponse(try await services.search.search(try context.caller(), search))
    }

    @Sendable func suggest(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Suggestion>> {
        let text = request.uri.queryParameters.get("q") ?? ""
        guard text.count <= 100 else { throw AppError.invalidField("q", "must be at most 100 characters") }
        let limit = try request.query("limit", { Int($0).flatMap { (1...20).contains($0) ? $0 : nil } }, expected: "a number from 1 to 20") ?? 8
        return APIResponse(ListResponse(items: try await services.search.suggest(try context.caller(), text, limit: limit)))
    }

    @Sendable func vocabulary(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SearchVocabulary> {
        APIResponse(try await services.search.vocabulary(try context.caller()))
    }

    @Sendable func setVocabulary(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SearchVocabulary> {
        let caller = try context.caller()
        let body = try await request.decode(VocabularyBody.self, limit: maxBody)
        return APIResponse(try await services.search.setVocabulary(caller, SearchVocabulary(synonyms: body.synonyms, stopWords: body.stopWords)))
    }
}
