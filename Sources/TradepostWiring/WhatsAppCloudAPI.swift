import Foundation
import NIOHTTP1
import TradepostCore
import TradepostJobs

/// Calls to the WhatsApp Cloud API (`<base>/<phone number id>/messages`, media by id) with the
/// channel's access token as a bearer. The base URL is configurable so the tests talk to a local
/// fake. Errors name the call and Meta's code, never the token.
struct WhatsAppCloudAPI: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var status: Int?
        var description: String
        /// Meta's 4xx other than rate limits (130429, 131056): the same request will fail again.
        var permanent: Bool { (status ?? 0) >= 400 && (status ?? 0) < 500 && status != 429 }
    }

    let base: String
    let http: OutgoingHTTP

    func json(_ method: HTTPMethod, _ url: String, token: String, body: [String: Any]? = nil, what: String) async throws -> [String: Any] {
        let response: OutgoingHTTP.Response
        do {
            response = try await http.send(method, url: url, headers: [("authorization", "Bearer " + token), ("content-type", "application/json")],
                                           body: try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) })
        } catch let failure as OutgoingHTTP.Failure {
            throw Failure(status: nil, description: "\(what): \(failure.description)")
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status) else {
            let error = object["error"] as? [String: Any]
            let detail = [(error?["code"] as? NSNumber).map { "code \($0)" }, error?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
            throw Failure(status: response.status, description: "\(what): \(response.status) \(detail)")
        }
        return object
    }

    /// Sends a text to a chat (a number, or "bsuid:<id>" for a user who hides theirs); answers the message's wamid.
    func sendText(phoneNumberID: String, token: String, to chat: String, text: String) async throws -> String {
        var body: [String: Any] = ["messaging_product": "whatsapp", "recipient_type": "individual", "type": "text",
                                   "text": ["preview_url": false, "body": text]]
        if chat.hasPrefix("bsuid:") { body["recipient"] = String(chat.dropFirst(6)) } else { body["to"] = chat }
        let answer = try await json(.POST, "\(base)/\(phoneNumberID)/messages", token: token, body: body, what: "messages")
        guard let id = (answer["messages"] as? [[String: Any]])?.first?["id"] as? String else {
            throw Failure(status: nil, description: "messages: the answer has no message id")
        }
        return id
    }

    /// A media file's bytes: its URL from the media id, then the bytes (both with the token).
    func media(id: String, token: String) async throws -> (bytes: [UInt8], contentType: String?) {
        let info = try await json(.GET, "\(base)/\(id)", token: token, what: "media")
        guard let url = info["url"] as? String, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? "") else {
            throw Failure(status: nil, description: "media: the answer has no URL")
        }
        let response: OutgoingHTTP.Response
        do {
            response = try await http.send(.GET, url: url, headers: [("authorization", "Bearer " + token)])
        } catch let failure as OutgoingHTTP.Failure {
            throw Failure(status: nil, description: "media download: \(failure.description)")
        }
        guard response.status == 200 else { throw Failure(status: response.status, description: "media download: \(response.status)") }
        return (response.body, info["mime_type"] as? String)
    }

    /// The number as Meta knows it, to test a connection.
    func phoneNumber(id: String, token: String) async throws -> String {
        let answer = try await json(.GET, "\(base)/\(id)?fields=display_phone_number,verified_name", token: token, what: "phone number")
        return [answer["display_phone_number"] as? String, answer["verified_name"] as? String].compactMap { $0 }.joined(separator: " · ")
    }
}
