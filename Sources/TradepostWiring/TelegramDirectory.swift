import Crypto
import Foundation
import TradepostCore
import TradepostJobs
import TradepostSearch
import TradepostStore

/// The Telegram front door: connecting a tenant's bot (getMe, setWebhook with a random
/// secret_token), linking users by deep link, the webhook's updates — commands in the user's
/// language and buttons whose callbacks go through the same services and policy as the API —
/// notifications as messages, and signing in from the Mini App.
public final class TelegramDirectory: TelegramService {
    let store: Store
    let search: any SearchService
    let api: TelegramBotAPI
    let baseURL: String
    let settings: NotifySettings
    let limiter = TelegramLimiter()

    public init(store: Store, search: any SearchService, baseURL: String, settings: NotifySettings) {
        self.store = store
        self.search = search
        self.baseURL = baseURL
        self.settings = settings
        var policy = OutgoingHTTP.Policy()
        policy.retries = 0
        policy.timeout = .seconds(15)
        api = TelegramBotAPI(base: settings.telegramAPIURL, http: OutgoingHTTP(policy: policy, breaker: CircuitBreaker(threshold: 5, cooldown: 30)))
    }

    public func bot(_ caller: Caller) async throws -> TelegramBotSettings? { try await store.telegram.bot(caller) }

    public func connectBot(_ caller: Caller, token: String) async throws -> TelegramBotSettings {
        let tenantID = try caller.authorize(.channelsManage)
        let trimmed = token.trimmingCharacters(in: .whitespaces)
        guard trimmed.range(of: #"^[0-9]{3,15}:[A-Za-z0-9_-]{30,64}$"#, options: .regularExpression) != nil else {
            throw AppError.invalidField("token", "must be a bot token from @BotFather, like 123456789:AA…")
        }
        let me: [String: Any]
        do {
            me = try await api.call(trimmed, "getMe", [:]) as? [String: Any] ?? [:]
        } catch let failure as TelegramBotAPI.Failure where failure.status == 401 || failure.status == 404 {
            throw AppError.invalidField("token", "Telegram does not know this token")
        } catch {
            throw AppError(.unavailable, "Telegram cannot be reached right now", cause: String(describing: error))
        }
        guard let id = (me["id"] as? NSNumber)?.int64Value, let username = me["username"] as? String else {
            throw AppError(.unavailable, "Telegram answered getMe without the bot's name")
        }
        let tenant = try await store.tenants.tenant(id: tenantID)
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
        let webhook = "\(baseURL)/api/v1/telegram/\(tenant.slug)/webhook"
        do {
            _ = try await api.call(trimmed, "setWebhook", ["url": webhook, "secret_token": secret, "allowed_updates": ["message", "callback_query"],
                                                           "drop_pending_updates": true])
            _ = try await api.call(trimmed, "setMyCommands", ["commands": [
                ["command": "orders", "description": "Latest orders"], ["command": "search", "description": "Search the catalog"],
                ["command": "price", "description": "The price of a SKU"], ["command": "help", "description": "What I can do"]]])
        } catch {
            throw AppError(.unavailable, "Telegram refused the webhook", cause: String(describing: error))
        }
        return try await store.telegram.save(caller, token: trimmed, botID: id, username: username, webhookURL: webhook, secret: secret)
    }

    public func disconnectBot(_ caller: Caller) async throws {
        let tenant = try caller.authorize(.channelsManage)
        if let credentials = try await store.telegram.credentials(tenant) {
            _ = try? await api.call(credentials.token, "deleteWebhook", [:])
        }
        try await store.telegram.remove(caller)
    }

    public func link(_ caller: Caller) async throws -> TelegramLinkStatus { try await store.telegram.status(caller) }

    public func newLinkCode(_ caller: Caller) async throws -> TelegramLinkCode {
        let (code, bot, expires) = try await store.telegram.newCode(caller)
        return TelegramLinkCode(url: "https://t.me/\(bot)?start=\(code)", expiresAt: expires)
    }

    public func unlink(_ caller: Caller) async throws { try await store.telegram.unlink(caller) }

    public func signIn(tenant slug: String, initData: String, client: ClientInfo) async throws -> LoginResult {
        let tenant: Tenant
        do { tenant = try await store.tenants.tenant(slug: slug) } catch { throw AppError(.unauthenticated, "The Telegram sign-in is not valid") }
        guard let credentials = try await store.telegram.credentials(tenant.id) else { throw AppError(.unauthenticated, "This company has no Telegram bot") }
        let data: TelegramInitData
        do {
            data = try TelegramInitData.validate(initData, botToken: credentials.token, publicKey: settings.telegramPublicKey,
                                                 maxAge: settings.telegramInitDataMaxAge)
        } catch {
            throw AppError(.unauthenticated, "The Telegram sign-in is not valid", cause: String(describing: error))
        }
        guard let user = try await store.telegram.user(tenant.id, telegramUserID: data.user.id) else {
            throw AppError(.forbidden, "Your Telegram account is not linked to a user of \(tenant.name). Open Tradepost in a browser, sign in, "
                           + "and choose “Link Telegram” on your account page; then open the app here again.",
                           members: [AppError.Member("reason", "telegram_not_linked")])
        }
        return try await store.auth.openSession(tenant: tenant.id, userID: user.id, client: client)
    }
}
