/// The one error type services throw. The HTTP layer maps `Code` to a status in exactly one place
/// (`ProblemMiddleware`); anything that is not an `AppError` is reported as an internal error and
/// its details are logged, never shown.
public struct AppError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The input is malformed or fails validation (400).
        case invalid = "invalid"
        /// No credential, or the credential is not valid (401).
        case unauthenticated = "unauthenticated"
        /// The credential is valid but the action is not permitted (403).
        case forbidden = "forbidden"
        /// The tenant is suspended; its data is intact but nobody may use it (403).
        case tenantSuspended = "tenant_suspended"
        /// The thing does not exist, or exists in another tenant (404).
        case notFound = "not_found"
        /// The method is not allowed on this resource (405).
        case methodNotAllowed = "method_not_allowed"
        /// The change conflicts with the current state, e.g. a duplicate (409).
        case conflict = "conflict"
        /// The transition is not allowed from the state the object is in; `state` names it (409).
        case invalidState = "invalid_state"
        /// Fewer units are available than asked for; `available` says how many (409).
        case insufficientStock = "insufficient_stock"
        /// Prices changed since the buyer saw them; `total` is the new one (409).
        case priceChanged = "price_changed"
        /// An `Idempotency-Key` already used for a different request (422).
        case idempotencyKeyReused = "idempotency_key_reused"
        /// Well-formed, but what it names cannot be used as given — an offer's lines (422), each named.
        case unprocessable = "unprocessable"
        /// The request body is larger than allowed (413).
        case payloadTooLarge = "payload_too_large"
        /// The request's headers are larger than the server reads (431).
        case headersTooLarge = "headers_too_large"
        /// The request body is not in a supported media type (415).
        case unsupportedMediaType = "unsupported_media_type"
        /// Too many attempts; retry after `retryAfter` seconds (429).
        case rateLimited = "rate_limited"
        /// Something broke on our side; details are in the log (500).
        case internalError = "internal"
        /// A dependency (disk, database) is not available right now (503).
        case unavailable = "unavailable"
    }

    /// One problem with one input field, e.g. `{"field": "email", "message": "is not an email address"}`.
    public struct FieldError: Sendable, Equatable, Codable {
        public var field: String
        public var message: String
        public init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }

    public var code: Code
    /// A human-readable explanation that is safe to show to the client.
    public var message: String
    public var fields: [FieldError]
    /// Seconds until a rate-limited request may be retried.
    public var retryAfter: Int?
    /// What an operator needs to know and a client must not see (a refused database's reason):
    /// logged where the error becomes a response, never sent.
    public var cause: String?
    /// Facts a client acts on, sent as extension members of the problem (`state`, `available`, …).
    public var members: [Member]

    /// One extension member of a problem document: a name and a text or integer value.
    public struct Member: Sendable, Equatable {
        public var name: String
        public var text: String?
        public var integer: Int64?
        public init(_ name: String, _ text: String) { (self.name, self.text, self.integer) = (name, text, nil) }
        public init(_ name: String, _ integer: Int64) { (self.name, self.text, self.integer) = (name, nil, integer) }
    }

    public init(_ code: Code, _ message: String, fields: [FieldError] = [], retryAfter: Int? = nil, cause: String? = nil,
                members: [Member] = []) {
        self.code = code
        self.message = message
        self.fields = fields
        self.retryAfter = retryAfter
        self.cause = cause
        self.members = members
    }

    /// A database this binary refuses to open (newer, an edited migration, a misplaced file).
    public static func databaseRefused(_ reason: String) -> AppError {
        AppError(.unavailable, "This tenant's data cannot be opened by this server; an administrator can run `tradepost doctor` to see why",
                 cause: reason)
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func invalid(_ message: String, fields: [FieldError] = []) -> AppError {
        AppError(.invalid, message, fields: fields)
    }
    public static func invalidField(_ field: String, _ message: String) -> AppError {
        AppError(.invalid, "\(field) \(message)", fields: [FieldError(field, message)])
    }
    public static func notFound(_ what: String) -> AppError { AppError(.notFound, "\(what) not found") }
    public static func conflict(_ message: String) -> AppError { AppError(.conflict, message) }
    public static func forbidden(_ message: String = "You are not allowed to do this") -> AppError {
        AppError(.forbidden, message)
    }
    /// `action` is not allowed while the object is `state` (409, the state named).
    public static func invalidState(_ state: String, _ action: String) -> AppError {
        AppError(.invalidState, "Cannot \(action) while it is \(state)", members: [Member("state", state)])
    }
    /// Only `available` units of `what` can be had (409).
    public static func insufficientStock(_ what: String, available: Int64, requested: Int64) -> AppError {
        AppError(.insufficientStock, "Only \(available) of \(what) available, \(requested) asked for",
                 members: [Member("available", available), Member("requested", requested)])
    }
    public static let idempotencyKeyReused = AppError(
        .idempotencyKeyReused, "This Idempotency-Key was already used for a different request; use a new key for a new request")
    public static let unauthenticated = AppError(.unauthenticated, "Authentication is required")
    public static func internalError(_ message: String = "Internal error") -> AppError {
        AppError(.internalError, message)
    }
}
