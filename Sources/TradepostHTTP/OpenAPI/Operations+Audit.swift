import TradepostCore

/// The audit trails (read-only; entries are written by the changes they record).
extension Operations {
    static let auditFilters: [Operation.Parameter] = Operation.paging + [
        .init(name: "action", schema: Schema.string(maxLength: 100), description: "An action (auth.login) or a family ending in a dot (product.)"),
        .init(name: "actor", schema: Schema.string(), description: "Actor id (user:…, platform:…, cli, system) or name"),
        .init(name: "target", schema: Schema.string(), description: "The id the entry is about"),
        .init(name: "since", schema: Schema.string(), description: "From this date (2026-11-21) or ISO 8601 time"),
        .init(name: "until", schema: Schema.string(), description: "Before this date or time"),
    ]

    static let audit: [Operation] = [
        Operation(method: "get", path: "/api/v1/audit", id: "listAudit", tag: "audit",
                  summary: "The tenant's audit trail, newest first, filtered and cursor-paged (tenant admins)",
                  query: auditFilters, response: "AuditEntryList", errors: [400, 403]),
        Operation(method: "get", path: "/api/v1/audit/verify", id: "verifyAudit", tag: "audit",
                  summary: "Recompute the tenant trail's hash chain: problems name every edited or deleted entry (tenant admins)",
                  response: "AuditVerification", errors: [403]),
        Operation(method: "get", path: "/api/v1/admin/audit", id: "listPlatformAudit", tag: "audit",
                  summary: "The platform's audit trail (tenants, platform admins), newest first (platform admins)",
                  access: .platformAdmin, query: auditFilters, response: "AuditEntryList", errors: [400, 403]),
        Operation(method: "get", path: "/api/v1/admin/audit/verify", id: "verifyPlatformAudit", tag: "audit",
                  summary: "Recompute the platform trail's hash chain (platform admins)", access: .platformAdmin, response: "AuditVerification", errors: [403]),
    ]
}

extension Components {
    static let audit: [(String, JSONValue)] = [
        ("AuditEntry", Schema.object([
            ("id", Schema.integer()), ("at", Schema.dateTime),
            ("actor", Schema.string("user:<id>, platform:<id>, cli or system")), ("actor_label", Schema.nullable(Schema.string())),
            ("ip", Schema.nullable(Schema.string("The client address"))), ("action", Schema.string("e.g. auth.login, product.update")),
            ("target", Schema.nullable(Schema.string("The id of what the action was about"))),
            ("target_label", Schema.nullable(Schema.string("Its name today; null when it has none or was deleted"))),
            ("detail", Schema.nullable(Schema.object([], closed: false, description: "Before and after values of security-relevant changes"))),
            ("hash", Schema.nullable(Schema.string("SHA-256 over the previous entry's hash and this entry"))),
        ], required: ["id", "at", "actor", "action"], closed: false)),
        ("AuditEntryList", Schema.list(of: "AuditEntry")),
        ("AuditVerification", Schema.object([
            ("entries", Schema.integer()), ("sealed", Schema.integer()),
            ("unsealed", Schema.integer("Entries from before the chain existed, sealed by the next audited change")),
            ("problems", Schema.array(Schema.string(), "Each edited or deleted entry found")), ("ok", Schema.boolean()),
        ], required: ["entries", "sealed", "unsealed", "problems", "ok"], closed: false)),
    ]
}
