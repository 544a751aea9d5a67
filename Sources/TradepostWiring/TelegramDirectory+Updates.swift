import Foundation
import TradepostCore
import TradepostStore

extension TelegramDirectory {
    public func handleUpdate(tenant slug: String, secret: String?, update: [UInt8]) async throws -> [UInt8]? {
        guard let tenant = try? await store.tenants.tenant(slug: slug), try await store.telegram.secretMatches(tenant.id, secret) else {
            throw AppError.forbidden("Not a webhook call from this bot")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(update)) as? [String: Any],
              let updateID = (object["update_id"] as? NSNumber)?.int64Value else { throw AppError.invalidField("update_id", "is required") }
        guard try await store.telegram.firstSight(tenant.id, updateID: updateID) else { return nil }
        let reply: [String: Any]?
        if let message = object["message"] as? [String: Any], try await inboxTakes(tenant, message, update) {
            reply = nil
        } else if let message = object["message"] as? [String: Any] {
            reply = try await command(tenant, message)
        } else if let callback = object["callback_query"] as? [String: Any] {
            reply = try await button(tenant, callback)
        } else {
            reply = nil
        }
        return try reply.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
    }

    /// A private message from someone who is not a linked user goes to the shared inbox when the
    /// bot is one of its channels (a deep link's `/start <code>` still links an account).
    func inboxTakes(_ tenant: Tenant, _ message: [String: Any], _ update: [UInt8]) async throws -> Bool {
        guard (message["chat"] as? [String: Any])?["type"] as? String == "private",
              let from = (message["from"] as? [String: Any])?["id"] as? NSNumber else { return false }
        if let text = message["text"] as? String, text.hasPrefix("/start "), text.count > 7 { return false }
        guard try await store.telegram.user(tenant.id, telegramUserID: from.int64Value) == nil else { return false }
        return try await store.inbox.acceptTelegram(tenant.id, update: update)
    }

    /// `/start <code>`, `/orders`, `/search <words>`, `/price <SKU>`, `/help`.
    func command(_ tenant: Tenant, _ message: [String: Any]) async throws -> [String: Any]? {
        guard let chat = ((message["chat"] as? [String: Any])?["id"] as? NSNumber)?.int64Value,
              let from = message["from"] as? [String: Any], let fromID = (from["id"] as? NSNumber)?.int64Value,
              let text = (message["text"] as? String)?.trimmingCharacters(in: .whitespaces) else { return nil }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        let name = words.first?.split(separator: "@").first.map(String.init) ?? ""
        let rest = words.count > 1 ? words[1] : ""
        let hint = from["language_code"] as? String
        func say(_ text: String) -> [String: Any] { ["method": "sendMessage", "chat_id": chat, "text": text] }
        if name == "/start", !rest.isEmpty {
            guard let user = try await store.telegram.redeem(tenant.id, code: rest, telegramUserID: fromID, chatID: chat, username: from["username"] as? String) else {
                return say(BotText.say("code_bad", hint))
            }
            return say(BotText.fill(BotText.say("linked", user.locale ?? hint), ["name": user.name, "tenant": tenant.name]))
        }
        guard let user = try await store.telegram.user(tenant.id, telegramUserID: fromID) else { return say(BotText.say("not_linked", hint)) }
        let locale = user.locale ?? hint
        let caller = Caller(try await store.auth.principal(tenant: tenant.id, userID: user.id), ip: nil)
        switch name {
        case "/orders":
            let orders = try await store.telegram.recentOrders(tenant.id, userID: user.id, limit: 5)
            guard !orders.isEmpty else { return say(BotText.say("no_orders", locale)) }
            return say(BotText.say("orders", locale) + "\n" + orders.map { "• \($0.number) — \(BotText.say("state." + $0.state, locale)) — \($0.gross)" }
                .joined(separator: "\n"))
        case "/search":
            guard !rest.isEmpty else { return say(BotText.say("search_usage", locale)) }
            let result = try await search.search(caller, SearchRequest(query: rest, limit: 5))
            guard !result.items.isEmpty else { return say(BotText.say("nothing_found", locale)) }
            return say(result.items.map { "• \($0.product.sku) \($0.product.name) — \($0.product.price.decimal) \($0.product.price.currency)" }.joined(separator: "\n"))
        case "/price":
            guard !rest.isEmpty else { return say(BotText.say("price_usage", locale)) }
            guard let (productID, productName) = try await store.telegram.product(tenant.id, sku: rest) else { return say(BotText.say("nothing_found", locale)) }
            let day = Date().formatted(.iso8601.year().month().day())
            let price = try await store.priceLists.effectivePrice(caller, productID: productID, quantity: 1, buyer: nil, day: day)
            return say("\(rest) \(productName): \(price.unitPrice.decimal) \(price.unitPrice.currency)")
        default:
            return say(BotText.say("help", locale))
        }
    }

    /// "confirm:<order>" and "accept:<negotiation>:<revision>", as the linked user, through the services' own policy.
    func button(_ tenant: Tenant, _ callback: [String: Any]) async throws -> [String: Any]? {
        guard let id = callback["id"] as? String, let data = callback["data"] as? String,
              let fromID = ((callback["from"] as? [String: Any])?["id"] as? NSNumber)?.int64Value else { return nil }
        func answer(_ text: String) -> [String: Any] { ["method": "answerCallbackQuery", "callback_query_id": id, "text": text, "show_alert": true] }
        guard let user = try await store.telegram.user(tenant.id, telegramUserID: fromID) else { return answer(BotText.say("not_linked", nil)) }
        let caller = Caller(try await store.auth.principal(tenant: tenant.id, userID: user.id), ip: nil)
        let parts = data.split(separator: ":").map(String.init)
        do {
            switch parts.first {
            case "confirm" where parts.count == 2:
                let order = try await store.orders.transition(caller, orderID: parts[1], .confirm, reason: nil, idempotency: nil)
                return answer(BotText.fill(BotText.say("confirmed", user.locale), ["number": order.number]))
            case "accept" where parts.count == 3:
                guard let revision = Int(parts[2]) else { return nil }
                _ = try await store.negotiations.accept(caller, id: parts[1], revision: revision, idempotency: nil)
                return answer(BotText.say("accepted", user.locale))
            default:
                return answer(BotText.say("help", user.locale))
            }
        } catch let error as AppError {
            return answer(error.message)
        }
    }
}

/// What the bot says, in English, Ukrainian and Russian.
enum BotText {
    static func say(_ key: String, _ locale: String?) -> String {
        let lang = locale.map { String($0.prefix(2)) }.flatMap { table[$0] != nil ? $0 : nil } ?? "en"
        return table[lang]?[key] ?? table["en"]?[key] ?? key
    }

    static func fill(_ text: String, _ fields: [String: String]) -> String { NotificationText.fill(text, fields) }

    static let table: [String: [String: String]] = [
        "en": ["linked": "Linked: {name} at {tenant}. Notifications will come here.", "code_bad": "This link has expired or was used. Make a new one on your account page.",
               "not_linked": "Link your account first: sign in to Tradepost, open your account page and choose “Link Telegram”.",
               "help": "/orders — latest orders\n/search <words> — search the catalog\n/price <SKU> — a product's price\n/help — this list",
               "orders": "Latest orders:", "no_orders": "No orders yet.", "search_usage": "Write what to look for: /search paracetamol",
               "price_usage": "Write the SKU: /price PAR-500", "nothing_found": "Nothing found.", "confirmed": "Order {number} confirmed.",
               "accepted": "Offer accepted; the order is placed.", "open": "Open", "confirm_order": "Confirm order", "accept_offer": "Accept offer",
               "state.placed": "placed", "state.confirmed": "confirmed", "state.on_hold": "on hold", "state.partially_shipped": "partly shipped",
               "state.shipped": "shipped", "state.delivered": "delivered", "state.completed": "completed", "state.cancelled": "cancelled"],
        "uk": ["linked": "Пов’язано: {name} у {tenant}. Сповіщення надходитимуть сюди.", "code_bad": "Посилання застаріло або вже використане. Створіть нове на сторінці облікового запису.",
               "not_linked": "Спершу пов’яжіть обліковий запис: увійдіть у Tradepost, відкрийте сторінку облікового запису й виберіть «Пов’язати Telegram».",
               "help": "/orders — останні замовлення\n/search <слова> — пошук у каталозі\n/price <артикул> — ціна товару\n/help — цей список",
               "orders": "Останні замовлення:", "no_orders": "Замовлень ще немає.", "search_usage": "Напишіть, що шукати: /search парацетамол",
               "price_usage": "Напишіть артикул: /price PAR-500", "nothing_found": "Нічого не знайдено.", "confirmed": "Замовлення {number} підтверджено.",
               "accepted": "Пропозицію прийнято; замовлення оформлено.", "open": "Відкрити", "confirm_order": "Підтвердити замовлення", "accept_offer": "Прийняти пропозицію",
               "state.placed": "оформлено", "state.confirmed": "підтверджено", "state.on_hold": "утримано", "state.partially_shipped": "відвантажено частково",
               "state.shipped": "відвантажено", "state.delivered": "доставлено", "state.completed": "завершено", "state.cancelled": "скасовано"],
        "ru": ["linked": "Связано: {name} в {tenant}. Уведомления будут приходить сюда.", "code_bad": "Ссылка устарела или уже использована. Создайте новую на странице учётной записи.",
               "not_linked": "Сначала свяжите учётную запись: войдите в Tradepost, откройте страницу учётной записи и выберите «Связать Telegram».",
               "help": "/orders — последние заказы\n/search <слова> — поиск в каталоге\n/price <артикул> — цена товара\n/help — этот список",
               "orders": "Последние заказы:", "no_orders": "Заказов пока нет.", "search_usage": "Напишите, что искать: /search парацетамол",
               "price_usage": "Напишите артикул: /price PAR-500", "nothing_found": "Ничего не найдено.", "confirmed": "Заказ {number} подтверждён.",
               "accepted": "Предложение принято; заказ оформлен.", "open": "Открыть", "confirm_order": "Подтвердить заказ", "accept_offer": "Принять предложение",
               "state.placed": "оформлен", "state.confirmed": "подтверждён", "state.on_hold": "удержан", "state.partially_shipped": "отгружен частично",
               "state.shipped": "отгружен", "state.delivered": "доставлен", "state.completed": "завершён", "state.cancelled": "отменён"],
    ]
}
