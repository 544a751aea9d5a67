import Foundation
import Logging
import Testing
import TradepostCore
@testable import TradepostHTTP
import TradepostJobs
import TradepostSearch
import TradepostWiring
import TradepostTestSupport

@Suite("OpenAPI document")
struct OpenAPIParityTests {
    /// Every route the router serves is documented, and every documented operation is served.
    /// The web app's own paths (index.html, assets) are not part of the API.
    @Test func documentAndRouterAgree() async throws {
        let store = try await makeStore(prefix: "tp-http")
        defer { Task { await store.close(); try? FileManager.default.removeItem(atPath: store.dataDir) } }
        var config = TradepostConfig()
        config.dataDir = store.dataDir
        let jobs = try SQLiteJobService.standalone(host: JobsHost(store: store), registry: JobRegistry(), logger: Logger(label: "test"))
        defer { jobs.close() }
        let parts = buildRouter(config: config, store: store, services: AppServices(store: store, jobs: jobs, search: SearchEngine(tenants: store.tenantDatabases)), metrics: AppMetrics(),
                                hub: LiveHub { try await jobs.stats(scope: $0) })
        let served = Set((parts.router.routes + parts.webSocketRouter.routes).compactMap { route -> String? in
            let path = route.path.description
            if WebRoutes.patterns.contains(path) || route.method == .head { return nil }
            let normalized = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue) /\(normalized)"
        })
        let documented = Set(Operations.all.map { "\($0.method.uppercased()) \($0.path)" })
        #expect(served.subtracting(documented).sorted() == [], "routes missing from the OpenAPI document")
        #expect(documented.subtracting(served).sorted() == [], "documented operations with no route")
        // The request checks find every API route by the endpoint path the router reports.
        let checks = DocumentedRequestMiddleware(operations: Operations.all, components: Components.schemas, maxBody: 1024)
        let unchecked = parts.router.routes.filter { $0.path.description.hasPrefix("/api/v1/") && $0.method != .head }
            .filter { checks.rules[$0.path.description]?[$0.method.rawValue] == nil }.map { "\($0.method) \($0.path)" }
        #expect(unchecked == [], "API routes the document's request checks would not find")
    }

    @Test func documentIsWellFormed() throws {
        let data = Data(OpenAPIDocument.build(version: "test").serialized())
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        // Every $ref points at a schema that exists.
        let text = String(decoding: data, as: UTF8.self)
        let refs = text.matches(of: /"\$ref":"#\/components\/schemas\/(\w+)"/).map { String($0.output.1) }
        #expect(!refs.isEmpty)
        for ref in Set(refs) { #expect(schemas[ref] != nil, "missing schema \(ref)") }
        // Operation ids are unique.
        let ids = Operations.all.map(\.id)
        #expect(Set(ids).count == ids.count)
    }
}

@Suite("Request checks from the document")
struct SchemaValidatorTests {
    let validator = SchemaValidator(components: Components.schemas)

    /// What `SchemaValidator` understands; a keyword outside it would be a rule the server ignores.
    static let known: Set<String> = [
        "type", "enum", "const", "minLength", "maxLength", "pattern", "minimum", "maximum", "properties", "required",
        "additionalProperties", "maxProperties", "dependentRequired", "items", "minItems", "maxItems", "anyOf", "oneOf", "not",
        "$ref", "format", "description", "examples",
    ]

    func unknownKeywords(_ schema: JSONValue, at path: String) -> [String] {
        guard case .object(let pairs) = schema else { return [] }
        var found = pairs.map(\.0).filter { !Self.known.contains($0) }.map { "\(path): \($0)" }
        for (key, value) in pairs {
            switch key {
            case "properties":
                if case .object(let properties) = value { for (name, child) in properties { found += unknownKeywords(child, at: "\(path).\(name)") } }
            case "items", "not": found += unknownKeywords(value, at: "\(path).\(key)")
            case "additionalProperties": found += unknownKeywords(value, at: "\(path).*")
            case "anyOf", "oneOf":
                if case .array(let options) = value { for option in options { found += unknownKeywords(option, at: "\(path).\(key)") } }
            default: break
            }
        }
        return found
    }

    @Test func theDocumentUsesOnlyKeywordsTheValidatorEnforces() {
        var found: [String] = []
        for (name, schema) in Components.schemas { found += unknownKeywords(schema, at: name) }
        for op in Operations.all {
            for parameter in op.query { found += unknownKeywords(parameter.schema, at: "\(op.id)?\(parameter.name)") }
        }
        #expect(found == [])
    }

    @Test func everyBadFieldIsNamedAtOnce() {
        let body: JSONValue = .object([
            ("name", .string("")), ("type", .string("bank")), ("city", .null), ("latitude", .number(91)),
            ("phone", .string("call me")), ("description", .string("line one\nline two")), ("colour", .string("red")),
        ])
        let errors = validator.errors(body, against: Schema.ref("NewBusiness"))
        let byField = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, b in a + "; " + b })
        #expect(byField["name"] == "must not be empty")
        #expect(byField["type"]?.hasPrefix("must be one of: importer") == true)
        #expect(byField["city"] == "must not be null")
        #expect(byField["latitude"]?.contains("must be at most 90") == true)
        #expect(byField["latitude"]?.contains("together with longitude") == true)
        #expect(byField["phone"] == "may hold only digits, spaces and + - ( )")
        #expect(byField["colour"] == "is not a known field")
        #expect(byField["description"] == nil, "line breaks are allowed in a description")
    }

    @Test func controlCharactersAndExactlyOneBuyer() {
        let tab = validator.errors(.object([("name", .string("A\tB"))]), against: Schema.ref("UserUpdate"))
        #expect(tab.map(\.field) == ["name"])
        let both = validator.errors(.object([("name", .string("Q1")), ("buyer_business_id", .string(String(repeating: "0", count: 26))),
                                             ("buyer_group_id", .string(String(repeating: "1", count: 26)))]), against: Schema.ref("NewPriceList"))
        #expect(both.map(\.message) == ["give exactly one of buyer_business_id, buyer_group_id"])
        let neither = validator.errors(.object([("name", .string("Q1"))]), against: Schema.ref("NewPriceList"))
        #expect(neither.count == 1)
        let one = validator.errors(.object([("name", .string("Q1")), ("buyer_group_id", .string(String(repeating: "1", count: 26)))]),
                                   against: Schema.ref("NewPriceList"))
        #expect(one == [])
    }

    /// The checks written out for speed say what the documented patterns say (the regex is what clients read).
    @Test func fastPatternChecksAgreeWithTheirRegex() throws {
        let samples = ["", "a", "ab-c", "a--b", "-ab", "ab-", "Ab", "a1-2b", "+38 (044) 123-45-67", "044x", "line", "tab\there",
                       "two\nlines", "cr\r", "nul\u{0}", "del\u{7F}", "c1\u{85}", "Київ", String(repeating: "0", count: 26),
                       "01m8z7nkfdhdsfjcag83vhej9c", "01m8z7nkfdhdsfjcag83vhej9u", "01M8Z7NKFDHDSFJCAG83VHEJ9C"]
        for pattern in [Patterns.line, Patterns.text, Patterns.phone, Patterns.slug, Patterns.id] {
            let regex = try Regex(pattern)
            for sample in samples {
                #expect(Patterns.matches(pattern, sample) == ((try regex.firstMatch(in: sample)) != nil), "\(pattern) on \(sample.debugDescription)")
            }
        }
    }

    @Test func queryTextBecomesItsSchemaType() {
        #expect(DocumentedRequestMiddleware.typed("12", Schema.integer()) == .number(12))
        #expect(DocumentedRequestMiddleware.typed("1.5", Schema.integer()) == nil)
        #expect(DocumentedRequestMiddleware.typed("true", Schema.boolean()) == .bool(true))
        #expect(DocumentedRequestMiddleware.typed("1", Schema.boolean()) == nil)
        #expect(DocumentedRequestMiddleware.typed("x", Schema.string()) == .string("x"))
    }
}
