import TradepostCore

/// The named schemas of the API, one per type that crosses the wire.
enum Components {
    static var schemas: [(String, JSONValue)] {
        identity + platform + jobs + catalog + trade + ordering + fulfilment + talk + notify + channels + telegram + inbox + storage + audit + backups + [
            ("Problem", Schema.object([
                ("type", Schema.string("Identifies the kind of problem")),
                ("title", Schema.string()),
                ("status", Schema.integer()),
                ("detail", Schema.string("What went wrong, for a person to read")),
                ("instance", Schema.string("The request path")),
                ("code", Schema.enumeration(AppError.Code.self, "The same kind of problem, as a short code")),
                ("request_id", Schema.string("Quote it when reporting a problem")),
                ("errors", Schema.array(Schema.object([("field", Schema.string()), ("message", Schema.string())],
                                                      required: ["field", "message"]), "One entry per bad field")),
                ("retry_after", Schema.integer("Seconds to wait (429 only)")),
                ("state", Schema.string("The object's current state (409 invalid_state)")),
                ("available", Schema.integer("Units that can still be had (409 insufficient_stock)")),
                ("requested", Schema.integer("Units asked for (409 insufficient_stock)")),
                ("reserved", Schema.integer("Units reserved for orders (409 insufficient_stock)")),
                ("total", Schema.string("The new total, a decimal string (409 price_changed)")),
            ], required: ["type", "title", "status", "detail", "code", "request_id"], closed: false,
               description: "An RFC 9457 problem, sent as application/problem+json")),
            ("Health", Schema.object([("status", Schema.string(values: ["ok"]))], required: ["status"], closed: false)),
            ("Readiness", Schema.object([
                ("status", Schema.string(values: ["ok", "unavailable"])),
                ("checks", Schema.array(Schema.object([("name", Schema.string()), ("ok", Schema.boolean()), ("detail", Schema.string())],
                                                      required: ["name", "ok", "detail"]))),
            ], required: ["status", "checks"], closed: false)),
        ]
    }

    static let user = Schema.object([
        ("id", Schema.id),
        ("email", Schema.string(format: "email")),
        ("name", Schema.string()),
        ("role", Schema.enumeration(TenantRole.self)),
        ("kind", Schema.enumeration(UserKind.self)),
        ("disabled", Schema.boolean()),
        ("locale", Schema.nullable(Schema.string(values: ["en", "ru", "uk"]))),
        ("created_at", Schema.dateTime),
        ("updated_at", Schema.dateTime),
        ("last_login_at", Schema.nullable(Schema.dateTime)),
    ], required: ["id", "email", "name", "role", "kind", "disabled", "created_at", "updated_at"], closed: false)

    static let email = Schema.line(minLength: 3, maxLength: 254, format: "email")
    static let password = Schema.string("8 characters or more, at most 72 bytes in UTF-8 (what bcrypt reads)", minLength: 8, maxLength: 72)

    static let businessFields: [(String, JSONValue)] = [
        ("name", Schema.line(maxLength: 160)),
        ("type", Schema.enumeration(BusinessType.self)),
        ("city", Schema.line(maxLength: 120)),
        ("address", Schema.nullable(Schema.line(minLength: 0, maxLength: 300))),
        ("phone", Schema.nullable(Schema.string("Digits, spaces and + - ( )", maxLength: 40, pattern: Patterns.phone))),
        ("email", Schema.nullable(Schema.line(minLength: 0, maxLength: 254, format: "email"))),
        ("website", Schema.nullable(Schema.line(minLength: 0, maxLength: 300))),
        ("description", Schema.nullable(Schema.text(maxLength: 4000))),
        ("latitude", Schema.nullable(.object([("type", "number"), ("minimum", -90), ("maximum", 90)]))),
        ("longitude", Schema.nullable(.object([("type", "number"), ("minimum", -180), ("maximum", 180)]))),
    ]

    static let identity: [(String, JSONValue)] = [
        ("User", user),
        ("UserList", Schema.list(of: "User")),
        ("NewUser", Schema.object([
            ("email", email),
            ("name", Schema.line(maxLength: 120)),
            ("password", Schema.string("Omit to have one generated and returned once; 8 characters or more, at most 72 bytes", minLength: 8, maxLength: 72)),
            ("role", Schema.enumeration(TenantRole.self, "Default member; only owners make owners")),
            ("kind", Schema.enumeration(UserKind.self, "Default member")),
        ], required: ["email", "name"])),
        ("CreatedUser", Schema.object([
            ("user", Schema.ref("User")),
            ("generated_password", Schema.string("Present when no password was given; shown once")),
        ], required: ["user"], closed: false)),
        ("UserUpdate", Schema.object([
            ("name", Schema.line(maxLength: 120)),
            ("role", Schema.enumeration(TenantRole.self)),
            ("kind", Schema.enumeration(UserKind.self)),
            ("disabled", Schema.boolean("Disabling ends the user's sessions and tokens")),
        ])),
        ("SetPassword", Schema.object([("password", password)], required: ["password"])),
        ("Business", Schema.object([("id", Schema.id)] + businessFields + [
            ("verified", Schema.boolean("Checked by a tenant admin")), ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
        ],
                                   required: ["id", "name", "type", "city", "created_at", "updated_at"], closed: false)),
        ("BusinessList", Schema.list(of: "Business")),
        ("NewBusiness", Schema.object(businessFields, required: ["name", "type", "city"], dependentRequired: coordinates,
                                      description: "Optional fields may be null or left out; latitude and longitude go together")),
        ("BusinessUpdate", Schema.object(businessFields, dependentRequired: coordinates,
                                         description: "A missing field stays as it is; null clears an optional one; latitude and longitude go together")),
        ("BusinessMember", Schema.object([
            ("business_id", Schema.id), ("user_id", Schema.id), ("role", Schema.enumeration(BusinessRole.self)),
            ("name", Schema.string()), ("email", Schema.string()), ("created_at", Schema.dateTime),
        ], required: ["business_id", "user_id", "role", "name", "email", "created_at"], closed: false)),
        ("BusinessMemberList", Schema.list(of: "BusinessMember")),
        ("Verification", Schema.object([("verified", Schema.boolean())], required: ["verified"])),
        ("MemberRole", Schema.object([("role", Schema.enumeration(BusinessRole.self))], required: ["role"])),
        ("LoginRequest", Schema.object([
            ("tenant", Schema.line("The tenant's slug; omit to log in as a platform admin", maxLength: 40)),
            ("email", Schema.line(maxLength: 254, format: "email")),
            ("password", Schema.string(minLength: 1, maxLength: 1024)),
            ("mode", Schema.string("token: return the token; cookie: set an HttpOnly session cookie", values: ["token", "cookie"])),
        ], required: ["email", "password"])),
        ("LoginResponse", Schema.object([
            ("token", Schema.string("The session token (token mode only): send it as Authorization: Bearer")),
            ("csrf_token", Schema.string("Cookie mode only: send it as X-CSRF-Token on unsafe requests")),
            ("session_id", Schema.id),
            ("expires_at", Schema.dateTime),
            ("me", Schema.ref("Me")),
        ], required: ["session_id", "expires_at", "me"], closed: false)),
        ("Me", Schema.object([
            ("id", Schema.id),
            ("kind", Schema.string(values: ["platform_admin", "tenant_user"])),
            ("email", Schema.string()),
            ("name", Schema.string()),
            ("role", Schema.enumeration(TenantRole.self)),
            ("user_kind", Schema.enumeration(UserKind.self)),
            ("locale", Schema.string()),
            ("tenant", Schema.object([("id", Schema.id), ("slug", Schema.string()), ("name", Schema.string())],
                                     required: ["id", "slug", "name"], closed: false)),
            ("scopes", Schema.array(Schema.enumeration(Scope.self))),
            ("permissions", Schema.array(Schema.enumeration(Action.self), "What the policy lets this caller do")),
            ("csrf_token", Schema.string("Present for cookie sessions")),
        ], required: ["id", "kind", "email", "name", "scopes", "permissions"], closed: false)),
        ("SessionState", Schema.object([("me", Schema.nullable(Schema.ref("Me")))], required: ["me"], closed: false)),
        ("MeUpdate", Schema.object([
            ("name", Schema.line(maxLength: 120)),
            ("locale", Schema.nullable(Schema.string(values: ["en", "ru", "uk"]))),
        ])),
        ("PasswordChange", Schema.object([("current_password", Schema.string(minLength: 1, maxLength: 1024)), ("new_password", password)],
                                         required: ["current_password", "new_password"])),
        ("Session", Schema.object([
            ("id", Schema.id), ("created_at", Schema.dateTime), ("expires_at", Schema.dateTime), ("last_seen_at", Schema.dateTime),
            ("ip", Schema.nullable(Schema.string())), ("user_agent", Schema.nullable(Schema.string())),
            ("current", Schema.boolean("The session making this request")),
        ], required: ["id", "created_at", "expires_at", "last_seen_at", "current"], closed: false)),
        ("SessionList", Schema.list(of: "Session")),
        ("APIToken", Schema.object([
            ("id", Schema.id), ("name", Schema.string()), ("scopes", Schema.array(Schema.enumeration(Scope.self))),
            ("created_at", Schema.dateTime), ("expires_at", Schema.dateTime), ("last_used_at", Schema.nullable(Schema.dateTime)),
            ("prefix", Schema.string("The token's first characters, to tell tokens apart")),
        ], required: ["id", "name", "scopes", "created_at", "expires_at", "prefix"], closed: false)),
        ("APITokenList", Schema.list(of: "APIToken")),
        ("NewAPIToken", Schema.object([
            ("name", Schema.line(maxLength: 80)),
            ("scopes", Schema.array(Schema.enumeration(Scope.self), minItems: 1)),
            ("expires_in_days", Schema.integer("Default 90", minimum: 1, maximum: NewAPIToken.maxDays)),
        ], required: ["name", "scopes"])),
        ("CreatedAPIToken", Schema.object([
            ("token", Schema.ref("APIToken")),
            ("secret", Schema.string("Shown once: send it as Authorization: Bearer")),
        ], required: ["token", "secret"], closed: false)),
    ]

    static let jobs: [(String, JSONValue)] = [
        ("Job", Schema.object([
            ("id", Schema.integer()), ("type", Schema.string()), ("queue", Schema.string()),
            ("tenant_id", Schema.nullable(Schema.id)), ("state", Schema.enumeration(JobState.self)),
            ("priority", Schema.integer()), ("attempts", Schema.integer()), ("max_attempts", Schema.integer()),
            ("run_at", Schema.dateTime), ("created_at", Schema.dateTime), ("started_at", Schema.nullable(Schema.dateTime)),
            ("finished_at", Schema.nullable(Schema.dateTime)), ("last_error", Schema.nullable(Schema.string())),
            ("unique_key", Schema.nullable(Schema.string())), ("cancel_requested", Schema.boolean()),
            ("payload", Schema.string("The payload as JSON text")),
        ], required: ["id", "type", "queue", "state", "priority", "attempts", "max_attempts", "run_at", "created_at", "cancel_requested", "payload"],
           closed: false)),
        ("JobList", Schema.list(of: "Job")),
        ("QueueStats", Schema.object([
            ("queue", Schema.string()), ("paused", Schema.boolean()), ("concurrency", Schema.integer()),
            ("pending", Schema.integer()), ("retrying", Schema.integer("Pending jobs that already failed")),
            ("running", Schema.integer()), ("succeeded", Schema.integer("All time")), ("discarded", Schema.integer("All time")),
            ("cancelled", Schema.integer("All time")), ("oldest_waiting_seconds", .object([("type", "number"), ("description", "Seconds the oldest due job has waited")])),
        ], required: ["queue", "paused", "concurrency", "pending", "retrying", "running", "succeeded", "discarded", "cancelled",
                      "oldest_waiting_seconds"], closed: false)),
        ("QueueStatsList", Schema.list(of: "QueueStats")),
        ("NewJob", Schema.object([
            ("type", Schema.line("A registered job type that may be run by hand", maxLength: 100)),
            ("payload", Schema.object([], closed: false, description: "The job's payload; checked against the type")),
            ("tenant_id", Schema.id), ("priority", Schema.integer("Higher runs first")),
            ("delay_seconds", Schema.integer(minimum: 0)), ("unique_key", Schema.line("A second enqueue with the same key is a no-op while the first is waiting or running", maxLength: 200)),
        ], required: ["type"])),
    ]

    static let tenant = Schema.object([
        ("id", Schema.id),
        ("slug", Schema.string(minLength: 2, maxLength: 40)),
        ("name", Schema.string()),
        ("status", Schema.enumeration(TenantStatus.self)),
        ("plan", Schema.string()),
        ("time_zone", Schema.string(example: "Europe/Kyiv")),
        ("created_at", Schema.dateTime),
        ("updated_at", Schema.dateTime),
    ], required: ["id", "slug", "name", "status", "plan", "time_zone", "created_at", "updated_at"], closed: false)

    static let platform: [(String, JSONValue)] = [
        ("Tenant", tenant),
        ("TenantList", Schema.list(of: "Tenant")),
        ("NewTenant", Schema.object([
            ("slug", Schema.string("Lowercase letters, digits and single hyphens, starting with a letter", minLength: 2, maxLength: 40,
                                   pattern: Patterns.slug)),
            ("name", Schema.line(maxLength: 120)),
            ("plan", Schema.line("Default standard", maxLength: 40)),
            ("time_zone", Schema.line("IANA zone, default UTC", maxLength: 64)),
            ("owner", Schema.object([
                ("email", email), ("name", Schema.line(maxLength: 120)),
                ("password", Schema.string("Omit to have one generated; 8 characters or more, at most 72 bytes", minLength: 8, maxLength: 72)),
            ], required: ["email", "name"])),
        ], required: ["slug", "name"])),
        ("CreatedTenant", Schema.object([("tenant", Schema.ref("Tenant")), ("owner", Schema.ref("CreatedUser"))],
                                        required: ["tenant"], closed: false)),
        ("TenantUpdate", Schema.object([("name", Schema.line(maxLength: 120)), ("plan", Schema.line(maxLength: 40)), ("time_zone", Schema.line(maxLength: 64))])),
        ("Plan", Schema.object([
            ("slug", Schema.string()), ("name", Schema.string()),
            ("max_users", Schema.nullable(Schema.integer())), ("storage_quota_bytes", Schema.nullable(Schema.integer())),
        ], required: ["slug", "name"], closed: false)),
        ("PlanList", Schema.list(of: "Plan")),
    ]
}

extension Components {
    /// A position is both coordinates or neither.
    static let coordinates = ["latitude": ["longitude"], "longitude": ["latitude"]]
}
