import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// A tenant's mail relay for its admins (with a test send), and the one-click unsubscribe link
/// every notification email carries (RFC 8058: a POST unsubscribes without anything else).
struct ChannelRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("channels/email", use: email)
        api.put("channels/email", use: setEmail)
        api.delete("channels/email", use: removeEmail)
        api.post("channels/email/test", use: test)
        api.get("channels/sms", use: sms)
        api.put("channels/sms", use: setSMS)
        api.delete("channels/sms", use: removeSMS)
        api.post("channels/sms/test", use: testSMS)
        api.get("unsubscribe", use: confirm)
        api.post("unsubscribe", use: unsubscribe)
    }

    struct EmailBody: APIRequestBody {
        var host: String
        var port: Int
        var security: EmailChannelSettings.Security
        var username: String?
        var password: String?
        var fromEmail: String
        var fromName: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, port, security, username, password
            case fromEmail = "from_email", fromName = "from_name"
        }
    }

    struct SMSBody: APIRequestBody {
        var provider: SMSChannelSettings.Provider
        var url: String
        var method: String?
        var contentType: String?
        var bodyTemplate: String?
        var authHeader: String?
        var secret: String?
        var from: String
        var maxSegments: Int?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case provider, url, method, secret, from
            case contentType = "content_type", bodyTemplate = "body_template", authHeader = "auth_header", maxSegments = "max_segments"
        }
    }

    struct SMSTestBody: APIRequestBody {
        var to: String
        enum CodingKeys: String, CodingKey, CaseIterable { case to }
    }

    struct SMSAnswer: Encodable, Sendable {
        var configured: Bool
        var settings: SMSChannelSettings?
    }

    @Sendable func sms(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SMSAnswer> {
        let settings = try await services.sms.sms(try context.caller())
        return APIResponse(SMSAnswer(configured: settings != nil, settings: settings))
    }

    @Sendable func setSMS(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SMSChannelSettings> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let b = try await request.decode(SMSBody.self, limit: maxBody)
        return APIResponse(try await services.sms.setSMS(caller, SMSChannelInput(provider: b.provider, url: b.url, method: b.method, contentType: b.contentType,
                                                                               bodyTemplate: b.bodyTemplate, authHeader: b.authHeader, secret: b.secret,
                                                                               from: b.from, maxSegments: b.maxSegments)))
    }

    @Sendable func removeSMS(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.sms.removeSMS(try context.caller())
        return .noContent
    }

    @Sendable func testSMS(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ChannelTestResult> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let body = try await request.decode(SMSTestBody.self, limit: maxBody)
        return APIResponse(try await services.sms.testSMS(caller, to: body.to))
    }

    struct TestBody: APIRequestBody {
        var to: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case to }
    }

    /// `{"configured": false}` until set up, so a settings screen asks without an error.
    struct EmailAnswer: Encodable, Sendable {
        var configured: Bool
        var settings: EmailChannelSettings?
    }

    @Sendable func email(_ request: Request, context: AppRequestContext) async throws -> APIResponse<EmailAnswer> {
        let settings = try await services.channels.email(try context.caller())
        return APIResponse(EmailAnswer(configured: settings != nil, settings: settings))
    }

    @Sendable func setEmail(_ request: Request, context: AppRequestContext) async throws -> APIResponse<EmailChannelSettings> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let b = try await request.decode(EmailBody.self, limit: maxBody)
        return APIResponse(try await services.channels.setEmail(caller, EmailChannelInput(
            host: b.host, port: b.port, security: b.security, username: b.username, password: b.password, fromEmail: b.fromEmail, fromName: b.fromName)))
    }

    @Sendable func removeEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.channels.removeEmail(try context.caller())
        return .noContent
    }

    @Sendable func test(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ChannelTestResult> {
        let caller = try context.caller()
        _ = try caller.authorize(.channelsManage)
        let (body, _) = try await request.decodeOptionalIdempotent(TestBody.self, limit: maxBody)
        return APIResponse(try await services.channels.testEmail(caller, to: body?.to))
    }

    /// A mail client that cannot POST opens the link: a page with the one button that does.
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token") ?? ""
        let escaped = token.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;")
        let page = """
            <!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Unsubscribe</title></head>
            <body style="font-family:sans-serif;max-width:30rem;margin:3rem auto"><form method="post" action="/api/v1/unsubscribe?token=\(escaped)">
            <input type="hidden" name="List-Unsubscribe" value="One-Click"><p>Stop these emails? · Більше не надсилати ці листи? · Больше не присылать эти письма?</p>
            <button type="submit">Unsubscribe · Відписатися · Отписаться</button></form></body></html>
            """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = request.uri.queryParameters.get("token"), !token.isEmpty else { throw AppError.invalidField("token", "is required") }
        try await services.notifications.unsubscribe(token: String(token))
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "Unsubscribed.\n")))
    }
}
