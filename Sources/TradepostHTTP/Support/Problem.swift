import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import TradepostCore

/// The one place errors become HTTP responses: RFC 9457 `application/problem+json`.
/// An `AppError` keeps its message; anything else is logged and reported as "Internal error".
enum Problem {
    static func status(_ code: AppError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalid: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden, .tenantSuspended: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict, .invalidState, .insufficientStock, .priceChanged: .conflict
        case .idempotencyKeyReused, .unprocessable: .unprocessableContent
        case .payloadTooLarge: .contentTooLarge
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .rateLimited: .tooManyRequests
        case .internalError: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    static func title(_ code: AppError.Code) -> String {
        switch code {
        case .invalid: "Invalid request"
        case .unauthenticated: "Authentication required"
        case .forbidden: "Forbidden"
        case .tenantSuspended: "Tenant suspended"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .conflict: "Conflict"
        case .invalidState: "Not allowed in this state"
        case .insufficientStock: "Insufficient stock"
        case .priceChanged: "Prices changed"
        case .idempotencyKeyReused: "Idempotency key reused"
        case .unprocessable: "Unprocessable content"
        case .payloadTooLarge: "Payload too large"
        case .headersTooLarge: "Request headers too large"
        case .unsupportedMediaType: "Unsupported media type"
        case .rateLimited: "Too many requests"
        case .internalError: "Internal error"
        case .unavailable: "Service unavailable"
        }
    }

    static func typeURI(_ code: AppError.Code) -> String { "tag:tradepost.app,2026:problem:\(code.rawValue)" }

    /// Converts any error into an `AppError` a client may see.
    static func appError(from error: any Error, method: HTTPRequest.Method, path: String, logger: Logger) -> AppError {
        switch error {
        case let error as AppError:
            if let cause = error.cause {
                logger.error("\(error.message)", metadata: ["code": "\(error.code.rawValue)", "cause": "\(cause)"])
            }
            return error
        case let error as BlobError:
            return appError(from: AppError(error), method: method, path: path, logger: logger)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return AppError(.notFound, "No endpoint \(method) \(path)")
            case .contentTooLarge: return AppError(.payloadTooLarge, "The body is too large")
            case .methodNotAllowed: return AppError(.methodNotAllowed, "Method \(method) is not allowed here")
            case .badRequest: return AppError.invalid(error.body ?? "Bad request")
            case .unauthorized: return AppError.unauthenticated
            case .forbidden: return AppError.forbidden()
            default:
                logger.error("HTTP error", metadata: ["status": "\(error.status.code)"])
                return AppError.internalError()
            }
        case is NIOTooManyBytesError:
            return AppError(.payloadTooLarge, "The body is too large")
        default:
            logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return AppError.internalError()
        }
    }

    static func response(for error: AppError, instance: String, requestID: String, allow: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json", .cacheControl: "no-store"]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        if error.code == .unauthenticated { headers[.wwwAuthenticate] = "Bearer realm=\"tradepost\"" }
        if !allow.isEmpty { headers[.allow] = allow.joined(separator: ", ") }
        return Response(status: status(error.code), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: body(for: error, instance: instance, requestID: requestID))))
    }

    /// The answer to a request the HTTP parser refused (see `ParseErrorResponder`): nothing of it
    /// was read, so there is no instance and the id is made here.
    static func parseError(_ error: HTTPParserError) -> ParseErrorResponder.Answer {
        let (status, detail) = ParseErrorResponder.describe(error)
        let appError = AppError(status == .requestHeaderFieldsTooLarge ? .headersTooLarge : .invalid, detail)
        return .init(status: status, contentType: "application/problem+json",
                     body: String(decoding: body(for: appError, instance: nil, requestID: Identifier.make()), as: UTF8.self))
    }

    /// The problem document itself.
    static func body(for error: AppError, instance: String?, requestID: String) -> [UInt8] {
        var body: [(String, JSONValue)] = [
            ("type", .string(typeURI(error.code))),
            ("title", .string(title(error.code))),
            ("status", .number(Double(status(error.code).code))),
            ("detail", .string(error.message)),
        ]
        if let instance { body.append(("instance", .string(instance))) }
        body += [
            ("code", .string(error.code.rawValue)),
            ("request_id", .string(requestID)),
        ]
        if !error.fields.isEmpty {
            body.append(("errors", .array(error.fields.map { .object([("field", .string($0.field)), ("message", .string($0.message))]) })))
        }
        if let retryAfter = error.retryAfter { body.append(("retry_after", .number(Double(retryAfter)))) }
        for member in error.members {
            body.append((member.name, member.integer.map { .number(Double($0)) } ?? .string(member.text ?? "")))
        }
        return JSONValue.object(body).serialized()
    }
}
