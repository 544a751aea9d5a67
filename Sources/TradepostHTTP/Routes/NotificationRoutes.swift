import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// The notification centre (one's own notifications, read marks, settings) and, for admins, the
/// deliveries on other channels.
struct NotificationRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("notifications", use: list)
        api.post("notifications/read-all", use: readAll)
        api.post("notifications/:id/read", use: read)
        api.get("notifications/settings", use: settings)
        api.patch("notifications/settings", use: update)
        api.get("notifications/deliveries", use: deliveries)
    }

    struct ReadAllBody: APIRequestBody {
        var upTo: Int64?
        enum CodingKeys: String, CodingKey, CaseIterable { case upTo = "up_to" }
    }

    struct ChoiceBody: APIRequestBody {
        var kind: String
        var channel: NotificationChannel
        var enabled: Bool
        enum CodingKeys: String, CodingKey, CaseIterable { case kind, channel, enabled }
    }

    struct SettingsBody: APIRequestBody {
        var choices: [ChoiceBody]?
        var timeZone: String?
        var quietStart: String?
        var quietEnd: String?
        var digest: DigestMode?
        var phone: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case choices, digest, phone
            case timeZone = "time_zone", quietStart = "quiet_start", quietEnd = "quiet_end"
        }
        static var nested: [String: any APIRequestBody.Type] { ["choices": ChoiceBody.self] }
    }

    struct Updated: Encodable, Sendable { var updated: Int }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<NotificationPage> {
        let before = try request.query("before", { Int64($0) }, expected: "an integer")
        let limit = try request.query("limit", { Int($0) }, expected: "an integer") ?? 50
        return APIResponse(try await services.notifications.list(try context.caller(), before: before, unreadOnly: try request.flag("unread") ?? false,
                                                                 limit: limit))
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> APIResponse<UserNotification> {
        guard let id = Int64(try context.parameters.require("id")) else { throw AppError.notFound("Notification") }
        return APIResponse(try await services.notifications.markRead(try context.caller(), id: id))
    }

    @Sendable func readAll(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Updated> {
        let (body, _) = try await request.decodeOptionalIdempotent(ReadAllBody.self, limit: maxBody)
        return APIResponse(Updated(updated: try await services.notifications.markAllRead(try context.caller(), upTo: body?.upTo)))
    }

    @Sendable func settings(_ request: Request, context: AppRequestContext) async throws -> APIResponse<NotificationSettings> {
        APIResponse(try await services.notifications.settings(try context.caller()))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> APIResponse<NotificationSettings> {
        let body = try await request.decode(SettingsBody.self, limit: maxBody)
        let input = NotificationSettingsInput(choices: body.choices?.map { .init(kind: $0.kind, channel: $0.channel, enabled: $0.enabled) },
                                              timeZone: body.timeZone, quietStart: body.quietStart, quietEnd: body.quietEnd, digest: body.digest, phone: body.phone)
        return APIResponse(try await services.notifications.updateSettings(try context.caller(), input))
    }

    @Sendable func deliveries(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<NotificationDelivery>> {
        let channel = try request.query("channel", NotificationChannel.init(rawValue:), expected: NotificationChannel.choices)
        let status = try request.query("status", NotificationDelivery.Status.init(rawValue:), expected: NotificationDelivery.Status.choices)
        let limit = try request.query("limit", { Int($0) }, expected: "an integer") ?? 100
        return APIResponse(ListResponse(items: try await services.notifications.deliveries(try context.caller(), channel: channel, status: status, limit: limit)))
    }
}
