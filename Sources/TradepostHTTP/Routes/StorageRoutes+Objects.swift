import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TradepostCore

/// Browsing a bucket from the web app: one folder level at a time, upload, download, delete —
/// the same store and rules as the S3 API (durable writes, quota), errors as problem+json.
extension StorageRoutes {
    struct ObjectInfo: Encodable, Sendable {
        var key: String
        var size: Int64
        var etag: String
        var contentType: String
        var modifiedAt: Date
        enum CodingKeys: String, CodingKey {
            case key, size, etag
            case contentType = "content_type"
            case modifiedAt = "modified_at"
        }
        init(_ m: ObjectMeta) { (key, size, etag, contentType, modifiedAt) = (m.key, m.size, m.etag, m.contentType, m.modified) }
    }

    struct Folder: Encodable, Sendable {
        var items: [ObjectInfo]
        var prefixes: [String]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey {
            case items, prefixes
            case nextCursor = "next_cursor"
        }
    }

    func objectKey(_ request: Request) throws -> String {
        // Parsed with S3's query rules: browsers (URLSearchParams) send a space as '+'.
        guard let key = Query(request.uri.query ?? "").first("key"), !key.isEmpty else { throw AppError.invalidField("key", "is required") }
        do { try BlobNames.checkKey(key) } catch { throw AppError(error) }
        return key
    }

    @Sendable func listObjects(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Folder> {
        let (tenant, _) = try context.tenant(for: .storageManage)
        let bucket = try context.parameters.require("bucket")
        let page = try request.pageRequest()
        let prefix = Query(request.uri.query ?? "").first("prefix") ?? ""
        let listing = try await services.blobs.list(tenant, bucket: bucket, prefix: prefix, delimiter: "/", after: page.after, limit: page.limit)
        return APIResponse(Folder(items: listing.objects.map(ObjectInfo.init), prefixes: listing.prefixes,
                                  nextCursor: listing.isTruncated ? listing.last.map(Cursor.encode) : nil))
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, _) = try context.tenant(for: .storageManage)
        let bucket = try context.parameters.require("bucket")
        let key = try objectKey(request)
        let meta = try await services.blobs.object(tenant, bucket: bucket, key: key)
        let source: any BlobSource
        do { source = try services.blobs.openBlob(tenant, meta.blob) } catch BlobError.missingBytes { throw AppError.notFound("Object") }
        let name = key.split(separator: "/").last.map(String.init) ?? key
        let headers: HTTPFields = [.contentType: meta.contentType, .eTag: "\"\(meta.etag)\"",
                                   .contentDisposition: "attachment; filename*=UTF-8''\(PercentEncoding.rfc3986(name))"]
        return Response(status: .ok, headers: headers, body: try BlobBody.make(source, from: 0, length: meta.size))
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ObjectInfo> {
        let (tenant, _) = try context.tenant(for: .storageManage)
        let bucket = try context.parameters.require("bucket")
        let key = try objectKey(request)
        let quota = try await services.tenants.storageQuota(tenant)
        let contentType = request.headers[.contentType] ?? "application/octet-stream"
        guard try await services.blobs.bucket(tenant, bucket) != nil else { throw AppError.notFound("Bucket") }
        let meta = try await services.storeBody(request, tenant: tenant, limit: Int64(maxUpload),
                                                tooLarge: "The file is larger than \(maxUpload / 1_048_576) MiB") { blob, result in
            let meta = ObjectMeta(bucket: bucket, key: key, blob: blob, size: result.size, etag: Hex.encode(result.md5),
                                  contentType: contentType, headers: [:], metadata: [:], checksums: [:], partCount: nil, modified: Date())
            try await services.blobs.put(tenant, meta, quota: quota)
            return meta
        }
        return APIResponse(ObjectInfo(meta))
    }

    @Sendable func deleteObject(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (tenant, _) = try context.tenant(for: .storageManage)
        let bucket = try context.parameters.require("bucket")
        let key = try objectKey(request)
        _ = try await services.blobs.object(tenant, bucket: bucket, key: key)
        try await services.blobs.delete(tenant, bucket: bucket, keys: [key])
        return .noContent
    }
}
