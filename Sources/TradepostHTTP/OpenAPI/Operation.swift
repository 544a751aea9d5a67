/// One documented endpoint.
struct Operation {
    enum Access {
        /// No credential needed.
        case open
        /// Any signed-in caller (platform admin or tenant user).
        case signedIn
        /// A tenant user; the tenant comes from the credential.
        case tenantUser
        /// A platform admin.
        case platformAdmin
    }

    struct Parameter {
        var name: String
        var schema: JSONValue
        var description: String
        /// The server answers 400 without it (the document says `required: true`).
        var required = false
    }

    var method: String
    var path: String
    var id: String
    var tag: String
    var summary: String
    var access: Access = .tenantUser
    var query: [Parameter] = []
    /// A schema name; with another media type than JSON, a description of the raw body.
    var body: String? = nil
    var bodyMediaType = "application/json"
    /// The body may be left out (a transition's optional reason).
    var bodyOptional = false
    var status: Int = 200
    /// A schema name, or nil for an empty response (204).
    var response: String? = nil
    var responseSchema: JSONValue? = nil
    var responseMediaType = "application/json"
    var errors: [Int] = []
    /// Takes an `Idempotency-Key` header: a retry with the same key gets the first answer (422 for the
    /// same key with another request).
    var idempotent = false
    /// Further answers that are not problems: 206 and 304 of a download, readyz's 503 report.
    var also: [Extra] = []

    struct Extra {
        var status: Int
        var description: String
        var schema: JSONValue? = nil
        var mediaType = "application/json"
    }

    /// A download's other answers: a range of it, and "not modified" for a matching ETag.
    static func downloadAnswers(_ mediaType: String) -> [Extra] {
        [Extra(status: 206, description: "The requested range", schema: Schema.string(format: "binary"), mediaType: mediaType),
         Extra(status: 304, description: "Not modified (If-None-Match or If-Modified-Since matched)")]
    }

    static let paging = [
        Parameter(name: "limit", schema: Schema.integer(minimum: 1, maximum: 200), description: "Items per page (default 50)"),
        Parameter(name: "cursor", schema: Schema.string(), description: "The next_cursor of the previous page"),
    ]

    /// Path parameters, from the `{name}` segments.
    var pathParameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}
