import Foundation
import Hummingbird
import TradepostCore

/// The tenant's S3 access keys and its buckets' usage, for tenant admins. The objects themselves
/// are reached through the S3 listener (`s3.listen`) with these keys.
struct StorageRoutes {
    let services: AppServices
    let maxBody: Int
    let maxUpload: Int

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("s3/keys", use: listKeys)
        api.post("s3/keys", use: createKey)
        api.delete("s3/keys/:id", use: revokeKey)
        api.get("s3/buckets", use: buckets)
        api.get("s3/buckets/:bucket/objects", use: listObjects)
        api.get("s3/buckets/:bucket/object", use: download)
        api.put("s3/buckets/:bucket/object", use: upload)
        api.delete("s3/buckets/:bucket/object", use: deleteObject)
    }

    struct KeyBody: APIRequestBody {
        var name: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case name }
    }

    struct CreatedKey: Encodable, Sendable {
        var key: S3AccessKey
        var secret: String
    }

    struct Usage: Encodable, Sendable {
        var buckets: [BucketInfo]
        var usedBytes: Int64
        var quotaBytes: Int64?
        enum CodingKeys: String, CodingKey {
            case buckets
            case usedBytes = "used_bytes"
            case quotaBytes = "quota_bytes"
        }
    }

    @Sendable func listKeys(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<S3AccessKey>> {
        APIResponse(ListResponse(items: try await services.s3Keys.list(try context.caller())))
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> APIResponse<CreatedKey> {
        let caller = try context.caller()
        let body = try await request.decode(KeyBody.self, limit: maxBody)
        guard let name = body.name else { throw AppError.invalidField("name", "is required") }
        let made = try await services.s3Keys.create(caller, name: name)
        return APIResponse(CreatedKey(key: made.key, secret: made.secret), status: .created)
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await services.s3Keys.revoke(try context.caller(), accessKey: try context.parameters.require("id"))
        return .noContent
    }

    @Sendable func buckets(_ request: Request, context: AppRequestContext) async throws -> APIResponse<Usage> {
        let (tenant, _) = try context.tenant(for: .storageManage)
        let quota = try await services.tenants.storageQuota(tenant)
        return APIResponse(Usage(buckets: try await services.blobs.buckets(tenant), usedBytes: try await services.blobs.usage(tenant), quotaBytes: quota))
    }
}
