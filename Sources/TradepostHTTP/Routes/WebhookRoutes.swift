import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// A tenant admin's outbound webhooks: endpoints, their secrets, the delivery log, replays and a test event.
struct WebhookRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("webhooks/event-types", use: eventTypes)
        api.get("webhooks", use: list)
        api.post("webhooks", use: create)
        api.get("webhooks/:id", use: get)
        api.patch("webhooks/:id", use: update)
        api.delete("webhooks/:id", use: delete)
        api.post("webhooks/:id/rotate-secret", use: rotate)
        api.get("webhooks/:id/messages", use: messages)
        api.post("webhooks/:id/test", use: test)
        api.post("webhooks/:id/replay", use: replayRange)
        api.post("webhook-messages/:id/replay", use: replay)
    }

    struct EndpointBody: APIRequestBody {
        var url: String?
        var description: String?
        var eventTypes: [String]?
        var enabled: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable { case url, description, enabled, eventTypes = "event_types" }
        var input: WebhookEndpointInput { WebhookEndpointInput(url: url, description: description, eventTypes: eventTypes, enabled: enabled) }
    }

    struct RotateBody: APIRequestBody {
        var graceSeconds: Int?
        enum CodingKeys: String, CodingKey, CaseIterable { case graceSeconds = "grace_seconds" }
    }

    struct RangeBody: APIRequestBody {
        var from: Date
        var to: Date
        enum CodingKeys: String, CodingKey, CaseIterable { case from, to }
    }

    struct Replayed: Encodable, Sendable { var replayed: Int }
    struct Types: Encodable, Sendable { var items: [String] }

    @Sendable func eventTypes(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Types> {
        _ = try context.caller().authorize(.webhooksManage)
        return APIResponse(Types(items: WebhookTopics.all))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<WebhookEndpoint>> {
        APIResponse(ListResponse(items: try await services.webhooks.endpoints(try context.caller())))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> APIResponse<WebhookEndpoint> {
        let caller = try context.caller()
        _ = try caller.authorize(.webhooksManage)
        let (body, key) = try await request.decodeIdempotent(EndpointBody.self, limit: maxBody)
        return APIResponse(try await services.webhooks.create(caller, body.input, idempotency: key), status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<WebhookEndpoint> {
        APIResponse(try await services.webhooks.endpoint(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<WebhookEndpoint> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        _ = try await services.webhooks.endpoint(caller, id: id)
        let body = try await request.decode(EndpointBody.self, limit: maxBody)
        return APIResponse(try await services.webhooks.update(caller, id: id, body.input))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.webhooks.delete(try context.caller(), id: try context.parameters.require("id"))
        return .noContent
    }

    @Sendable func rotate(_ request: Request, context: AppRequestContext) async throws -> APIResponse<WebhookEndpoint> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        _ = try await services.webhooks.endpoint(caller, id: id)
        let (body, _) = try await request.decodeOptionalIdempotent(RotateBody.self, limit: maxBody)
        return APIResponse(try await services.webhooks.rotateSecret(caller, id: id, grace: TimeInterval(body?.graceSeconds ?? 86400)))
    }

    @Sendable func messages(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<WebhookMessage>> {
        let status = try request.query("status", WebhookMessage.Status.init(rawValue:), expected: WebhookMessage.Status.choices)
        let limit = try request.query("limit", { Int($0) }, expected: "an integer") ?? 50
        return APIResponse(ListResponse(items: try await services.webhooks.messages(try context.caller(), endpointID: try context.parameters.require("id"),
                                                                                   status: status, limit: limit)))
    }

    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> APIResponse<WebhookMessage> {
        APIResponse(try await services.webhooks.sendTest(try context.caller(), endpointID: try context.parameters.require("id")), status: .accepted)
    }

    @Sendable func replayRange(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Replayed> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        _ = try await services.webhooks.endpoint(caller, id: id)
        let body = try await request.decode(RangeBody.self, limit: maxBody)
        return APIResponse(Replayed(replayed: try await services.webhooks.replay(caller, endpointID: id, from: body.from, to: body.to)), status: .accepted)
    }

    @Sendable func replay(_ request: Request, context: AppRequestContext) async throws -> APIResponse<WebhookMessage> {
        APIResponse(try await services.webhooks.replay(try context.caller(), messageID: try context.parameters.require("id")), status: .accepted)
    }
}
