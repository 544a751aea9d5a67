import Foundation
import NIOHTTP1
import TradepostJobs

/// Calls to the Telegram Bot API (`<base>/bot<token>/<method>`, JSON in and out). The base URL is
/// configurable so the tests talk to a local fake. A 429 carries `retry_after`; the token is never
/// logged (errors name the method, not the URL).
struct TelegramBotAPI: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var status: Int?
        var description: String
        var retryAfter: TimeInterval?
        /// The user blocked the bot, or the chat is gone: trying again will not help.
        var permanent: Bool { status == 403 || status == 400 }
    }

    let base: String
    let http: OutgoingHTTP

    /// The `result` of a successful call.
    func call(_ token: String, _ method: String, _ parameters: [String: Any]) async throws -> Any {
        let body = try JSONSerialization.data(withJSONObject: parameters)
        let response: OutgoingHTTP.Response
        do {
            response = try await http.send(.POST, url: "\(base)/bot\(token)/\(method)", headers: [("content-type", "application/json")], body: Array(body))
        } catch let failure as OutgoingHTTP.Failure {
            // The failure names the host only; the URL (with the token) stays out of messages and logs.
            throw Failure(status: nil, description: "\(method): \(failure.description)", retryAfter: nil)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard response.status == 200, object["ok"] as? Bool == true else {
            let retry = ((object["parameters"] as? [String: Any])?["retry_after"] as? NSNumber)?.doubleValue
            throw Failure(status: response.status, description: "\(method): \(response.status) \(object["description"] as? String ?? "")", retryAfter: retry)
        }
        return object["result"] ?? NSNull()
    }
}

/// Telegram's limits for one bot: about 30 messages a second overall and one a second per chat.
/// A send waits for its turn when that is near; further off, the job is told when to come back.
actor TelegramLimiter {
    private var nextBot: [String: Date] = [:]
    private var nextChat: [String: Date] = [:]
    let perBot: TimeInterval = 1.0 / 30
    let perChat: TimeInterval = 1.0

    /// Seconds to wait before sending (0: send now; the slot is taken).
    func reserve(bot: String, chat: Int64, now: Date = Date()) -> TimeInterval {
        let key = "\(bot):\(chat)"
        let at = max(now, nextBot[bot] ?? now, nextChat[key] ?? now)
        nextBot[bot] = at.addingTimeInterval(perBot)
        nextChat[key] = at.addingTimeInterval(perChat)
        if nextChat.count > 10_000 { nextChat = nextChat.filter { $0.value > now } }
        return at.timeIntervalSince(now)
    }
}
