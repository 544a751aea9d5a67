import TradepostCore

extension Operations {
    static let endpointID = Schema.string("A webhook endpoint's id (ep_…)", pattern: "^ep_[0-9a-z]{26}$")

    static let notify: [Operation] = [
        Operation(method: "get", path: "/api/v1/notifications", id: "listNotifications", tag: "notifications",
                  summary: "The caller's notifications, newest first, with the unread count. Subscribe to the live socket's notifications "
                      + "topic for new ones as they are stored",
                  query: [.init(name: "before", schema: Schema.integer(minimum: 1), description: "Older than this id (next_before of the last page)"),
                          .init(name: "unread", schema: Schema.boolean(), description: "Only unread ones"),
                          .init(name: "limit", schema: Schema.integer(minimum: 1, maximum: 200), description: "Default 50")],
                  response: "NotificationPage"),
        Operation(method: "post", path: "/api/v1/notifications/{id}/read", id: "readNotification", tag: "notifications",
                  summary: "Mark one of one's notifications read", response: "Notification", errors: [404]),
        Operation(method: "post", path: "/api/v1/notifications/read-all", id: "readAllNotifications", tag: "notifications",
                  summary: "Mark every unread notification read (up to up_to, the newest id the client showed, when given)",
                  body: "ReadAllNotifications", bodyOptional: true, response: "Updated"),
        Operation(method: "get", path: "/api/v1/notifications/settings", id: "getNotificationSettings", tag: "notifications",
                  summary: "Which kinds reach the caller on which channel (the role's defaults unless changed), quiet hours, digest, phone",
                  response: "NotificationSettings"),
        Operation(method: "patch", path: "/api/v1/notifications/settings", id: "updateNotificationSettings", tag: "notifications",
                  summary: "Change one's notification settings; absent members stay as they are. Quiet hours hold email and SMS (not what is "
                      + "urgent) until they end, in time_zone; a digest gathers email hourly or daily",
                  body: "NotificationSettingsChange", response: "NotificationSettings"),
        Operation(method: "get", path: "/api/v1/notifications/deliveries", id: "listNotificationDeliveries", tag: "notifications",
                  summary: "Every email and SMS sent or waiting, newest first, with its status and last error (tenant admins)",
                  query: [.init(name: "channel", schema: Schema.enumeration(NotificationChannel.self), description: "One channel's"),
                          .init(name: "status", schema: Schema.enumeration(NotificationDelivery.Status.self), description: "Only in this status"),
                          .init(name: "limit", schema: Schema.integer(minimum: 1, maximum: 500), description: "Default 100")],
                  response: "NotificationDeliveryList", errors: [403]),
        Operation(method: "get", path: "/api/v1/webhooks/event-types", id: "webhookEventTypes", tag: "webhooks",
                  summary: "The event types an endpoint may ask for (tenant admins)", response: "WebhookEventTypes", errors: [403]),
        Operation(method: "get", path: "/api/v1/webhooks", id: "listWebhooks", tag: "webhooks",
                  summary: "The tenant's webhook endpoints (tenant admins); secrets are never listed", response: "WebhookEndpointList", errors: [403]),
        Operation(method: "post", path: "/api/v1/webhooks", id: "createWebhook", tag: "webhooks",
                  summary: "Add an endpoint. Deliveries are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature "
                      + "v1,<base64 HMAC-SHA256 of id.timestamp.body>); the answer carries the secret (whsec_…) once. URLs in private, "
                      + "loopback and link-local ranges are refused unless the operator allows them",
                  body: "NewWebhookEndpoint", status: 201, response: "WebhookEndpoint", errors: [403], idempotent: true),
        Operation(method: "get", path: "/api/v1/webhooks/{id}", id: "getWebhook", tag: "webhooks",
                  summary: "One endpoint", response: "WebhookEndpoint", errors: [403, 404]),
        Operation(method: "patch", path: "/api/v1/webhooks/{id}", id: "updateWebhook", tag: "webhooks",
                  summary: "Change an endpoint; enabled=true switches a disabled one back on", body: "WebhookEndpointChange",
                  response: "WebhookEndpoint", errors: [403, 404]),
        Operation(method: "delete", path: "/api/v1/webhooks/{id}", id: "deleteWebhook", tag: "webhooks",
                  summary: "Remove an endpoint and its log", status: 204, errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/webhooks/{id}/rotate-secret", id: "rotateWebhookSecret", tag: "webhooks",
                  summary: "A new secret (answered once); deliveries carry signatures with both secrets for grace_seconds (default a day)",
                  body: "RotateWebhookSecret", bodyOptional: true, response: "WebhookEndpoint", errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/webhooks/{id}/messages", id: "listWebhookMessages", tag: "webhooks",
                  summary: "The delivery log: messages newest first, each with its attempts (status, latency, the answer's first bytes)",
                  query: [.init(name: "status", schema: Schema.enumeration(WebhookMessage.Status.self), description: "Only in this status"),
                          .init(name: "limit", schema: Schema.integer(minimum: 1, maximum: 200), description: "Default 50")],
                  response: "WebhookMessageList", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/webhooks/{id}/test", id: "testWebhook", tag: "webhooks",
                  summary: "Queue a webhook.test event to the endpoint", status: 202, response: "WebhookMessage", errors: [403, 404, 409]),
        Operation(method: "post", path: "/api/v1/webhooks/{id}/replay", id: "replayWebhookRange", tag: "webhooks",
                  summary: "Send again every message created in [from, to), with their original webhook-ids",
                  body: "WebhookReplayRange", status: 202, response: "WebhookReplayed", errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/webhook-messages/{id}/replay", id: "replayWebhookMessage", tag: "webhooks",
                  summary: "Send one message again (same webhook-id)", status: 202, response: "WebhookMessage", errors: [403, 404]),
    ]
}

extension Operations {
    static let channels: [Operation] = [
        Operation(method: "get", path: "/api/v1/channels/email", id: "getEmailChannel", tag: "notifications",
                  summary: "The tenant's mail relay (tenant admins): configured, and the settings once set up. The password is never "
                      + "returned, only has_password",
                  response: "EmailChannelAnswer", errors: [403]),
        Operation(method: "put", path: "/api/v1/channels/email", id: "setEmailChannel", tag: "notifications",
                  summary: "Set the mail relay: STARTTLS (587), implicit TLS (465) or none; certificates are verified. The password is sealed "
                      + "at rest; leave it out to keep the one kept, send \"\" to remove it",
                  body: "EmailChannelChange", response: "EmailChannel", errors: [403]),
        Operation(method: "delete", path: "/api/v1/channels/email", id: "removeEmailChannel", tag: "notifications",
                  summary: "Stop sending mail", status: 204, errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/channels/email/test", id: "testEmailChannel", tag: "notifications",
                  summary: "Send a test message now (to the caller unless `to` is given) and answer how it went",
                  body: "EmailChannelTest", bodyOptional: true, response: "ChannelTestResult", errors: [403, 409]),
        Operation(method: "get", path: "/api/v1/channels/sms", id: "getSMSChannel", tag: "notifications",
                  summary: "The tenant's SMS gateway (tenant admins): configured, and the settings once set up; the secret is never returned",
                  response: "SMSChannelAnswer", errors: [403]),
        Operation(method: "put", path: "/api/v1/channels/sms", id: "setSMSChannel", tag: "notifications",
                  summary: "Set the SMS gateway: a generic HTTP gateway (URL, method, a body template with {to}, {text}, {from}, {encoding}, "
                      + "{segments}, an auth header) or Twilio's Messages API. Texts are GSM-7 when they can be, else UCS-2 (Cyrillic), cut to "
                      + "max_segments messages. The secret is sealed at rest; private addresses are refused unless the operator allows them",
                  body: "SMSChannelChange", response: "SMSChannel", errors: [403]),
        Operation(method: "delete", path: "/api/v1/channels/sms", id: "removeSMSChannel", tag: "notifications",
                  summary: "Stop sending SMS", status: 204, errors: [403, 404]),
        Operation(method: "post", path: "/api/v1/channels/sms/test", id: "testSMSChannel", tag: "notifications",
                  summary: "Send a test text now and answer how it went (messages, encoding)", body: "SMSChannelTest", response: "ChannelTestResult",
                  errors: [403, 409]),
        Operation(method: "get", path: "/api/v1/unsubscribe", id: "unsubscribePage", tag: "notifications",
                  summary: "The page an email's unsubscribe link opens: one button that POSTs", access: .open,
                  query: [.init(name: "token", schema: Schema.string(maxLength: 300), description: "The signed token from the email", required: true)],
                  responseSchema: Schema.string("HTML"), responseMediaType: "text/html"),
        Operation(method: "post", path: "/api/v1/unsubscribe", id: "unsubscribe", tag: "notifications",
                  summary: "One-click unsubscribe (RFC 8058): turns off that kind of email for the user the signed token names", access: .open,
                  query: [.init(name: "token", schema: Schema.string(maxLength: 300), description: "The signed token from the email", required: true)],
                  body: "List-Unsubscribe=One-Click", bodyMediaType: "application/x-www-form-urlencoded", bodyOptional: true,
                  responseSchema: Schema.string("Unsubscribed."), responseMediaType: "text/plain", errors: [404]),
    ]
}

extension Operations {
    static let telegram: [Operation] = [
        Operation(method: "get", path: "/api/v1/channels/telegram", id: "getTelegramBot", tag: "telegram",
                  summary: "The tenant's Telegram bot (tenant admins): connected, and the bot once it is. The token is never returned",
                  response: "TelegramBotAnswer", errors: [403]),
        Operation(method: "put", path: "/api/v1/channels/telegram", id: "connectTelegramBot", tag: "telegram",
                  summary: "Connect a bot with its BotFather token: checked with getMe, the webhook registered with a fresh random "
                      + "secret_token (updates without it are refused), the token sealed at rest",
                  body: "TelegramBotToken", response: "TelegramBot", errors: [403, 503]),
        Operation(method: "delete", path: "/api/v1/channels/telegram", id: "disconnectTelegramBot", tag: "telegram",
                  summary: "Disconnect the bot (its webhook is deleted)", status: 204, errors: [403, 404]),
        Operation(method: "get", path: "/api/v1/me/telegram", id: "getMyTelegram", tag: "telegram",
                  summary: "Whether the caller's Telegram account is linked, and the tenant's bot", response: "TelegramLink"),
        Operation(method: "post", path: "/api/v1/me/telegram/link", id: "linkMyTelegram", tag: "telegram",
                  summary: "A one-time deep link (t.me/<bot>?start=<code>, 15 minutes) that links the Telegram account opening it",
                  response: "TelegramLinkCode", errors: [409]),
        Operation(method: "delete", path: "/api/v1/me/telegram", id: "unlinkMyTelegram", tag: "telegram",
                  summary: "Unlink the caller's Telegram account", status: 204, errors: [404]),
        Operation(method: "post", path: "/api/v1/telegram/{tenant}/webhook", id: "telegramWebhook", tag: "telegram",
                  summary: "Telegram's updates for the tenant's bot. Refused (403) without the X-Telegram-Bot-Api-Secret-Token set at "
                      + "connection; a repeated update_id is ignored; the answer may carry a Bot API call (a reply)",
                  access: .open, body: "TelegramUpdate", responseSchema: Schema.object([], closed: false), errors: [403]),
        Operation(method: "post", path: "/api/v1/auth/telegram", id: "telegramSignIn", tag: "telegram",
                  summary: "Sign in from the Telegram Mini App with its initData (HMAC keyed by the bot token, auth_date fresh, the Ed25519 "
                      + "signature when present). An account nobody linked gets 403 with reason telegram_not_linked and how to link it",
                  access: .open, body: "TelegramSignIn", response: "LoginResponse", errors: [401, 403]),
    ]
}
