import Hummingbird
import NIOCore
import TradepostCore

/// Holds every request to what the OpenAPI document says of its operation: query parameters
/// (their types, ranges, lengths and which are required) and a JSON body (its schema, through
/// `SchemaValidator`). A request the document forbids is refused with 400, every bad field
/// named, before its route runs; so the document cannot promise less than the server checks, nor
/// the server accept what the document forbids. Who may call comes first, as the document's
/// security says: no credential is 401 and a platform operation called by a tenant user is 403
/// before any field is looked at (the routes then decide the finer permissions).
struct DocumentedRequestMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// What is checked of one operation.
    struct Rules: Sendable {
        var access: Operation.Access
        var query: [Operation.Parameter]
        var body: JSONValue?
    }

    /// By the route's path — the router reports a route's endpoint as the document writes it
    /// (`/api/v1/products/{id}`; a unit test holds them together) — then by method: two hash
    /// lookups, nothing built per request.
    let rules: [String: [String: Rules]]
    let validator: SchemaValidator
    let maxBody: Int

    init(operations: [Operation], components: [(String, JSONValue)], maxBody: Int) {
        var rules: [String: [String: Rules]] = [:]
        for op in operations {
            let body = op.body.flatMap { op.bodyMediaType == "application/json" ? Schema.ref($0) : nil }
            rules[op.path, default: [:]][op.method.uppercased()] = Rules(access: op.access, query: op.query, body: body)
        }
        self.rules = rules
        self.validator = SchemaValidator(components: components)
        self.maxBody = maxBody
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let endpoint = context.endpointPath, let rule = rules[endpoint]?[request.method.rawValue] else {
            return try await next(request, context)
        }
        switch rule.access {
        case .open: break
        case .signedIn, .tenantUser: _ = try context.requirePrincipal()
        case .platformAdmin:
            guard try context.requirePrincipal().kind == .platformAdmin else { throw AppError.forbidden() }
        }
        var fields = queryErrors(request, rule.query)
        var request = request
        if let schema = rule.body, Self.isJSON(request) {
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maxBody)
            } catch is NIOTooManyBytesError {
                throw AppError(.payloadTooLarge, "The body is larger than \(maxBody) bytes")
            }
            request.body = .init(buffer: buffer)
            // Malformed JSON and a body that is not an object are the route's to name.
            if let value = try? JSONCoding.decoder.decode(JSONValue.self, from: buffer), case .object = value {
                fields += validator.errors(value, against: schema)
            }
        }
        guard fields.isEmpty else {
            throw AppError.invalid(fields.count == 1 ? "\(fields[0].field) \(fields[0].message)" : "The request has invalid fields", fields: fields)
        }
        return try await next(request, context)
    }

    private func queryErrors(_ request: Request, _ parameters: [Operation.Parameter]) -> [AppError.FieldError] {
        guard !parameters.isEmpty else { return [] }
        let given = request.uri.queryParameters
        var fields: [AppError.FieldError] = []
        for parameter in parameters {
            guard let raw = given[parameter.name[...]] else {
                if parameter.required { fields.append(.init(parameter.name, "is required")) }
                continue
            }
            guard let value = Self.typed(String(raw), parameter.schema) else {
                fields.append(.init(parameter.name, Self.typeWords(parameter.schema)))
                continue
            }
            fields += validator.errors(value, against: parameter.schema, at: parameter.name)
        }
        return fields
    }

    /// A query string's text as the JSON value its schema describes, or nil when it cannot be one.
    static func typed(_ raw: String, _ schema: JSONValue) -> JSONValue? {
        let type: String? = if case .string(let t) = schema["type"] ?? .null { t } else { nil }
        switch type {
        case "integer": return Int64(raw).map { .number(Double($0)) }
        case "number": return Double(raw).flatMap { $0.isFinite ? .number($0) : nil }
        case "boolean": return ["true": JSONValue.bool(true), "false": .bool(false)][raw]
        default: return .string(raw)
        }
    }

    static func typeWords(_ schema: JSONValue) -> String {
        switch schema["type"] {
        case .string("integer"): "must be an integer"
        case .string("number"): "must be a number"
        case .string("boolean"): "must be true or false"
        default: "is not valid"
        }
    }

    static func isJSON(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return type == "application/json" || type.hasSuffix("+json")
    }
}
