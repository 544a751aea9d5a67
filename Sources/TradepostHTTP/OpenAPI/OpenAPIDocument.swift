import TradepostCore

/// Builds the OpenAPI 3.1 document from `Operations` and `Components`.
enum OpenAPIDocument {
    static func build(version: String) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        var order: [String] = []
        var grouped: [String: [(String, JSONValue)]] = [:]
        for op in Operations.all {
            if grouped[op.path] == nil { order.append(op.path) }
            grouped[op.path, default: []].append((op.method, operation(op)))
        }
        for path in order { paths.append((path, .object(grouped[path]!))) }
        return .object([
            ("openapi", "3.1.0"),
            ("info", .object([
                ("title", "Tradepost API"),
                ("version", .string(version)),
                ("description", .string("""
                    B2B trade for small distributors. JSON under /api/v1; errors are RFC 9457 problems \
                    (application/problem+json). Authenticate with Authorization: Bearer <session or API token>, \
                    or the session cookie plus X-CSRF-Token on unsafe methods. Lists take ?limit= and ?cursor=.
                    """)),
            ])),
            ("paths", .object(paths)),
            ("components", .object([
                ("schemas", .object(Components.schemas)),
                ("securitySchemes", .object([
                    ("bearer", .object([("type", "http"), ("scheme", "bearer"),
                                        ("description", "A session token (tps_…) or a personal API token (tpt_…)")])),
                    ("cookie", .object([("type", "apiKey"), ("in", "cookie"), ("name", "tp_session")])),
                ])),
            ])),
            ("security", [.object([("bearer", [])]), .object([("cookie", [])])]),
        ])
    }

    static func operation(_ op: Operation) -> JSONValue {
        var out: [(String, JSONValue)] = [
            ("operationId", .string(op.id)),
            ("tags", [.string(op.tag)]),
            ("summary", .string(op.summary)),
        ]
        var parameters: [JSONValue] = op.pathParameters.map { name in
            .object([("name", .string(name)), ("in", "path"), ("required", true), ("schema", pathSchema(name, in: op.path))])
        }
        parameters += op.query.map { p in
            .object([("name", .string(p.name)), ("in", "query"), ("required", .bool(p.required)), ("description", .string(p.description)), ("schema", p.schema)])
        }
        if op.idempotent {
            parameters.append(.object([
                ("name", "Idempotency-Key"), ("in", "header"), ("required", false),
                ("description", .string(Self.idempotencyKeyDescription)),
                ("schema", Schema.string(minLength: 1, maxLength: 255)),
            ]))
        }
        if !parameters.isEmpty { out.append(("parameters", .array(parameters))) }
        if let body = op.body {
            let schema = op.bodyMediaType == "application/json" ? Schema.ref(body) : Schema.string(body, format: "binary")
            out.append(("requestBody", .object([
                ("required", .bool(!op.bodyOptional)),
                ("content", .object([(op.bodyMediaType, .object([("schema", schema)]))])),
            ])))
        }
        var responses: [(String, JSONValue)] = []
        let schema = op.response.map(Schema.ref) ?? op.responseSchema
        let mediaType = op.path == "/metrics" ? "text/plain" : op.responseMediaType
        var success: [(String, JSONValue)] = [("description", op.status == 204 ? "Done" : "OK")]
        if let schema { success.append(("content", .object([(mediaType, .object([("schema", schema)]))]))) }
        responses.append((String(op.status), .object(success)))
        for extra in op.also {
            var answer: [(String, JSONValue)] = [("description", .string(extra.description))]
            if let schema = extra.schema { answer.append(("content", .object([(extra.mediaType, .object([("schema", schema)]))]))) }
            responses.append((String(extra.status), .object(answer)))
        }
        // Every route refuses a URL that is not UTF-8 text, and documented query rules (RequestTargetMiddleware, DocumentedRequestMiddleware).
        var errors = Set(op.errors).union(op.idempotent ? [400, 422] : [400])
        // A tenant's database this binary refuses (see `tradepost doctor`) answers 503 wherever it is read.
        if op.path.hasPrefix("/api/v1/") { errors.insert(503) }
        switch op.access {
        case .open: break
        case .signedIn: errors.formUnion([401, 403])
        case .tenantUser, .platformAdmin: errors.formUnion([401, 403])
        }
        if op.body != nil { errors.formUnion([400, 413, 415]) }
        for code in errors.sorted() where !op.also.contains(where: { $0.status == code }) {
            responses.append((String(code), .object([
                ("description", .string(Problem.title(problemCode(code)))),
                ("content", .object([("application/problem+json", .object([("schema", Schema.ref("Problem"))]))])),
            ])))
        }
        out.append(("responses", .object(responses)))
        if op.access == .open { out.append(("security", [])) }
        return .object(out)
    }

    static let idempotencyKeyDescription = "Any unique string (a UUID): a retry with the same key and the same request gets the first "
        + "answer and changes nothing again; the same key with a different request is refused (422). Keys are the caller's own and live a day."

    /// What a path segment holds: an id, except a job's number, a bucket's name and a queue's name.
    static func pathSchema(_ name: String, in path: String) -> JSONValue {
        switch name {
        case "id" where path.hasPrefix("/api/v1/jobs/"): Schema.integer("The job's number", minimum: 1)
        case "id", "user_id": Schema.id
        case "bucket": Schema.string("An S3 bucket name", minLength: 3, maxLength: 63, pattern: "^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
        default: Schema.line(maxLength: 100)
        }
    }

    private static func problemCode(_ status: Int) -> AppError.Code {
        AppError.Code.allCases.first { Problem.status($0).code == status } ?? .internalError
    }
}
