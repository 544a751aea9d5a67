import TradepostCore

/// Every endpoint of the API. A test compares this list with the routes the router really has.
enum Operations {
    static var all: [Operation] { meta + auth + account + users + businesses + platform + jobs + catalog + stock + orders + proposals + promos + fulfilment + returns + talk + notify + channels + telegram + inbox + search + storage + audit + backups }

    static let meta: [Operation] = [
        Operation(method: "get", path: "/healthz", id: "health", tag: "meta", summary: "The process is alive", access: .open, response: "Health"),
        Operation(method: "get", path: "/readyz", id: "readiness", tag: "meta",
                  summary: "Ready to serve: the control database takes writes and the disk has room", access: .open,
                  response: "Readiness",
                  also: [.init(status: 503, description: "Not ready: the failing checks say why", schema: Schema.ref("Readiness"))]),
        Operation(method: "get", path: "/metrics", id: "metrics", tag: "meta", summary: "Prometheus metrics (text format)",
                  access: .open, responseSchema: Schema.string()),
        Operation(method: "get", path: "/api/openapi.json", id: "openapi", tag: "meta", summary: "This document", access: .open,
                  responseSchema: Schema.object([], closed: false)),
    ]

    static let auth: [Operation] = [
        Operation(method: "post", path: "/api/v1/auth/login", id: "login", tag: "auth",
                  summary: "Log in with tenant slug, email and password (no tenant: platform admin)", access: .open,
                  body: "LoginRequest", response: "LoginResponse", errors: [400, 401, 403, 429]),
        Operation(method: "post", path: "/api/v1/auth/logout", id: "logout", tag: "auth",
                  summary: "End the current session (if any) and clear the cookie", access: .open, status: 204),
        Operation(method: "get", path: "/api/v1/auth/session", id: "currentSession", tag: "auth",
                  summary: "The signed-in caller, or null (never 401: for clients checking whether they are signed in)",
                  access: .open, response: "SessionState", errors: [403]),
    ]

    static let account: [Operation] = [
        Operation(method: "get", path: "/api/v1/me", id: "getMe", tag: "account", summary: "Who I am and what I may do",
                  access: .signedIn, response: "Me"),
        Operation(method: "patch", path: "/api/v1/me", id: "updateMe", tag: "account", summary: "Change my name or language",
                  body: "MeUpdate", response: "Me", errors: [400]),
        Operation(method: "post", path: "/api/v1/me/password", id: "changePassword", tag: "account",
                  summary: "Change my password (ends my other sessions and tokens)", access: .signedIn, body: "PasswordChange",
                  status: 204, errors: [400]),
        Operation(method: "get", path: "/api/v1/me/sessions", id: "listSessions", tag: "account", summary: "My live sessions",
                  access: .signedIn, response: "SessionList"),
        Operation(method: "delete", path: "/api/v1/me/sessions/{id}", id: "revokeSession", tag: "account",
                  summary: "End one of my sessions", access: .signedIn, status: 204, errors: [404]),
        Operation(method: "get", path: "/api/v1/me/tokens", id: "listTokens", tag: "account", summary: "My API tokens",
                  access: .signedIn, response: "APITokenList"),
        Operation(method: "post", path: "/api/v1/me/tokens", id: "createToken", tag: "account",
                  summary: "Create an API token (the secret is shown once)", access: .signedIn, body: "NewAPIToken", status: 201,
                  response: "CreatedAPIToken", errors: [400]),
        Operation(method: "delete", path: "/api/v1/me/tokens/{id}", id: "revokeToken", tag: "account",
                  summary: "Revoke one of my API tokens", access: .signedIn, status: 204, errors: [404]),
        Operation(method: "get", path: "/api/v1/tenant", id: "getTenant", tag: "account", summary: "My tenant", response: "Tenant"),
    ]

    static let users: [Operation] = [
        Operation(method: "get", path: "/api/v1/users", id: "listUsers", tag: "users", summary: "The users of my tenant",
                  query: Operation.paging + [
                    .init(name: "q", schema: Schema.string(), description: "Part of a name or email"),
                    .init(name: "role", schema: Schema.enumeration(TenantRole.self), description: "Only this role"),
                  ], response: "UserList", errors: [400]),
        Operation(method: "post", path: "/api/v1/users", id: "createUser", tag: "users", summary: "Add a user (tenant admins)",
                  body: "NewUser", status: 201, response: "CreatedUser", errors: [400, 409]),
        Operation(method: "get", path: "/api/v1/users/{id}", id: "getUser", tag: "users", summary: "One user", response: "User",
                  errors: [404]),
        Operation(method: "patch", path: "/api/v1/users/{id}", id: "updateUser", tag: "users",
                  summary: "Change a user's name, role, kind or disabled flag (tenant admins)", body: "UserUpdate", response: "User",
                  errors: [400, 404, 409]),
        Operation(method: "post", path: "/api/v1/users/{id}/password", id: "setUserPassword", tag: "users",
                  summary: "Set a user's password (tenant admins; ends their sessions)", body: "SetPassword", status: 204,
                  errors: [400, 404]),
    ]

    static let businesses: [Operation] = [
        Operation(method: "get", path: "/api/v1/businesses", id: "listBusinesses", tag: "businesses",
                  summary: "The businesses of my tenant",
                  query: Operation.paging + [
                    .init(name: "q", schema: Schema.string(), description: "Words to search for in the name, city, address and description: every word must match (stemmed, up to two typos, the last one as a prefix); results come best first, and the cursor is then an offset"),
                    .init(name: "verified", schema: Schema.boolean(), description: "Only verified (true) or unverified (false) businesses"),
                    .init(name: "type", schema: Schema.enumeration(BusinessType.self), description: "Only this type"),
                    .init(name: "city", schema: Schema.string(), description: "Only this city"),
                  ], response: "BusinessList", errors: [400]),
        Operation(method: "post", path: "/api/v1/businesses", id: "createBusiness", tag: "businesses",
                  summary: "Add a business (tenant admins)", body: "NewBusiness", status: 201, response: "Business", errors: [400]),
        Operation(method: "get", path: "/api/v1/businesses/{id}", id: "getBusiness", tag: "businesses", summary: "One business",
                  response: "Business", errors: [404]),
        Operation(method: "patch", path: "/api/v1/businesses/{id}", id: "updateBusiness", tag: "businesses",
                  summary: "Edit a business (tenant admins, or its managers)", body: "BusinessUpdate", response: "Business",
                  errors: [400, 404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/verification", id: "verifyBusiness", tag: "businesses",
                  summary: "Mark a business verified or not (tenant admins); audited", body: "Verification", response: "Business",
                  errors: [400, 404]),
        Operation(method: "get", path: "/api/v1/businesses/{id}/members", id: "listBusinessMembers", tag: "businesses",
                  summary: "Who works in a business", response: "BusinessMemberList", errors: [404]),
        Operation(method: "put", path: "/api/v1/businesses/{id}/members/{user_id}", id: "setBusinessMember", tag: "businesses",
                  summary: "Add a member or change their role", body: "MemberRole", response: "BusinessMember", errors: [400, 404]),
        Operation(method: "delete", path: "/api/v1/businesses/{id}/members/{user_id}", id: "removeBusinessMember",
                  tag: "businesses", summary: "Remove a member", status: 204, errors: [404]),
    ]

    static let platform: [Operation] = [
        Operation(method: "get", path: "/api/v1/admin/plans", id: "listPlans", tag: "platform", summary: "Plans",
                  access: .platformAdmin, response: "PlanList"),
        Operation(method: "get", path: "/api/v1/admin/tenants", id: "listTenants", tag: "platform", summary: "Tenants",
                  access: .platformAdmin,
                  query: Operation.paging + [.init(name: "status", schema: Schema.enumeration(TenantStatus.self), description: "Only this status")],
                  response: "TenantList", errors: [400]),
        Operation(method: "post", path: "/api/v1/admin/tenants", id: "createTenant", tag: "platform",
                  summary: "Create a tenant, its database and optionally its first owner", access: .platformAdmin, body: "NewTenant",
                  status: 201, response: "CreatedTenant", errors: [400, 409]),
        Operation(method: "get", path: "/api/v1/admin/tenants/{id}", id: "getTenantById", tag: "platform", summary: "One tenant",
                  access: .platformAdmin, response: "Tenant", errors: [404]),
        Operation(method: "patch", path: "/api/v1/admin/tenants/{id}", id: "updateTenant", tag: "platform",
                  summary: "Rename a tenant, change its plan or time zone", access: .platformAdmin, body: "TenantUpdate",
                  response: "Tenant", errors: [400, 404]),
        Operation(method: "post", path: "/api/v1/admin/tenants/{id}/suspend", id: "suspendTenant", tag: "platform",
                  summary: "Suspend a tenant: its users get 403, its data stays", access: .platformAdmin, response: "Tenant",
                  errors: [404]),
        Operation(method: "post", path: "/api/v1/admin/tenants/{id}/resume", id: "resumeTenant", tag: "platform",
                  summary: "Resume a suspended tenant", access: .platformAdmin, response: "Tenant", errors: [404]),
        Operation(method: "get", path: "/api/v1/admin/tenants/{id}/users", id: "listTenantUsers", tag: "platform",
                  summary: "A tenant's users", access: .platformAdmin, query: Operation.paging, response: "UserList", errors: [404]),
        Operation(method: "post", path: "/api/v1/admin/tenants/{id}/users", id: "createTenantUser", tag: "platform",
                  summary: "Add a user to a tenant (e.g. its owner)", access: .platformAdmin, body: "NewUser", status: 201,
                  response: "CreatedUser", errors: [400, 404, 409]),
    ]

    static let jobs: [Operation] = [
        Operation(method: "get", path: "/api/v1/jobs/stats", id: "jobStats", tag: "jobs",
                  summary: "Jobs by queue and state (tenant admins: their tenant's; platform admins: all)", access: .signedIn,
                  response: "QueueStatsList", errors: [403]),
        Operation(method: "get", path: "/api/v1/jobs", id: "listJobs", tag: "jobs", summary: "Jobs, newest first", access: .signedIn,
                  query: Operation.paging + [
                    .init(name: "state", schema: Schema.enumeration(JobState.self), description: "Only this state"),
                    .init(name: "queue", schema: Schema.string(), description: "Only this queue"),
                    .init(name: "type", schema: Schema.string(), description: "Only this job type"),
                    .init(name: "failing", schema: Schema.boolean(), description: "Only jobs that failed (retrying or discarded)"),
                  ], response: "JobList", errors: [400, 403]),
        Operation(method: "get", path: "/api/v1/jobs/{id}", id: "getJob", tag: "jobs", summary: "One job, with its last error",
                  access: .signedIn, response: "Job", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/jobs/{id}/retry", id: "retryJob", tag: "jobs",
                  summary: "Run a discarded, cancelled or waiting job again now, with fresh attempts", access: .signedIn,
                  response: "Job", errors: [403, 404, 409]),
        Operation(method: "post", path: "/api/v1/jobs/{id}/discard", id: "discardJob", tag: "jobs", summary: "Give up on a waiting job",
                  access: .signedIn, response: "Job", errors: [403, 404, 409]),
        Operation(method: "post", path: "/api/v1/jobs/{id}/cancel", id: "cancelJob", tag: "jobs",
                  summary: "Cancel a waiting job, or ask a running one to stop", access: .signedIn, response: "Job", errors: [403, 404, 409]),
        Operation(method: "post", path: "/api/v1/admin/jobs", id: "enqueueJob", tag: "jobs",
                  summary: "Start a job of a type that may be run by hand (answers once it is durably queued)", access: .platformAdmin,
                  body: "NewJob", status: 201, response: "Job", errors: [400]),
        Operation(method: "post", path: "/api/v1/admin/queues/{queue}/pause", id: "pauseQueue", tag: "jobs",
                  summary: "Stop handing out a queue's jobs (running ones finish)", access: .platformAdmin, response: "QueueStats",
                  errors: [404]),
        Operation(method: "post", path: "/api/v1/admin/queues/{queue}/resume", id: "resumeQueue", tag: "jobs", summary: "Resume a queue",
                  access: .platformAdmin, response: "QueueStats", errors: [404]),
        Operation(method: "get", path: "/api/v1/live", id: "live", tag: "jobs",
                  summary: "WebSocket (send {\"subscribe\": \"jobs\"}; receive {\"type\": \"jobs.changed\", \"items\": [QueueStats]}). "
                    + "Answers 400 to a plain GET.",
                  access: .signedIn, status: 101, errors: [400, 403]),
    ]
}
