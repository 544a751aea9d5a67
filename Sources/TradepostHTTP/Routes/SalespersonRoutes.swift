import Foundation
import Hummingbird
import HTTPTypes
import TradepostCore

/// Salespeople: links to businesses (asked, approved or refused, revoked) and identity documents
/// that tenant admins verify.
struct SalespersonRoutes {
    let services: AppServices
    let maxBody: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.post("salesperson-links", use: request)
        api.get("salesperson-links", use: list)
        api.post("salesperson-links/:id/approve") { request, context in try await act(request, context, .approve) }
        api.post("salesperson-links/:id/refuse") { request, context in try await act(request, context, .refuse) }
        api.post("salesperson-links/:id/revoke") { request, context in try await act(request, context, .revoke) }
        api.get("salespeople", use: identities)
        api.put("salespeople/me/document", use: upload)
        api.get("salespeople/:id/document", use: document)
        api.post("salespeople/:id/verify", use: verify)
    }

    struct LinkBody: APIRequestBody {
        var businessId: String
        var side: TradeSide
        var note: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case side, note
            case businessId = "business_id"
        }
    }

    struct ReasonBody: APIRequestBody {
        var reason: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case reason }
    }

    @Sendable func request(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SalespersonLink> {
        let (body, key) = try await request.decodeIdempotent(LinkBody.self, limit: maxBody)
        return APIResponse(try await services.salespeople.request(try context.caller(), SalespersonLinkInput(businessId: body.businessId, side: body.side, note: body.note),
                                                                  idempotency: key), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<SalespersonLink>> {
        let state = try request.query("state", SalespersonLink.State.init(rawValue:), expected: "requested, active, refused or revoked")
        return APIResponse(ListResponse(items: try await services.salespeople.links(try context.caller(), businessID: request.uri.queryParameters.get("business_id").map { String($0) },
                                                                                    state: state)))
    }

    func act(_ request: Request, _ context: AppRequestContext, _ act: SalespersonLink.Act) async throws -> APIResponse<SalespersonLink> {
        let (body, _) = try await request.decodeOptionalIdempotent(ReasonBody.self, limit: maxBody)
        return APIResponse(try await services.salespeople.act(try context.caller(), linkID: try context.parameters.require("id"), act, reason: body?.reason))
    }

    @Sendable func identities(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<SalespersonIdentity>> {
        APIResponse(ListResponse(items: try await services.salespeople.identities(try context.caller())))
    }

    static let documentTypes: Set<String> = ["application/pdf", "image/jpeg", "image/png"]

    /// The salesperson's identity document (PDF, JPEG or PNG, at most 10 MiB), replacing any earlier one.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SalespersonIdentity> {
        let caller = try context.caller()
        let tenant = try await services.salespeople.identityUploadTenant(caller)
        let declared = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.documentTypes.contains(declared) else { throw AppError(.unsupportedMediaType, "Send the document as application/pdf, image/jpeg or image/png") }
        var v = Validator()
        let name = v.text("name", request.uri.queryParameters.get("name").map { String($0) } ?? "", min: 1, max: 200)
        try v.check()
        let identity = try await services.storeBody(request, tenant: tenant, limit: 10 << 20, tooLarge: "A document may be at most 10 MiB", check: { head, size in
            guard size > 0 else { throw AppError.invalid("The file is empty") }
            guard FileSniffer.matches(declared, head) else { throw AppError(.unsupportedMediaType, "The file is not the \(declared) its Content-Type says") }
        }) { blob, result in
            try await services.salespeople.recordIdentityDocument(caller, name: name, contentType: declared, size: result.size, blob: blob)
        }
        return APIResponse(identity)
    }

    @Sendable func document(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let (identity, blob) = try await services.salespeople.identityDocument(caller, userID: try context.parameters.require("id"))
        let source: any BlobSource
        do { source = try services.blobs.openBlob(try caller.tenant(), blob) } catch BlobError.missingBytes { throw AppError.notFound("Document") }
        let headers: HTTPFields = [.contentType: identity.contentType ?? "application/octet-stream", .cacheControl: "private, no-store",
                                   .contentDisposition: "attachment; filename*=UTF-8''\((identity.documentName ?? "document").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document")"]
        return Response(status: .ok, headers: headers, body: try BlobBody.make(source, from: 0, length: identity.size ?? 0))
    }

    @Sendable func verify(_ request: Request, context: AppRequestContext) async throws -> APIResponse<SalespersonIdentity> {
        APIResponse(try await services.salespeople.verifyIdentity(try context.caller(), userID: try context.parameters.require("id")))
    }
}
