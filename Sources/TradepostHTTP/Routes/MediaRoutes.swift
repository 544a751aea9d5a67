import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TradepostCore

/// Product images and business logos: uploaded as the request body (the picture's own bytes),
/// kept in the blob store, served with their type, an ETag, cache headers and Range support.
/// Whoever may change the product or business may change its picture; whoever may see it, sees it.
struct MediaRoutes {
    let services: AppServices
    let maxBody: Int
    /// Largest picture accepted.
    static let maxBytes: Int64 = 10 << 20

    func register(on api: RouterGroup<AppRequestContext>) {
        api.put("products/:id/image", use: putProductImage)
        api.get("products/:id/image", use: getProductImage)
        api.get("products/:id/image-info", use: productImageInfo)
        api.delete("products/:id/image", use: deleteProductImage)
        api.put("businesses/:id/logo", use: putLogo)
        api.get("businesses/:id/logo", use: getLogo)
        api.get("businesses/:id/logo-info", use: logoInfo)
        api.delete("businesses/:id/logo", use: deleteLogo)
    }


    @Sendable func putProductImage(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Media> {
        APIResponse(try await store(request, context, .productImage))
    }

    @Sendable func getProductImage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await serve(request, context, .productImage)
    }

    /// Whether there is a picture, without a 404 for "none" (the web app asks before drawing an <img>).
    struct Info: Encodable, Sendable {
        var media: Media?
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(media, forKey: .media)  // null, not absent
        }
        enum CodingKeys: String, CodingKey { case media }
    }

    @Sendable func productImageInfo(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Info> {
        APIResponse(Info(media: try await services.media.media(try context.caller(), .productImage, ownerID: try context.parameters.require("id"))))
    }

    @Sendable func logoInfo(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Info> {
        APIResponse(Info(media: try await services.media.media(try context.caller(), .businessLogo, ownerID: try context.parameters.require("id"))))
    }

    @Sendable func deleteProductImage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await services.media.deleteMedia(try context.caller(), .productImage, ownerID: try context.parameters.require("id")) else {
            throw AppError.notFound("Image")
        }
        return .noContent
    }

    @Sendable func putLogo(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Media> {
        APIResponse(try await store(request, context, .businessLogo))
    }

    @Sendable func getLogo(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await serve(request, context, .businessLogo)
    }

    @Sendable func deleteLogo(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await services.media.deleteMedia(try context.caller(), .businessLogo, ownerID: try context.parameters.require("id")) else {
            throw AppError.notFound("Logo")
        }
        return .noContent
    }

    /// Streams the body to a blob, checks that it is the picture its Content-Type says, records it.
    /// Whether the caller may change the owner is asked before the first byte is taken, and
    /// decided again in the transaction that records the picture.
    func store(_ request: Request, _ context: AppRequestContext, _ kind: Media.Kind) async throws -> Media {
        let caller = try context.caller()
        let owner = try context.parameters.require("id")
        let tenant = try await services.media.uploadTenant(caller, kind, ownerID: owner)
        let declared = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard Self.types.contains(declared) else {
            throw AppError(.unsupportedMediaType, "Send the picture as image/jpeg, image/png, image/webp or image/gif")
        }
        return try await services.storeBody(request, tenant: tenant, limit: Self.maxBytes, tooLarge: "A picture may be at most 10 MiB",
                                            check: { head, size in
            guard size > 0 else { throw AppError.invalid("The picture is empty") }
            guard Self.sniff(head) == declared else {
                throw AppError(.unsupportedMediaType, "The file is not the \(declared) picture its Content-Type says")
            }
        }) { blob, result in
            let media = Media(kind: kind, ownerID: owner, blob: blob, contentType: declared, size: result.size,
                              etag: Hex.encode(result.md5), modified: Date())
            try await services.media.setMedia(caller, media)
            return media
        }
    }

    static let types: Set<String> = ["image/jpeg", "image/png", "image/webp", "image/gif"]

    /// The type the first bytes say (so a script named .png is never served as an image).
    static func sniff(_ b: [UInt8]) -> String? {
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return "image/gif" }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return "image/webp" }
        return nil
    }

    /// The picture for a caller who may see its owner; its bytes from the blob store.
    func serve(_ request: Request, _ context: AppRequestContext, _ kind: Media.Kind) async throws -> Response {
        let caller = try context.caller()
        guard let media = try await services.media.media(caller, kind, ownerID: try context.parameters.require("id")) else {
            throw AppError.notFound(kind == .productImage ? "Image" : "Logo")
        }
        let tenant = try caller.tenant()
        var headers: HTTPFields = [.contentType: media.contentType, .eTag: "\"\(media.etag)\"", .acceptRanges: "bytes",
                                   .lastModified: HTTPDates.http(media.modified),
                                   // Private: pictures are only for the tenant's signed-in users. Revalidated by ETag.
                                   .cacheControl: "private, max-age=300"]
        if let tags = request.headers[.ifNoneMatch], ByteRanges.etagMatches(tags, media.etag) {
            return Response(status: .notModified, headers: headers)
        }
        var range: ClosedRange<Int64>?
        if let header = request.headers[.range] {
            do {
                range = try ByteRanges.parse(header, size: media.size)
            } catch {
                headers[.contentRange] = "bytes */\(media.size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            if let range { headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(media.size)" }
        }
        let source: any BlobSource
        do { source = try services.blobs.openBlob(tenant, media.blob) } catch BlobError.missingBytes { throw AppError.notFound("Image") }
        let start = range?.lowerBound ?? 0
        let length = range.map { $0.upperBound - $0.lowerBound + 1 } ?? media.size
        return Response(status: range == nil ? .ok : .partialContent, headers: headers, body: try BlobBody.make(source, from: start, length: length))
    }
}
