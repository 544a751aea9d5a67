import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import Synchronization
import TradepostCore

/// Per-request state shared by the middlewares and handlers.
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set when the request upgrades to a WebSocket (`/api/v1/live`).
    public let webSocket = WebSocketHandlerReference<AppRequestContext>()
    /// The socket's peer address; `clientIP` may differ behind a trusted proxy.
    public let peerIP: String?
    public var requestID = ""
    public var clientIP: String?
    /// The authenticated caller, when the request carried a valid credential.
    public var principal: Principal?
    /// Why a cookie credential was not accepted; reported only if the endpoint needs a caller.
    public var authFailure: AppError?
    /// The raw session token when the caller came in with the session cookie (for CSRF and logout).
    public var cookieToken: String?
    /// Facts learned deep inside the chain that the access log (outside it) reports.
    public let trace = RequestTrace()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerIP = source.channel.remoteAddress?.ipAddress
    }

    /// The caller, or the reason there is none (401, or 403 for a suspended tenant).
    public func requirePrincipal() throws -> Principal {
        if let principal { return principal }
        throw authFailure ?? AppError.unauthenticated
    }

    /// The caller, after `Policy` allowed `action`.
    public func authorize(_ action: Action, _ facts: PolicyFacts = PolicyFacts()) throws -> Principal {
        let principal = try requirePrincipal()
        try Policy.authorize(principal, action, facts)
        return principal
    }

    /// The caller's tenant, after `Policy` allowed `action`.
    public func tenant(for action: Action, _ facts: PolicyFacts = PolicyFacts()) throws -> (TenantID, Principal) {
        let principal = try authorize(action, facts)
        return (try principal.requireTenant(), principal)
    }

    /// Who is asking, for a service that decides permission inside its own transaction.
    public func caller() throws -> Caller {
        Caller(try requirePrincipal(), ip: clientIP)
    }

    public func audit() throws -> AuditContext {
        try requirePrincipal().audit(ip: clientIP)
    }
}

/// A small mutable box: context copies made by inner middlewares share it with outer ones.
public final class RequestTrace: Sendable {
    private let state = Mutex<(tenant: String?, user: String?)>((nil, nil))
    public init() {}
    public func identify(_ principal: Principal) {
        state.withLock { $0 = (principal.tenantSlug, principal.userID) }
    }
    public var tenant: String? { state.withLock { $0.tenant } }
    public var user: String? { state.withLock { $0.user } }
}
