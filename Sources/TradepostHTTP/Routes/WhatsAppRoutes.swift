import Foundation
import Hummingbird
import HTTPTypes
import Logging
import TradepostCore

/// WhatsApp Cloud API's webhook for one channel: Meta's verification handshake (GET) and its
/// signed posts (POST), answered as soon as the body is stored; a job reads it.
struct WhatsAppRoutes {
    let services: AppServices
    let logger = Logger(label: "tradepost.inbox")

    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!
    /// Meta's bodies are small; a batch of messages and statuses fits well within this.
    static let maxBody = 1 << 20

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("whatsapp/:tenant/:channel/webhook", use: verify)
        api.post("whatsapp/:tenant/:channel/webhook", use: receive)
    }

    /// The challenge, as plain text, when the verify token is the channel's; 403 otherwise.
    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        guard let challenge = try await services.inbox.verifyWebhook(
            tenantSlug: try context.parameters.require("tenant"), channelID: try context.parameters.require("channel"),
            mode: q.get("hub.mode").map { String($0) }, token: q.get("hub.verify_token").map { String($0) }, challenge: q.get("hub.challenge").map { String($0) })
        else { throw AppError.forbidden("The verify token is not this channel's") }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    /// 200 once stored; 403 for a missing or wrong signature (logged without the body).
    @Sendable func receive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let tenant = try context.parameters.require("tenant")
        let channel = try context.parameters.require("channel")
        let body = try await request.body.collect(upTo: Self.maxBody)
        do {
            try await services.inbox.acceptWebhook(tenantSlug: tenant, channelID: channel, signature: request.headers[Self.signatureHeader],
                                                   body: Array(body.readableBytesView))
        } catch let error as AppError where error.code == .forbidden || error.code == .notFound {
            logger.warning("refused a WhatsApp webhook", metadata: ["tenant": "\(tenant)", "channel": "\(channel)", "bytes": "\(body.readableBytes)",
                                                                  "why": "\(error.code == .forbidden ? "bad signature" : "no such channel")"])
            throw error
        }
        return Response(status: .ok)
    }
}
