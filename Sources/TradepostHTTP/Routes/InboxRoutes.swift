import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// The shared inbox: channels and their agents (admins), channel conversations (status, assignee,
/// labels, replies and their delivery status), the caller's availability.
struct InboxRoutes {
    let services: AppServices
    let maxBody: Int
    let metrics: AppMetrics?

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("inbox/channels", use: channels)
        api.post("inbox/channels", use: createChannel)
        api.patch("inbox/channels/:id", use: updateChannel)
        api.delete("inbox/channels/:id", use: deleteChannel)
        api.post("inbox/channels/:id/test", use: test)
        api.get("inbox/channels/:id/agents", use: agents)
        api.put("inbox/channels/:id/agents/:user_id", use: setAgent)
        api.delete("inbox/channels/:id/agents/:user_id", use: removeAgent)
        api.get("inbox/channels/:id/rules", use: rules)
        api.post("inbox/channels/:id/rules", use: createRule)
        api.patch("inbox/rules/:id", use: updateRule)
        api.delete("inbox/rules/:id", use: deleteRule)
        api.get("inbox/conversations", use: list)
        api.get("inbox/conversations/:id", use: get)
        api.patch("inbox/conversations/:id", use: change)
        api.post("inbox/conversations/:id/reply", use: reply)
        api.get("inbox/conversations/:id/deliveries", use: deliveries)
        api.get("inbox/measures", use: measures)
        api.get("inbox/me", use: me)
        api.patch("inbox/me", use: setMe)
    }

    struct ChannelBody: APIRequestBody {
        var kind: InboxChannel.Kind?
        var name: String?
        var businessId: String?
        var phoneNumberId: String?
        var displayPhone: String?
        var accessToken: String?
        var appSecret: String?
        var verifyToken: String?
        var enabled: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind, name, enabled, businessId = "business_id", phoneNumberId = "phone_number_id", displayPhone = "display_phone"
            case accessToken = "access_token", appSecret = "app_secret", verifyToken = "verify_token"
        }
        var input: InboxChannelInput {
            InboxChannelInput(kind: kind, name: name, businessId: businessId, phoneNumberId: phoneNumberId, displayPhone: displayPhone,
                              accessToken: accessToken, appSecret: appSecret, verifyToken: verifyToken, enabled: enabled)
        }
    }

    struct AgentBody: APIRequestBody {
        var capacity: Int
        enum CodingKeys: String, CodingKey, CaseIterable { case capacity }
    }

    struct RuleBody: APIRequestBody {
        var kind: AutoReplyRule.Kind?
        var keywords: [String]?
        var pattern: String?
        var replies: [String: String]?
        var hours: [HoursBody]?
        var timeZone: String?
        var enabled: Bool?
        var position: Int?
        enum CodingKeys: String, CodingKey, CaseIterable { case kind, keywords, pattern, replies, hours, enabled, position, timeZone = "time_zone" }
        var input: AutoReplyRuleInput {
            AutoReplyRuleInput(kind: kind, keywords: keywords, pattern: pattern, replies: replies,
                               hours: hours?.map { AutoReplyRule.Hours(day: $0.day, open: $0.open, close: $0.close) }, timeZone: timeZone,
                               enabled: enabled, position: position)
        }
    }

    struct HoursBody: APIRequestBody {
        var day: Int
        var open: String
        var close: String
        enum CodingKeys: String, CodingKey, CaseIterable { case day, open, close }
    }

    struct ChangeBody: APIRequestBody {
        var status: InboxConversation.Status?
        var assigneeId: String?
        var labels: [String]?
        enum CodingKeys: String, CodingKey, CaseIterable { case status, labels, assigneeId = "assignee_id" }
    }

    struct ReplyBody: APIRequestBody {
        var text: String
        enum CodingKeys: String, CodingKey, CaseIterable { case text }
    }

    struct MeBody: APIRequestBody {
        var availability: AgentStatus.Availability?
        enum CodingKeys: String, CodingKey, CaseIterable { case availability }
    }

    @Sendable func channels(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<InboxChannel>> {
        APIResponse(ListResponse(items: try await services.inbox.channels(try context.caller())))
    }

    @Sendable func createChannel(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxChannel> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let (body, key) = try await request.decodeIdempotent(ChannelBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.createChannel(caller, body.input, idempotency: key), status: .created)
    }

    @Sendable func updateChannel(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxChannel> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let body = try await request.decode(ChannelBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.updateChannel(caller, id: try context.parameters.require("id"), body.input))
    }

    @Sendable func deleteChannel(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.inbox.deleteChannel(try context.caller(), id: try context.parameters.require("id"))
        return .noContent
    }

    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ChannelCheck> {
        APIResponse(try await services.inboxTester.test(try context.caller(), channelID: try context.parameters.require("id")))
    }

    @Sendable func agents(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<ChannelAgent>> {
        APIResponse(ListResponse(items: try await services.inbox.channelAgents(try context.caller(), channelID: try context.parameters.require("id"))))
    }

    @Sendable func setAgent(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ChannelAgent> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let body = try await request.decode(AgentBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.setChannelAgent(caller, channelID: try context.parameters.require("id"),
                                                                    userID: try context.parameters.require("user_id"), capacity: body.capacity))
    }

    @Sendable func removeAgent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.inbox.removeChannelAgent(try context.caller(), channelID: try context.parameters.require("id"),
                                                    userID: try context.parameters.require("user_id"))
        return .noContent
    }

    @Sendable func rules(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<AutoReplyRule>> {
        APIResponse(ListResponse(items: try await services.inbox.rules(try context.caller(), channelID: try context.parameters.require("id"))))
    }

    @Sendable func createRule(_ request: Request, context: AppRequestContext) async throws -> APIResponse<AutoReplyRule> {
        let caller = try context.caller()
        let channel = try context.parameters.require("id")
        _ = try await services.inbox.rules(caller, channelID: channel)
        let (body, key) = try await request.decodeIdempotent(RuleBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.createRule(caller, channelID: channel, body.input, idempotency: key), status: .created)
    }

    @Sendable func updateRule(_ request: Request, context: AppRequestContext) async throws -> APIResponse<AutoReplyRule> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let body = try await request.decode(RuleBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.updateRule(caller, id: try context.parameters.require("id"), body.input))
    }

    @Sendable func deleteRule(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.inbox.deleteRule(try context.caller(), id: try context.parameters.require("id"))
        return .noContent
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<InboxConversation>> {
        let filter = InboxFilter(channelId: request.uri.queryParameters.get("channel_id").map { String($0) },
                                 status: try request.query("status", InboxConversation.Status.init(rawValue:), expected: InboxConversation.Status.choices),
                                 assignee: request.uri.queryParameters.get("assignee").map { String($0) },
                                 label: request.uri.queryParameters.get("label").map { String($0) })
        return APIResponse(ListResponse(try await services.inbox.conversations(try context.caller(), filter, try request.pageRequest())))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxConversation> {
        APIResponse(try await services.inbox.conversation(try context.caller(), id: try context.parameters.require("id")))
    }

    @Sendable func change(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxConversation> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        let before = try await services.inbox.conversation(caller, id: id)
        let body = try await request.decode(ChangeBody.self, limit: maxBody)
        let after = try await services.inbox.change(caller, id: id, InboxConversationChange(status: body.status, assigneeId: body.assigneeId, labels: body.labels))
        if before.status != .resolved, let resolved = after.resolvedAt {
            metrics?.recordInbox("resolution", channel: after.channelKind.rawValue, seconds: resolved.timeIntervalSince(after.createdAt))
        }
        return APIResponse(after)
    }

    @Sendable func reply(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Message> {
        let caller = try context.caller()
        let id = try context.parameters.require("id")
        _ = try await services.inbox.conversation(caller, id: id)
        let (body, key) = try await request.decodeIdempotent(ReplyBody.self, limit: maxBody)
        let started = Date()
        let message = try await services.inbox.reply(caller, conversationID: id, text: body.text, idempotency: key)
        // Counted once: a repeated Idempotency-Key answers a message made by an earlier request (times are kept to the millisecond).
        if let metrics, message.createdAt > started.addingTimeInterval(-0.002),
           let after = try? await services.inbox.conversation(caller, id: id), after.firstResponseAt == message.createdAt {
            metrics.recordInbox("first_response", channel: after.channelKind.rawValue, seconds: message.createdAt.timeIntervalSince(after.createdAt))
        }
        return APIResponse(message, status: .created)
    }

    @Sendable func deliveries(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<ChannelDelivery>> {
        APIResponse(ListResponse(items: try await services.inbox.deliveries(try context.caller(), conversationID: try context.parameters.require("id"))))
    }

    /// The period: `from` and `to` as days (UTC, `to` inclusive) or ISO 8601 times; the last 30 days by default.
    @Sendable func measures(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxMeasures> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let day = { (text: String) -> Date? in
            if let d = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return d }
            return try? Date(text, strategy: .iso8601)
        }
        let to = try request.query("to", day, expected: "a date (2026-12-05) or an ISO 8601 time")
            .map { request.uri.queryParameters.get("to")?.count == 10 ? $0.addingTimeInterval(86400) : $0 } ?? Date()
        let from = try request.query("from", day, expected: "a date (2026-12-05) or an ISO 8601 time") ?? to.addingTimeInterval(-30 * 86400)
        return APIResponse(try await services.inbox.measures(caller, from: from, to: to))
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> APIResponse<AgentStatus> {
        APIResponse(try await services.inbox.agent(try context.caller()))
    }

    @Sendable func setMe(_ request: Request, context: AppRequestContext) async throws -> APIResponse<AgentStatus> {
        let caller = try context.caller()
        _ = try caller.authorize(.conversationsWrite)
        let body = try await request.decode(MeBody.self, limit: maxBody)
        return APIResponse(try await services.inbox.setAgent(caller, AgentChange(availability: body.availability)))
    }
}
