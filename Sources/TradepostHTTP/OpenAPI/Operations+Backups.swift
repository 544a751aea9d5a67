import TradepostCore

/// Restoring one tenant in the running server (whole-box snapshots and restores are CLI commands).
extension Operations {
    static let backups: [Operation] = [
        Operation(method: "post", path: "/api/v1/admin/tenants/{id}/restore", id: "restoreTenant", tag: "platform",
                  summary: "Put one tenant back to a single-tenant snapshot (tradepost tenant export): suspended, swapped, resumed; "
                      + "the replaced files are kept aside in the data dir (platform admins)",
                  access: .platformAdmin,
                  body: "The archive (Content-Type: application/x-tar), at most http.max_upload_mb", bodyMediaType: "application/x-tar",
                  response: "TenantRestoreResult", errors: [400, 403, 404, 409, 413, 415]),
    ]
}

extension Components {
    static let backups: [(String, JSONValue)] = [
        ("TenantRestoreResult", Schema.object([
            ("tenant", Schema.object([
                ("id", Schema.id), ("slug", Schema.string()), ("name", Schema.string()), ("status", Schema.string()),
                ("plan", Schema.string()), ("time_zone", Schema.string()),
            ], required: ["id", "slug", "name", "status", "plan", "time_zone"], closed: false)),
            ("replaced", Schema.boolean()),
            ("kept_aside", Schema.nullable(Schema.string("Where the replaced files are, inside the data dir"))),
            ("schema_version", Schema.integer("The tenant database's schema after migration")),
        ], required: ["tenant", "replaced", "schema_version"], closed: false)),
    ]
}
