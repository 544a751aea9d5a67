import TradepostCore

/// Schemas of notifications and webhooks.
extension Components {
    static let choice = Schema.object([
        ("kind", Schema.string("A notification kind, e.g. order.placed", values: NotificationKinds.all.map(\.name))),
        ("channel", Schema.enumeration(NotificationChannel.self)), ("enabled", Schema.boolean()),
    ], required: ["kind", "channel", "enabled"])
    static let localTime = Schema.string("A 24-hour local time like 22:00; empty clears the quiet hours", pattern: "^(|([01][0-9]|2[0-3]):[0-5][0-9])$")
    static let eventType = Schema.string("An event type", values: WebhookTopics.all)

    static let notify: [(String, JSONValue)] = [
        ("Notification", Schema.object([
            ("id", Schema.integer("Increasing in the tenant: also the live socket's sequence")), ("kind", Schema.string()),
            ("title", Schema.string()), ("body", Schema.string()), ("link", Schema.nullable(Schema.string("The web app's path of the object"))),
            ("urgent", Schema.boolean()), ("created_at", Schema.dateTime), ("read_at", Schema.nullable(Schema.dateTime)),
        ], required: ["id", "kind", "title", "body", "urgent", "created_at"], closed: false)),
        ("NotificationPage", Schema.object([
            ("items", Schema.array(Schema.ref("Notification"))), ("unread", Schema.integer()),
            ("next_before", Schema.nullable(Schema.integer("Pass as before= for older ones"))),
        ], required: ["items", "unread"], closed: false)),
        ("ReadAllNotifications", Schema.object([("up_to", Schema.integer(minimum: 1))])),
        ("Updated", Schema.object([("updated", Schema.integer())], required: ["updated"], closed: false)),
        ("NotificationSettings", Schema.object([
            ("choices", Schema.array(choice)), ("time_zone", Schema.string()), ("quiet_start", Schema.nullable(Schema.string())),
            ("quiet_end", Schema.nullable(Schema.string())), ("digest", Schema.enumeration(DigestMode.self)), ("phone", Schema.nullable(Schema.string())),
            ("defaults_role", Schema.enumeration(NotificationRole.self)),
        ], required: ["choices", "time_zone", "digest", "defaults_role"], closed: false)),
        ("NotificationSettingsChange", Schema.object([
            ("choices", Schema.array(choice, maxItems: 500)), ("time_zone", Schema.line("An IANA zone, e.g. Europe/Kyiv", maxLength: 64)),
            ("quiet_start", localTime), ("quiet_end", localTime), ("digest", Schema.enumeration(DigestMode.self)),
            ("phone", Schema.string("E.164, e.g. +380501234567; empty clears it", pattern: "^(|\\+[1-9][0-9]{6,14})$")),
        ], dependentRequired: ["quiet_start": ["quiet_end"], "quiet_end": ["quiet_start"]])),
        ("NotificationDelivery", Schema.object([
            ("id", Schema.integer()), ("notification_id", Schema.integer()), ("user_id", Schema.id),
            ("channel", Schema.enumeration(NotificationChannel.self)), ("status", Schema.enumeration(NotificationDelivery.Status.self)),
            ("attempts", Schema.integer()), ("not_before", Schema.nullable(Schema.dateTime)), ("last_error", Schema.nullable(Schema.string())),
            ("sent_at", Schema.nullable(Schema.dateTime)), ("created_at", Schema.dateTime),
        ], required: ["id", "notification_id", "user_id", "channel", "status", "attempts", "created_at"], closed: false)),
        ("NotificationDeliveryList", Schema.list(of: "NotificationDelivery")),
        ("WebhookEventTypes", Schema.object([("items", Schema.array(Schema.string()))], required: ["items"], closed: false)),
        ("WebhookEndpoint", Schema.object([
            ("id", Operations.endpointID), ("url", Schema.string()), ("description", Schema.string()), ("event_types", Schema.array(Schema.string())),
            ("enabled", Schema.boolean()), ("disabled_reason", Schema.nullable(Schema.string())), ("created_at", Schema.dateTime),
            ("updated_at", Schema.dateTime), ("secret", Schema.string("whsec_…; only in the answer that made it")),
            ("previous_secret_expires_at", Schema.nullable(Schema.dateTime)),
        ], required: ["id", "url", "description", "event_types", "enabled", "created_at", "updated_at"], closed: false)),
        ("WebhookEndpointList", Schema.list(of: "WebhookEndpoint")),
        ("NewWebhookEndpoint", Schema.object([
            ("url", Schema.string("An http(s) URL", minLength: 8, maxLength: 2000, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$")), ("description", Schema.text(maxLength: 500)),
            ("event_types", Schema.array(eventType, "Empty or absent: every type", maxItems: 100)), ("enabled", Schema.boolean()),
        ], required: ["url"])),
        ("WebhookEndpointChange", Schema.object([
            ("url", Schema.string("An http(s) URL", minLength: 8, maxLength: 2000, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$")), ("description", Schema.text(maxLength: 500)),
            ("event_types", Schema.array(eventType, maxItems: 100)), ("enabled", Schema.boolean()),
        ])),
        ("RotateWebhookSecret", Schema.object([("grace_seconds", Schema.integer(minimum: 0, maximum: 604_800))])),
        ("WebhookAttempt", Schema.object([
            ("at", Schema.dateTime), ("status", Schema.nullable(Schema.integer())), ("latency_ms", Schema.integer()), ("response", Schema.string()),
        ], required: ["at", "latency_ms", "response"], closed: false)),
        ("WebhookMessage", Schema.object([
            ("id", Schema.string("Its webhook-id, the same on every attempt")), ("endpoint_id", Operations.endpointID),
            ("event_type", Schema.string()), ("status", Schema.enumeration(WebhookMessage.Status.self)),
            ("attempts", Schema.array(Schema.ref("WebhookAttempt"))), ("next_attempt_at", Schema.nullable(Schema.dateTime)), ("created_at", Schema.dateTime),
        ], required: ["id", "endpoint_id", "event_type", "status", "attempts", "created_at"], closed: false)),
        ("WebhookMessageList", Schema.list(of: "WebhookMessage")),
        ("WebhookReplayRange", Schema.object([("from", Schema.dateTime), ("to", Schema.dateTime)], required: ["from", "to"])),
        ("WebhookReplayed", Schema.object([("replayed", Schema.integer())], required: ["replayed"], closed: false)),
    ]
}

extension Components {
    static let channels: [(String, JSONValue)] = [
        ("EmailChannel", Schema.object([
            ("host", Schema.string()), ("port", Schema.integer()), ("security", Schema.enumeration(EmailChannelSettings.Security.self)),
            ("username", Schema.nullable(Schema.string())), ("has_password", Schema.boolean()), ("from_email", Schema.string()),
            ("from_name", Schema.nullable(Schema.string())), ("updated_at", Schema.dateTime),
        ], required: ["host", "port", "security", "has_password", "from_email", "updated_at"], closed: false)),
        ("EmailChannelChange", Schema.object([
            ("host", Schema.line(maxLength: 253)), ("port", Schema.integer(minimum: 1, maximum: 65535)),
            ("security", Schema.enumeration(EmailChannelSettings.Security.self)), ("username", Schema.string(maxLength: 320)),
            ("password", Schema.string(maxLength: 1000)), ("from_email", Schema.line(maxLength: 254)), ("from_name", Schema.text(maxLength: 120)),
        ], required: ["host", "port", "security", "from_email"])),
        ("EmailChannelAnswer", Schema.object([("configured", Schema.boolean()), ("settings", Schema.ref("EmailChannel"))], required: ["configured"], closed: false)),
        ("EmailChannelTest", Schema.object([("to", Schema.line(maxLength: 254))])),
        ("SMSChannel", Schema.object([
            ("provider", Schema.enumeration(SMSChannelSettings.Provider.self)), ("url", Schema.string()), ("method", Schema.string()),
            ("content_type", Schema.string()), ("body_template", Schema.string()), ("auth_header", Schema.string()), ("has_secret", Schema.boolean()),
            ("from", Schema.string()), ("max_segments", Schema.integer()), ("updated_at", Schema.dateTime),
        ], required: ["provider", "url", "method", "content_type", "body_template", "auth_header", "has_secret", "from", "max_segments", "updated_at"],
           closed: false)),
        ("SMSChannelAnswer", Schema.object([("configured", Schema.boolean()), ("settings", Schema.ref("SMSChannel"))], required: ["configured"], closed: false)),
        ("SMSChannelChange", Schema.object([
            ("provider", Schema.enumeration(SMSChannelSettings.Provider.self)),
            ("url", Schema.string("generic: the gateway's URL ({to} allowed); twilio: the API's base", minLength: 8, maxLength: 2000, pattern: "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$")),
            ("method", Schema.string(values: ["POST", "GET"])), ("content_type", Schema.string(values: ["application/json", "application/x-www-form-urlencoded"])),
            ("body_template", Schema.string(maxLength: 4000)), ("auth_header", Schema.string(maxLength: 100)), ("secret", Schema.string(maxLength: 1000)),
            ("from", Schema.line(maxLength: 20)), ("max_segments", Schema.integer(minimum: 1, maximum: 10)),
        ], required: ["provider", "url", "from"])),
        ("SMSChannelTest", Schema.object([("to", Schema.string("E.164", pattern: "^\\+[1-9][0-9]{6,14}$"))], required: ["to"])),
        ("ChannelTestResult", Schema.object([("ok", Schema.boolean()), ("detail", Schema.string())], required: ["ok", "detail"], closed: false)),
    ]
}

extension Components {
    static let telegram: [(String, JSONValue)] = [
        ("TelegramBot", Schema.object([
            ("bot_username", Schema.string()), ("bot_id", Schema.integer()), ("webhook_url", Schema.string()), ("connected_at", Schema.dateTime),
        ], required: ["bot_username", "bot_id", "webhook_url", "connected_at"], closed: false)),
        ("TelegramBotAnswer", Schema.object([("connected", Schema.boolean()), ("bot", Schema.ref("TelegramBot"))], required: ["connected"], closed: false)),
        ("TelegramBotToken", Schema.object([("token", Schema.line("From @BotFather", maxLength: 100))], required: ["token"])),
        ("TelegramLink", Schema.object([
            ("linked", Schema.boolean()), ("username", Schema.nullable(Schema.string())), ("linked_at", Schema.nullable(Schema.dateTime)),
            ("bot_username", Schema.nullable(Schema.string("nil when the tenant has no bot"))),
        ], required: ["linked"], closed: false)),
        ("TelegramLinkCode", Schema.object([("url", Schema.string()), ("expires_at", Schema.dateTime)], required: ["url", "expires_at"], closed: false)),
        ("TelegramUpdate", Schema.object([("update_id", Schema.integer())], required: ["update_id"], closed: false,
                                         description: "A Bot API Update (core.telegram.org/bots/api#update)")),
        ("TelegramSignIn", Schema.object([
            ("tenant", Schema.line("The company's slug", maxLength: 64)), ("init_data", Schema.string("Telegram.WebApp.initData", minLength: 1, maxLength: 8192)),
            ("mode", Schema.string("token (default) or cookie", values: ["token", "cookie"])),
        ], required: ["tenant", "init_data"])),
    ]
}
