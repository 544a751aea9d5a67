import Foundation

/// The words of every notification kind in English, Ukrainian and Russian: a title and a body with
/// `{field}` placeholders filled from the event's fields (and `{tenant}`, the tenant's name). A
/// kind without words here fails `NotificationTextTests`.
public enum NotificationText {
    public struct Words: Sendable, Equatable {
        public let title: String
        public let body: String
    }

    /// Title and body in `locale` ("en" when unknown), placeholders filled; a missing field reads as "".
    public static func render(_ kind: String, locale: String?, fields: [String: String]) -> Words {
        let lang = locale.flatMap { table[$0] != nil ? $0 : nil } ?? "en"
        let pair = table[lang]?[kind] ?? table["en"]?[kind] ?? (kind, "")
        return Words(title: fill(pair.0, fields), body: fill(pair.1, fields))
    }

    /// Words the channels share (email footers, buttons, the digest), in `locale`.
    public static func phrase(_ key: String, locale: String?) -> String {
        let lang = locale.flatMap { phrases[$0] != nil ? $0 : nil } ?? "en"
        return phrases[lang]?[key] ?? phrases["en"]?[key] ?? key
    }

    public static func fill(_ template: String, _ fields: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            out += fields[String(rest[rest.index(after: open)..<close])] ?? ""
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    public static let locales = ["en", "uk", "ru"]

    static let phrases: [String: [String: String]] = [
        "en": ["open": "Open", "confirm_order": "Confirm order", "accept_offer": "Accept offer", "unsubscribe": "Stop these emails",
               "why": "You receive this because of your notification settings at {tenant}.", "digest": "{count} notifications from {tenant}",
               "test": "Test message from {tenant}", "test_body": "If you can read this, delivery works."],
        "uk": ["open": "Відкрити", "confirm_order": "Підтвердити замовлення", "accept_offer": "Прийняти пропозицію", "unsubscribe": "Не надсилати ці листи",
               "why": "Ви отримали цей лист через налаштування сповіщень у {tenant}.", "digest": "{count} сповіщень від {tenant}",
               "test": "Тестове повідомлення від {tenant}", "test_body": "Якщо ви це читаєте, доставка працює."],
        "ru": ["open": "Открыть", "confirm_order": "Подтвердить заказ", "accept_offer": "Принять предложение", "unsubscribe": "Не присылать эти письма",
               "why": "Вы получили это письмо из-за настроек уведомлений в {tenant}.", "digest": "{count} уведомлений от {tenant}",
               "test": "Тестовое сообщение от {tenant}", "test_body": "Если вы это читаете, доставка работает."],
    ]

    static let table: [String: [String: (String, String)]] = [
        "en": [
            "order.placed": ("New order {number}", "A customer placed order {number}."),
            "order.confirmed": ("Order {number} confirmed", "The seller confirmed order {number}."),
            "order.shipped": ("Order {number} shipped", "Order {number} is on its way."),
            "order.partially_shipped": ("Order {number} partly shipped", "Part of order {number} is on its way."),
            "order.delivered": ("Order {number} delivered", "Order {number} was delivered."),
            "order.cancelled": ("Order {number} cancelled", "Order {number} was cancelled."),
            "order.proposal_open": ("Changes proposed to order {order_number}", "The seller proposes changes to an order; please review them."),
            "order.proposal_accepted": ("Changes accepted", "The buyer accepted the proposed changes to an order."),
            "order.proposal_declined": ("Changes declined", "The buyer declined the proposed changes to an order."),
            "invoice.issued": ("Invoice {number} issued", "Invoice {number} is due; balance {balance}."),
            "invoice.overdue": ("Invoice {number} is overdue", "Invoice {number} is past due; balance {balance}."),
            "payment.recorded": ("Payment on invoice {number}", "A payment was recorded on invoice {number}; balance {balance}."),
            "return.requested": ("Return requested", "A customer asked to return goods from an order."),
            "message.created": ("New message", "{author_name}: {excerpt}"),
            "inbox.assigned": ("Conversation assigned to you", "{contact_name} is waiting for your answer"),
            "offer.revised": ("New offer, revision {revision}", "The other side sent a new revision of the offer."),
            "offer.accepted": ("Offer accepted", "The offer was accepted and became an order."),
            "offer.declined": ("Offer declined", "The other side declined the offer."),
            "product.approved": ("Product approved: {name}", "{sku} {name} is published."),
            "product.rejected": ("Product rejected: {name}", "{sku} {name} was rejected: {reason}"),
            "salesperson_link.requested": ("A salesperson asks to link", "A salesperson asked to work with your business."),
            "salesperson_link.active": ("Link approved", "A business approved your link."),
            "salesperson_link.revoked": ("Link revoked", "A business revoked your link."),
            "catalog.imported": ("Import finished", "A price-list import finished."),
            "stock.low": ("Stock is low", "Only {available} left (threshold {threshold})."),
            "job.failed": ("A job failed: {type}", "{error}"),
            "webhook.disabled": ("A webhook endpoint was switched off", "{reason}"),
        ],
        "uk": [
            "order.placed": ("Нове замовлення {number}", "Клієнт оформив замовлення {number}."),
            "order.confirmed": ("Замовлення {number} підтверджено", "Продавець підтвердив замовлення {number}."),
            "order.shipped": ("Замовлення {number} відвантажено", "Замовлення {number} вже в дорозі."),
            "order.partially_shipped": ("Замовлення {number} відвантажено частково", "Частина замовлення {number} вже в дорозі."),
            "order.delivered": ("Замовлення {number} доставлено", "Замовлення {number} доставлено."),
            "order.cancelled": ("Замовлення {number} скасовано", "Замовлення {number} скасовано."),
            "order.proposal_open": ("Запропоновано зміни до замовлення", "Продавець пропонує зміни до замовлення; перегляньте їх."),
            "order.proposal_accepted": ("Зміни прийнято", "Покупець прийняв запропоновані зміни до замовлення."),
            "order.proposal_declined": ("Зміни відхилено", "Покупець відхилив запропоновані зміни до замовлення."),
            "invoice.issued": ("Виставлено рахунок {number}", "Рахунок {number} до сплати; залишок {balance}."),
            "invoice.overdue": ("Рахунок {number} прострочено", "Строк оплати рахунку {number} минув; залишок {balance}."),
            "payment.recorded": ("Оплата за рахунком {number}", "Зареєстровано оплату за рахунком {number}; залишок {balance}."),
            "return.requested": ("Запит на повернення", "Клієнт просить повернути товар із замовлення."),
            "message.created": ("Нове повідомлення", "{author_name}: {excerpt}"),
            "inbox.assigned": ("Вам призначено розмову", "{contact_name} чекає на вашу відповідь"),
            "offer.revised": ("Нова пропозиція, версія {revision}", "Інша сторона надіслала нову версію пропозиції."),
            "offer.accepted": ("Пропозицію прийнято", "Пропозицію прийнято, з неї створено замовлення."),
            "offer.declined": ("Пропозицію відхилено", "Інша сторона відхилила пропозицію."),
            "product.approved": ("Товар схвалено: {name}", "{sku} {name} опубліковано."),
            "product.rejected": ("Товар відхилено: {name}", "{sku} {name} відхилено: {reason}"),
            "salesperson_link.requested": ("Торговий представник просить зв’язку", "Торговий представник хоче працювати з вашою компанією."),
            "salesperson_link.active": ("Зв’язок схвалено", "Компанія схвалила ваш зв’язок."),
            "salesperson_link.revoked": ("Зв’язок відкликано", "Компанія відкликала ваш зв’язок."),
            "catalog.imported": ("Імпорт завершено", "Імпорт прайс-листа завершено."),
            "stock.low": ("Залишок малий", "Лишилось {available} (поріг {threshold})."),
            "job.failed": ("Завдання не виконано: {type}", "{error}"),
            "webhook.disabled": ("Вебхук вимкнено", "{reason}"),
        ],
        "ru": [
            "order.placed": ("Новый заказ {number}", "Клиент оформил заказ {number}."),
            "order.confirmed": ("Заказ {number} подтверждён", "Продавец подтвердил заказ {number}."),
            "order.shipped": ("Заказ {number} отгружен", "Заказ {number} уже в пути."),
            "order.partially_shipped": ("Заказ {number} отгружен частично", "Часть заказа {number} уже в пути."),
            "order.delivered": ("Заказ {number} доставлен", "Заказ {number} доставлен."),
            "order.cancelled": ("Заказ {number} отменён", "Заказ {number} отменён."),
            "order.proposal_open": ("Предложены изменения к заказу", "Продавец предлагает изменения к заказу; просмотрите их."),
            "order.proposal_accepted": ("Изменения приняты", "Покупатель принял предложенные изменения к заказу."),
            "order.proposal_declined": ("Изменения отклонены", "Покупатель отклонил предложенные изменения к заказу."),
            "invoice.issued": ("Выставлен счёт {number}", "Счёт {number} к оплате; остаток {balance}."),
            "invoice.overdue": ("Счёт {number} просрочен", "Срок оплаты счёта {number} истёк; остаток {balance}."),
            "payment.recorded": ("Оплата по счёту {number}", "Зарегистрирована оплата по счёту {number}; остаток {balance}."),
            "return.requested": ("Запрос на возврат", "Клиент просит вернуть товар из заказа."),
            "message.created": ("Новое сообщение", "{author_name}: {excerpt}"),
            "inbox.assigned": ("Вам назначен разговор", "{contact_name} ждёт вашего ответа"),
            "offer.revised": ("Новое предложение, версия {revision}", "Другая сторона прислала новую версию предложения."),
            "offer.accepted": ("Предложение принято", "Предложение принято, по нему создан заказ."),
            "offer.declined": ("Предложение отклонено", "Другая сторона отклонила предложение."),
            "product.approved": ("Товар одобрен: {name}", "{sku} {name} опубликован."),
            "product.rejected": ("Товар отклонён: {name}", "{sku} {name} отклонён: {reason}"),
            "salesperson_link.requested": ("Торговый представитель просит связи", "Торговый представитель хочет работать с вашей компанией."),
            "salesperson_link.active": ("Связь одобрена", "Компания одобрила вашу связь."),
            "salesperson_link.revoked": ("Связь отозвана", "Компания отозвала вашу связь."),
            "catalog.imported": ("Импорт завершён", "Импорт прайс-листа завершён."),
            "stock.low": ("Остаток мал", "Осталось {available} (порог {threshold})."),
            "job.failed": ("Задание не выполнено: {type}", "{error}"),
            "webhook.disabled": ("Вебхук отключён", "{reason}"),
        ],
    ]
}
