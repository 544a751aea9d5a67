import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// Conversations, messages, files, read marks, unread counts and message search. Live delivery is
/// the `/api/v1/live` socket's `conversations` topic (`LiveRoutes`).
struct TalkRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("conversations", use: open)
        api.get("conversations", use: list)
        api.get("conversations/:id", use: get)
        api.post("conversations/:id/archive") { _, context in try await setState(context, .archived) }
        api.post("conversations/:id/reopen") { _, context in try await setState(context, .open) }
        api.get("conversations/:id/messages", use: messages)
        api.post("conversations/:id/messages", use: post)
        api.get("conversations/:id/events", use: events)
        api.post("conversations/:id/read", use: read)
        api.post("conversations/:id/attachments", use: upload)
        api.get("attachments/:id", use: download)
        api.patch("messages/:id", use: edit)
        api.delete("messages/:id", use: delete)
        api.get("search/messages", use: search)
        api.get("inbox", use: inbox)
    }

    struct OpenBody: APIRequestBody {
        var input: ConversationInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case title
            case buyerBusinessId = "buyer_business_id", sellerBusinessId = "seller_business_id", productId = "product_id", orderId = "order_id", userId = "user_id"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = ConversationInput(buyerBusinessId: try c.decodeIfPresent(String.self, forKey: .buyerBusinessId),
                                      sellerBusinessId: try c.decodeIfPresent(String.self, forKey: .sellerBusinessId),
                                      productId: try c.decodeIfPresent(String.self, forKey: .productId), orderId: try c.decodeIfPresent(String.self, forKey: .orderId),
                                      userId: try c.decodeIfPresent(String.self, forKey: .userId), title: try c.decodeIfPresent(String.self, forKey: .title))
        }
    }

    struct MessageBody: APIRequestBody {
        var input: MessageInput
        enum CodingKeys: String, CodingKey, CaseIterable {
            case text
            case replyTo = "reply_to", productId = "product_id", attachmentIds = "attachment_ids"
        }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            input = MessageInput(text: try c.decodeIfPresent(String.self, forKey: .text), replyTo: try c.decodeIfPresent(String.self, forKey: .replyTo),
                                 productId: try c.decodeIfPresent(String.self, forKey: .productId),
                                 attachmentIds: try c.decodeIfPresent([String].self, forKey: .attachmentIds))
        }
    }

    struct EditBody: APIRequestBody {
        var text: String
        enum CodingKeys: String, CodingKey, CaseIterable { case text }
    }

    struct ReadBody: APIRequestBody {
        var seq: Int64?
        enum CodingKeys: String, CodingKey, CaseIterable { case seq }
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Conversation> {
        let (body, key) = try await request.decodeIdempotent(OpenBody.self, limit: maxBody)
        let (conversation, created) = try await services.conversations.open(try context.caller(), body.input, idempotency: key)
        return APIResponse(conversation, status: created ? .created : .ok)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<Conversation>> {
        let state = try request.query("state", Conversation.State.init(rawValue:), expected: "open or archived")
        return APIResponse(ListResponse(try await services.conversations.conversations(try context.caller(), state: state, page: try request.pageRequest())))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Conversation> {
        APIResponse(try await services.conversations.conversation(try context.caller(), id: try context.parameters.require("id")))
    }

    func setState(_ context: AppRequestContext, _ state: Conversation.State) async throws -> APIResponse<Conversation> {
        APIResponse(try await services.conversations.setState(try context.caller(), id: try context.parameters.require("id"), state))
    }

    @Sendable func messages(_ request: Request, context: AppRequestContext) async throws -> APIResponse<MessagePage> {
        let before = try request.query("before", { Int64($0).flatMap { $0 >= 1 ? $0 : nil } }, expected: "a positive sequence number")
        let limit = try request.query("limit", { Int($0).flatMap { (1...200).contains($0) ? $0 : nil } }, expected: "an integer from 1 to 200") ?? 50
        return APIResponse(try await services.conversations.messages(try context.caller(), conversationID: try context.parameters.require("id"),
                                                                     before: before, limit: limit))
    }

    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Message> {
        let (body, key) = try await request.decodeIdempotent(MessageBody.self, limit: maxBody)
        return APIResponse(try await services.conversations.post(try context.caller(), conversationID: try context.parameters.require("id"), body.input,
                                                                 idempotency: key), status: .created)
    }

    struct Events: Encodable, Sendable {
        var events: [ConversationEvent]
        var resync: Bool
        var lastSeq: Int64
    }

    /// The socket's catch-up over plain HTTP: events after `after`, or `resync` past the limit.
    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Events> {
        let after = try request.query("after", { Int64($0).flatMap { $0 >= 0 ? $0 : nil } }, expected: "a sequence number (0 or more)") ?? 0
        let result = try await services.conversations.catchUp(try context.caller(), conversationID: try context.parameters.require("id"), after: after,
                                                              limit: services.talk.resumeLimit)
        return APIResponse(Events(events: result.events, resync: result.resync, lastSeq: result.lastSeq))
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxCounts> {
        let body = request.headers[.contentLength] == "0" || request.headers[.contentType] == nil ? nil : try await request.decode(ReadBody.self, limit: maxBody)
        return APIResponse(try await services.conversations.markRead(try context.caller(), conversationID: try context.parameters.require("id"), seq: body?.seq))
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Message> {
        let body = try await request.decode(EditBody.self, limit: maxBody)
        return APIResponse(try await services.conversations.edit(try context.caller(), messageID: try context.parameters.require("id"), text: body.text))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Message> {
        APIResponse(try await services.conversations.delete(try context.caller(), messageID: try context.parameters.require("id")))
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<MessageHit>> {
        guard let q = request.uri.queryParameters.get("q") else { throw AppError.invalidField("q", "is required") }
        let limit = try request.query("limit", { Int($0).flatMap { (1...100).contains($0) ? $0 : nil } }, expected: "an integer from 1 to 100") ?? 20
        let hits = try await services.conversations.search(try context.caller(), query: q, conversationID: request.uri.queryParameters.get("conversation_id"),
                                                           limit: limit)
        return APIResponse(ListResponse(items: hits))
    }

    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> APIResponse<InboxCounts> {
        APIResponse(try await services.conversations.inbox(try context.caller()))
    }

    /// A file for a message: the body is its bytes, `Content-Type` its type (from `talk.attachment_types`:
    /// else 415), `?name=` its file name; at most `talk.max_attachment_mb` (else 413).
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Attachment> {
        let caller = try context.caller()
        let conversation = try context.parameters.require("id")
        let settings = services.talk
        // Whether the caller may send here is asked first: a stranger learns nothing from 415 or 400.
        let tenant = try await services.conversations.attachmentTenant(caller, conversationID: conversation)
        let declared = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard settings.attachmentTypes.contains(declared) else {
            throw AppError(.unsupportedMediaType, "Files of type \(declared.isEmpty ? "(none)" : declared) cannot be sent; allowed: "
                           + settings.attachmentTypes.sorted().joined(separator: ", "))
        }
        var v = Validator()
        let name = v.text("name", request.uri.queryParameters.get("name").map { String($0) } ?? "", min: 1, max: 200)
        if name.contains("/") || name.contains("\\") { v.fail("name", "must be a file name without folders") }
        try v.check()
        let mb = settings.maxAttachmentBytes >> 20
        var dimensions: (width: Int, height: Int)?
        let attachment = try await services.storeBody(request, tenant: tenant, limit: settings.maxAttachmentBytes, tooLarge: "A file may be at most \(mb) MiB",
                                                      headBytes: 256 << 10, check: { head, size in
            guard size > 0 else { throw AppError.invalid("The file is empty") }
            guard FileSniffer.matches(declared, head) else { throw AppError(.unsupportedMediaType, "The file is not the \(declared) its Content-Type says") }
            dimensions = FileSniffer.imageSize(head)
        }) { blob, result in
            let size = dimensions
            let attachment = Attachment(id: Identifier.make(), name: name, contentType: declared, size: result.size, width: size?.width, height: size?.height)
            return try await services.conversations.recordAttachment(caller, conversationID: conversation, attachment, blob: blob)
        }
        return APIResponse(attachment, status: .created)
    }

    /// A file, to participants only; images inline, other files as downloads.
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let (attachment, blob) = try await services.conversations.attachment(caller, id: try context.parameters.require("id"))
        let source: any BlobSource
        do { source = try services.blobs.openBlob(try caller.tenant(), blob) } catch BlobError.missingBytes { throw AppError.notFound("Attachment") }
        let inline = attachment.contentType.hasPrefix("image/")
        let encoded = attachment.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        let headers: HTTPFields = [.contentType: attachment.contentType, .cacheControl: "private, max-age=86400",
                                   .contentDisposition: "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(encoded)"]
        return Response(status: .ok, headers: headers, body: try BlobBody.make(source, from: 0, length: attachment.size))
    }
}
