import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// Telegram: the tenant's bot (admins connect it with a BotFather token), users linking their
/// account by a one-time deep link, the bot's webhook, and signing in from the Mini App.
struct TelegramRoutes {
    let services: AppServices
    let cookies: SessionCookies
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("channels/telegram", use: bot)
        api.put("channels/telegram", use: connect)
        api.delete("channels/telegram", use: disconnect)
        api.get("me/telegram", use: link)
        api.post("me/telegram/link", use: newLink)
        api.delete("me/telegram", use: unlink)
        api.post("telegram/:tenant/webhook", use: webhook)
        api.post("auth/telegram", use: signIn)
    }

    struct TokenBody: APIRequestBody {
        var token: String
        enum CodingKeys: String, CodingKey, CaseIterable { case token }
    }

    struct SignInBody: APIRequestBody {
        var tenant: String
        var initData: String
        var mode: AuthRoutes.LoginBody.Mode?
        enum CodingKeys: String, CodingKey, CaseIterable { case tenant, mode, initData = "init_data" }
    }

    static let secretHeader = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!

    /// `{"connected": false}` until a bot is connected.
    struct BotAnswer: Encodable, Sendable {
        var connected: Bool
        var bot: TelegramBotSettings?
    }

    @Sendable func bot(_ request: Request, context: AppRequestContext) async throws -> APIResponse<BotAnswer> {
        let bot = try await services.telegram.bot(try context.caller())
        return APIResponse(BotAnswer(connected: bot != nil, bot: bot))
    }

    @Sendable func connect(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TelegramBotSettings> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let body = try await request.decode(TokenBody.self, limit: maxBody)
        return APIResponse(try await services.telegram.connectBot(caller, token: body.token))
    }

    @Sendable func disconnect(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.telegram.disconnectBot(try context.caller())
        return .noContent
    }

    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TelegramLinkStatus> {
        APIResponse(try await services.telegram.link(try context.caller()))
    }

    @Sendable func newLink(_ request: Request, context: AppRequestContext) async throws -> APIResponse<TelegramLinkCode> {
        APIResponse(try await services.telegram.newLinkCode(try context.caller()))
    }

    @Sendable func unlink(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.telegram.unlink(try context.caller())
        return .noContent
    }

    /// Telegram's call: refused (403) without the webhook's secret_token; answered with a reply to make, if any.
    @Sendable func webhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try context.parameters.require("tenant")
        let body = try await request.body.collect(upTo: 1 << 20)
        let reply = try await services.telegram.handleUpdate(tenant: tenant, secret: request.headers[Self.secretHeader], update: Array(body.readableBytesView))
        guard let reply else { return Response(status: .ok) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: reply)))
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decode(SignInBody.self, limit: maxBody)
        let cookieMode = body.mode == .cookie
        if cookieMode && request.headers[.secFetchSite] == "cross-site" {
            throw AppError.forbidden("A cross-site page may not sign you in")
        }
        let result = try await services.telegram.signIn(tenant: body.tenant, initData: body.initData,
                                                        client: ClientInfo(ip: context.clientIP, userAgent: request.headers[.userAgent]))
        return try await AuthRoutes.signedIn(result, cookieMode: cookieMode, request: request, context: context, services: services, cookies: cookies)
    }
}
