import Foundation
import TradepostCore
import TradepostJobs
import TradepostStore

extension TelegramDirectory {
    enum Outcome {
        case sent
        case skipped(String)
        case failed(String)
    }

    /// One notification as a Telegram message with its buttons: "Open" (when the app has an https
    /// address Telegram accepts), "Confirm order" on a new order, "Accept offer" on a new offer.
    /// Waits for Telegram's limits (or asks the engine to come back), honours 429's retry_after.
    func deliver(_ tenant: TenantID, _ work: DeliveryWork) async throws -> Outcome {
        guard let credentials = try await store.telegram.credentials(tenant) else { return .skipped("Telegram is not set up for this tenant") }
        guard let chat = try await store.telegram.chat(tenant, userID: work.delivery.userId) else { return .skipped("the user unlinked Telegram") }
        let wait = await limiter.reserve(bot: credentials.username, chat: chat)
        if wait > 2 { throw RetryLater(after: wait, "Telegram's rate limit") }
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        var rows: [[[String: String]]] = []
        if baseURL.hasPrefix("https://"), let link = work.link { rows.append([["text": BotText.say("open", work.locale), "url": baseURL + link]]) }
        if work.kind == "order.placed", let order = work.fields["order_id"] {
            rows.append([["text": BotText.say("confirm_order", work.locale), "callback_data": "confirm:\(order)"]])
        }
        if work.kind == "offer.revised", let negotiation = work.fields["negotiation_id"], let revision = work.fields["revision"] {
            rows.append([["text": BotText.say("accept_offer", work.locale), "callback_data": "accept:\(negotiation):\(revision)"]])
        }
        var parameters: [String: Any] = ["chat_id": chat, "text": "<b>\(escape(work.title))</b>\n\(escape(work.body))", "parse_mode": "HTML"]
        if !rows.isEmpty { parameters["reply_markup"] = ["inline_keyboard": rows] }
        do {
            _ = try await api.call(credentials.token, "sendMessage", parameters)
            return .sent
        } catch let failure as TelegramBotAPI.Failure {
            if let retry = failure.retryAfter { throw RetryLater(after: retry, failure.description) }
            if failure.permanent { return .failed(failure.description) }
            throw failure
        }
    }

    func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
