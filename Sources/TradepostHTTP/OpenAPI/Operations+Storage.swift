import TradepostCore

/// The blob store's management endpoints (the objects themselves speak S3 on `s3.listen`).
extension Operations {
    static let storage: [Operation] = [
        Operation(method: "get", path: "/api/v1/s3/keys", id: "listS3Keys", tag: "storage",
                  summary: "The tenant's S3 access keys, revoked ones included, never their secrets (tenant admins)",
                  response: "S3KeyList", errors: [403]),
        Operation(method: "post", path: "/api/v1/s3/keys", id: "createS3Key", tag: "storage",
                  summary: "Create an S3 access key; the secret is in this response only (tenant admins)",
                  body: "S3KeyInput", status: 201, response: "S3KeyCreated", errors: [400, 403]),
        Operation(method: "delete", path: "/api/v1/s3/keys/{id}", id: "revokeS3Key", tag: "storage",
                  summary: "Revoke an S3 access key; requests signed with it fail at once", status: 204, errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/s3/buckets", id: "listS3Buckets", tag: "storage",
                  summary: "The tenant's buckets with object counts and bytes, total usage and the plan's quota (tenant admins)",
                  response: "StorageUsage", errors: [403]),
        Operation(method: "get", path: "/api/v1/s3/buckets/{bucket}/objects", id: "listBucketFolder", tag: "storage",
                  summary: "One folder level of a bucket: objects and sub-folders under `prefix` (split at '/'), cursor-paged (tenant admins)",
                  query: [.init(name: "prefix", schema: Schema.string(), description: "A folder, ending in '/'; empty for the top")],
                  response: "BucketFolder", errors: [400, 403, 404]),
        Operation(method: "get", path: "/api/v1/s3/buckets/{bucket}/object", id: "downloadObject", tag: "storage",
                  summary: "Download an object (as an attachment)",
                  query: [.init(name: "key", schema: objectKey, description: "The object's key", required: true)],
                  responseSchema: Schema.string("The object's bytes", format: "binary"), responseMediaType: "application/octet-stream",
                  errors: [400, 403, 404]),
        Operation(method: "put", path: "/api/v1/s3/buckets/{bucket}/object", id: "uploadObject", tag: "storage",
                  summary: "Upload an object (the body; at most http.max_upload_mb; the plan's quota applies)",
                  query: [.init(name: "key", schema: objectKey, description: "The object's key", required: true)],
                  body: "The file", bodyMediaType: "application/octet-stream", response: "StorageObject", errors: [400, 403, 404, 413]),
        Operation(method: "delete", path: "/api/v1/s3/buckets/{bucket}/object", id: "deleteStorageObject", tag: "storage",
                  summary: "Delete an object",
                  query: [.init(name: "key", schema: objectKey, description: "The object's key", required: true)],
                  status: 204, errors: [400, 403, 404]),
    ] + media

    /// Product images and business logos (the picture's bytes are the body).
    static let media: [Operation] = [
        Operation(method: "put", path: "/api/v1/products/{id}/image", id: "putProductImage", tag: "catalog",
                  summary: "Set the product's image (its business's members, tenant admins); at most 10 MiB",
                  body: "The picture: JPEG, PNG, WebP or GIF, with its own Content-Type", bodyMediaType: "image/*",
                  response: "Media", errors: [400, 403, 404, 413, 415]),
        Operation(method: "get", path: "/api/v1/products/{id}/image", id: "getProductImage", tag: "catalog",
                  summary: "The product's image, with ETag, Last-Modified, Cache-Control and Range support",
                  responseSchema: Schema.string("The picture", format: "binary"), responseMediaType: "image/*", errors: [404, 416],
                  also: Operation.downloadAnswers("image/*")),
        Operation(method: "get", path: "/api/v1/products/{id}/image-info", id: "getProductImageInfo", tag: "catalog",
                  summary: "The product image's type, size and ETag, or null when it has none", response: "MediaInfo", errors: [404]),
        Operation(method: "delete", path: "/api/v1/products/{id}/image", id: "deleteProductImage", tag: "catalog",
                  summary: "Remove the product's image", status: 204, errors: [403, 404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/logo", id: "putBusinessLogo", tag: "businesses",
                  summary: "Set the business's logo (its managers, tenant admins); at most 10 MiB",
                  body: "The picture: JPEG, PNG, WebP or GIF, with its own Content-Type", bodyMediaType: "image/*",
                  response: "Media", errors: [400, 403, 404, 413, 415]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/logo", id: "getBusinessLogo", tag: "businesses",
                  summary: "The business's logo, with ETag, Last-Modified, Cache-Control and Range support",
                  responseSchema: Schema.string("The picture", format: "binary"), responseMediaType: "image/*", errors: [404, 416],
                  also: Operation.downloadAnswers("image/*")),
        Operation(method: "get", path: "/api/v1/businesses/{id}/logo-info", id: "getBusinessLogoInfo", tag: "businesses",
                  summary: "The business logo's type, size and ETag, or null when it has none", response: "MediaInfo", errors: [404]),
        Operation(method: "delete", path: "/api/v1/businesses/{id}/logo", id: "deleteBusinessLogo", tag: "businesses",
                  summary: "Remove the business's logo", status: 204, errors: [403, 404]),
    ]
}

extension Operations {
    /// An object key: 1 to 1024 bytes of UTF-8 (at most 1024 characters), no control characters
    /// (the API's URLs carry none), no ".." segment.
    static let objectKey = Schema.line("At most 1024 bytes of UTF-8; no \"..\" segment", maxLength: 1024)
}

extension Components {
    static let storage: [(String, JSONValue)] = [
        ("S3Key", Schema.object([
            ("access_key", Schema.string("The access key id, e.g. TPABCDEFGHIJKLMNOPQR")), ("name", Schema.string()),
            ("created_by", Schema.string()), ("created_at", Schema.dateTime),
            ("last_used_at", Schema.nullable(Schema.dateTime)), ("revoked_at", Schema.nullable(Schema.dateTime)),
        ], required: ["access_key", "name", "created_by", "created_at"], closed: false)),
        ("S3KeyList", Schema.list(of: "S3Key")),
        ("S3KeyInput", Schema.object([("name", Schema.line(maxLength: 100))], required: ["name"])),
        ("S3KeyCreated", Schema.object([
            ("key", Schema.ref("S3Key")), ("secret", Schema.string("The secret access key, shown once")),
        ], required: ["key", "secret"], closed: false)),
        ("Media", Schema.object([
            ("kind", Schema.string(values: ["product_image", "business_logo"])), ("owner_id", Schema.id),
            ("content_type", Schema.string()), ("size", Schema.integer()), ("etag", Schema.string()), ("modified_at", Schema.dateTime),
        ], required: ["kind", "owner_id", "content_type", "size", "etag", "modified_at"], closed: false)),
        ("StorageObject", Schema.object([
            ("key", Schema.string()), ("size", Schema.integer()), ("etag", Schema.string()),
            ("content_type", Schema.string()), ("modified_at", Schema.dateTime),
        ], required: ["key", "size", "etag", "content_type", "modified_at"], closed: false)),
        ("BucketFolder", Schema.object([
            ("items", Schema.array(Schema.ref("StorageObject"))), ("prefixes", Schema.array(Schema.string())),
            ("next_cursor", Schema.nullable(Schema.string())),
        ], required: ["items", "prefixes"], closed: false)),
        ("MediaInfo", Schema.object([("media", Schema.nullable(Schema.ref("Media")))], required: ["media"], closed: false)),
        ("StorageUsage", Schema.object([
            ("buckets", Schema.array(Schema.object([
                ("name", Schema.string()), ("created_at", Schema.dateTime),
                ("object_count", Schema.integer()), ("byte_count", Schema.integer()),
            ], required: ["name", "created_at", "object_count", "byte_count"], closed: false))),
            ("used_bytes", Schema.integer("Objects plus parts of unfinished multipart uploads")),
            ("quota_bytes", Schema.nullable(Schema.integer("The plan's storage quota; null means none"))),
        ], required: ["buckets", "used_bytes"], closed: false)),
    ]
}
