import Foundation
import TradepostCore
import TradepostJobs

/// Sends one text through the tenant's gateway: a generic HTTP gateway (the body template filled
/// with JSON- or form-escaped values) or Twilio's Messages API. The text is cut to the gateway's
/// segment limit, its encoding (GSM-7 or UCS-2) and segment count offered to the template.
struct SMSSender: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var status: Int?
        var description: String
        var permanent: Bool { (status ?? 0) >= 400 && (status ?? 0) < 500 && status != 429 }
    }

    let http: OutgoingHTTP
    let destinations: DestinationGuard

    init(settings: NotifySettings) {
        var policy = OutgoingHTTP.Policy()
        policy.retries = 0
        policy.timeout = .seconds(15)
        http = OutgoingHTTP(policy: policy, breaker: CircuitBreaker(threshold: 5, cooldown: 30))
        destinations = DestinationGuard(allowPrivate: settings.allowPrivateDestinations)
    }

    /// Answers what went: the encoding and the number of messages.
    func send(_ gateway: SMSGateway, to: String, text: String) async throws -> (SMSText.Encoding, Int) {
        let s = gateway.settings
        let body = SMSText.fit(text, segments: s.maxSegments)
        let (encoding, _, segments) = SMSText.measure(body)
        let values = ["to": to, "text": body, "from": s.from, "encoding": encoding.rawValue, "segments": String(segments)]
        var url: String
        var headers: [(String, String)] = []
        var payload: [UInt8]?
        switch s.provider {
        case .twilio:
            url = "\(s.url.hasSuffix("/") ? String(s.url.dropLast()) : s.url)/2010-04-01/Accounts/\(s.authHeader)/Messages.json"
            let credentials = Data("\(s.authHeader):\(gateway.secret ?? "")".utf8).base64EncodedString()
            headers = [("authorization", "Basic \(credentials)"), ("content-type", "application/x-www-form-urlencoded")]
            payload = Array(Self.form(["To": to, "From": s.from, "Body": body]).utf8)
        case .generic:
            url = Self.fill(s.url, values, escape: { Self.percent($0) })
            if s.method == "POST" {
                let filled = s.contentType == "application/json" ? Self.fill(s.bodyTemplate, values, escape: Self.json)
                    : Self.fill(s.bodyTemplate, values, escape: Self.percent)
                payload = Array(filled.utf8)
                headers.append(("content-type", s.contentType))
            }
            if !s.authHeader.isEmpty, let secret = gateway.secret { headers.append((s.authHeader, secret)) }
        }
        if let parsed = URL(string: url), let problem = await destinations.problem(parsed) { throw Failure(status: 400, description: "the gateway URL \(problem)") }
        do {
            let response = try await http.send(s.method == "GET" && s.provider == .generic ? .GET : .POST, url: url, headers: headers, body: payload)
            guard (200..<300).contains(response.status) else {
                throw Failure(status: response.status, description: "the gateway answered \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
            }
        } catch let failure as OutgoingHTTP.Failure {
            throw Failure(status: nil, description: failure.description)
        }
        return (encoding, segments)
    }

    static func fill(_ template: String, _ values: [String: String], escape: (String) -> String) -> String {
        var out = template
        for (key, value) in values { out = out.replacingOccurrences(of: "{\(key)}", with: escape(value)) }
        return out
    }

    /// A JSON string's inside (the template supplies the quotes).
    static func json(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
        return String(String(decoding: data, as: UTF8.self).dropFirst(2).dropLast(2))
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percent(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s }

    static func form(_ fields: [String: String]) -> String { fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(percent($0.value))" }.joined(separator: "&") }
}
