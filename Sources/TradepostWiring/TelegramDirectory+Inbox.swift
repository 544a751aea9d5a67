import Foundation
import TradepostCore
import TradepostJobs

/// The bot as an inbox channel: replies to customers' private chats and their files.
extension TelegramDirectory {
    /// Sends an agent's reply within Telegram's limits; answers "<chat>:<message id>".
    func sendInbox(_ tenant: TenantID, chat: String, text: String) async throws -> String {
        guard let credentials = try await store.telegram.credentials(tenant), let chatID = Int64(chat) else {
            throw TelegramBotAPI.Failure(status: 400, description: "Telegram is not set up for this tenant", retryAfter: nil)
        }
        let wait = await limiter.reserve(bot: credentials.username, chat: chatID)
        if wait > 2 { throw RetryLater(after: wait, "Telegram's rate limit") }
        if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
        let sent = try await api.call(credentials.token, "sendMessage", ["chat_id": chatID, "text": text]) as? [String: Any]
        return "\(chat):\((sent?["message_id"] as? NSNumber)?.int64Value ?? 0)"
    }

    /// A file a customer sent, by its file_id (getFile, then the file's path).
    func download(_ tenant: TenantID, fileID: String) async throws -> [UInt8] {
        guard let credentials = try await store.telegram.credentials(tenant) else {
            throw TelegramBotAPI.Failure(status: 400, description: "Telegram is not set up for this tenant", retryAfter: nil)
        }
        let file = try await api.call(credentials.token, "getFile", ["file_id": fileID]) as? [String: Any]
        guard let path = file?["file_path"] as? String else { throw TelegramBotAPI.Failure(status: nil, description: "getFile: no file_path", retryAfter: nil) }
        let response = try await api.http.send(.GET, url: "\(api.base)/file/bot\(credentials.token)/\(path)")
        guard response.status == 200 else { throw TelegramBotAPI.Failure(status: response.status, description: "file download: \(response.status)", retryAfter: nil) }
        return response.body
    }
}
