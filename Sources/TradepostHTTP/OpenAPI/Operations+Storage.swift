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
    ]
}

extension Components {
    static let storage: [(String, JSONValue)] = [
        ("S3Key", Schema.object([
            ("access_key", Schema.string("The access key id, e.g. TPABCDEFGHIJKLMNOPQR")), ("name", Schema.string()),
            ("created_by", Schema.string()), ("created_at", Schema.dateTime),
            ("last_used_at", Schema.nullable(Schema.dateTime)), ("revoked_at", Schema.nullable(Schema.dateTime)),
        ], required: ["access_key", "name", "created_by", "created_at"], closed: false)),
        ("S3KeyList", Schema.list(of: "S3Key")),
        ("S3KeyInput", Schema.object([("name", Schema.string(maxLength: 100))], required: ["name"])),
        ("S3KeyCreated", Schema.object([
            ("key", Schema.ref("S3Key")), ("secret", Schema.string("The secret access key, shown once")),
        ], required: ["key", "secret"], closed: false)),
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
