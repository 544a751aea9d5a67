import Foundation
import Logging
import Testing
import TradepostCore
import TradepostJobs
import TradepostSearch
@testable import TradepostHTTP

@Suite("OpenAPI document")
struct OpenAPIParityTests {
    /// Every route the router serves is documented, and every documented operation is served.
    /// The web app's own paths (index.html, assets) are not part of the API.
    @Test func documentAndRouterAgree() async throws {
        let store = try await makeTestStore()
        defer { Task { await store.close(); try? FileManager.default.removeItem(atPath: store.dataDir) } }
        var config = TradepostConfig()
        config.dataDir = store.dataDir
        let jobs = try SQLiteJobService.standalone(store: store, registry: JobRegistry(), logger: Logger(label: "test"))
        defer { jobs.close() }
        let parts = buildRouter(config: config, store: store, services: AppServices(store: store, jobs: jobs, search: SearchEngine(tenants: store.tenantDatabases)), metrics: AppMetrics(),
                                hub: LiveHub { try await jobs.stats($0) })
        let served = Set((parts.router.routes + parts.webSocketRouter.routes).compactMap { route -> String? in
            let path = route.path.description
            if WebRoutes.patterns.contains(path) || route.method == .head { return nil }
            let normalized = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue) /\(normalized)"
        })
        let documented = Set(Operations.all.map { "\($0.method.uppercased()) \($0.path)" })
        #expect(served.subtracting(documented).sorted() == [], "routes missing from the OpenAPI document")
        #expect(documented.subtracting(served).sorted() == [], "documented operations with no route")
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
