import Foundation

/// Where and how a tenant's mail leaves: an SMTP relay (its own server, or a provider's).
public struct SMTPSettings: Sendable, Equatable, Hashable, Codable {
    public enum Security: String, Sendable, Codable, CaseIterable {
        /// Plain connection upgraded with STARTTLS (port 587); refused if the server does not offer it.
        case starttls
        /// TLS from the first byte (port 465).
        case tls
        /// No encryption (a relay on the same box only).
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var fromEmail: String
    public var fromName: String?
    /// The name given in EHLO.
    public var heloName: String

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, fromEmail: String,
                fromName: String? = nil, heloName: String = "localhost") {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.fromEmail = fromEmail
        self.fromName = fromName
        self.heloName = heloName
    }
}

/// A reply the server gave, or a failure to talk to it. 5xx replies are permanent (retrying
/// will not help); 4xx and transport failures are worth another attempt later.
public struct SMTPError: Error, CustomStringConvertible, Sendable {
    public var code: Int?
    public var message: String
    public var permanent: Bool { (code ?? 0) >= 500 }
    public init(code: Int?, message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { code.map { "\($0) \(message)" } ?? message }
}
