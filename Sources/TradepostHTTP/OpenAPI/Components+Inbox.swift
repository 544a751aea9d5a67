import TradepostCore

extension Components {
    static let inbox: [(String, JSONValue)] = {
        let secret = Schema.string("Never returned; left out on a change keeps the stored one", pattern: "^[^\\s]{1,1000}$")
        let labels = Schema.array(Schema.line(maxLength: 40), maxItems: 20)
        let contact = Schema.object([
            ("id", Schema.id), ("name", Schema.string()), ("phone", Schema.nullable(Schema.string())), ("telegram_id", Schema.nullable(Schema.integer())),
            ("whatsapp_id", Schema.nullable(Schema.string())), ("language", Schema.nullable(Schema.string())), ("tags", Schema.array(Schema.string())),
            ("notes", Schema.nullable(Schema.string())), ("business_id", Schema.nullable(Schema.id)), ("opted_out", Schema.boolean()),
            ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
        ], required: ["id", "name", "tags", "opted_out", "created_at", "updated_at"], closed: false)
        let hours = Schema.object([("day", Schema.integer("ISO weekday: 1 Monday … 7 Sunday", minimum: 1, maximum: 7)),
                                   ("open", Schema.string(pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$")), ("close", Schema.string(pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$"))],
                                  required: ["day", "open", "close"])
        func ruleFields(required: [String]) -> JSONValue {
            Schema.object([
                ("kind", Schema.enumeration(AutoReplyRule.Kind.self)), ("keywords", Schema.array(Schema.line(maxLength: 60), maxItems: 50)),
                ("pattern", Schema.string("A regular expression (case-insensitive)", maxLength: 200)),
                ("replies", Schema.object([("en", Schema.text(minLength: 1, maxLength: 1000)), ("uk", Schema.text(minLength: 1, maxLength: 1000)),
                                           ("ru", Schema.text(minLength: 1, maxLength: 1000))], description: "Text by language; the contact's language picks")),
                ("hours", Schema.array(hours, "Business hours (away rules)", maxItems: 28)), ("time_zone", Schema.line("An IANA zone", maxLength: 64)),
                ("enabled", Schema.boolean()), ("position", Schema.integer(minimum: 0, maximum: 1000)),
            ], required: required)
        }
        let seconds = Schema.nullable(.object([("type", "number")]))
        let figures = Schema.object([
            ("started", Schema.integer()), ("resolved", Schema.integer()), ("first_response_median", seconds), ("first_response_average", seconds),
            ("resolution_median", seconds), ("resolution_average", seconds),
        ], required: ["started", "resolved"], closed: false)
        return [
            ("InboxChannel", Schema.object([
                ("id", Schema.id), ("kind", Schema.enumeration(InboxChannel.Kind.self)), ("name", Schema.string()), ("business_id", Schema.id),
                ("phone_number_id", Schema.nullable(Schema.string())), ("display_phone", Schema.nullable(Schema.string())), ("enabled", Schema.boolean()),
                ("webhook_url", Schema.nullable(Schema.string("WhatsApp: the callback URL to enter in Meta's app (its verify token is yours)"))),
                ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
            ], required: ["id", "kind", "name", "business_id", "enabled", "created_at", "updated_at"], closed: false)),
            ("InboxChannelList", Schema.list(of: "InboxChannel")),
            ("NewInboxChannel", Schema.object([
                ("kind", Schema.enumeration(InboxChannel.Kind.self)), ("name", Schema.line(maxLength: 100)), ("business_id", Schema.id),
                ("phone_number_id", Schema.string("WhatsApp: the Cloud API's phone number id", pattern: "^[0-9]{1,64}$")),
                ("display_phone", Schema.line(minLength: 0, maxLength: 32)), ("access_token", secret), ("app_secret", secret), ("verify_token", secret),
                ("enabled", Schema.boolean()),
            ], required: ["kind", "name", "business_id"], description: "WhatsApp needs phone_number_id, access_token, app_secret and verify_token")),
            ("InboxChannelChange", Schema.object([
                ("kind", Schema.enumeration(InboxChannel.Kind.self)), ("name", Schema.line(maxLength: 100)), ("business_id", Schema.id),
                ("phone_number_id", Schema.string(pattern: "^[0-9]{1,64}$")), ("display_phone", Schema.line(minLength: 0, maxLength: 32)),
                ("access_token", secret), ("app_secret", secret), ("verify_token", secret), ("enabled", Schema.boolean()),
            ])),
            ("ChannelAgent", Schema.object([
                ("user_id", Schema.id), ("name", Schema.string()), ("capacity", Schema.integer()), ("availability", Schema.enumeration(AgentStatus.Availability.self)),
                ("open", Schema.integer("Open conversations assigned to them on this channel")),
            ], required: ["user_id", "name", "capacity", "availability", "open"], closed: false)),
            ("ChannelAgentList", Schema.list(of: "ChannelAgent")),
            ("ChannelAgentChange", Schema.object([("capacity", Schema.integer("Open conversations at once", minimum: 1, maximum: 1000))], required: ["capacity"])),
            ("Contact", contact),
            ("ContactList", Schema.list(of: "Contact")),
            ("ContactChange", Schema.object([
                ("name", Schema.line(maxLength: 200)), ("phone", Schema.string("E.164; empty clears it", pattern: "^(|\\+[1-9][0-9]{6,14})$")),
                ("language", Schema.string(values: ["", "en", "uk", "ru"])), ("tags", Schema.array(Schema.line(maxLength: 40), maxItems: 30)),
                ("notes", Schema.text(maxLength: 4000)), ("business_id", Schema.string("A buyer business's id; empty clears it", pattern: "^(|[0-9a-hjkmnp-tv-z]{26})$")),
                ("opted_out", Schema.boolean("Asked not to be sent campaigns")),
            ])),
            ("ContactMerge", Schema.object([("source_id", Schema.id)], required: ["source_id"],
                                           description: "The contact that becomes part of this one (its channel ids, tags and conversations move)")),
            ("ContactDetail", Schema.object([
                ("contact", Schema.ref("Contact")), ("conversations", Schema.array(Schema.ref("InboxConversation"))),
                ("order_ids", Schema.array(Schema.id, "The latest orders of the contact's business as a buyer")),
            ], required: ["contact", "conversations", "order_ids"], closed: false)),
            ("InboxConversation", Schema.object([
                ("id", Schema.id), ("channel_id", Schema.id), ("channel_kind", Schema.enumeration(InboxChannel.Kind.self)), ("contact", Schema.ref("Contact")),
                ("status", Schema.enumeration(InboxConversation.Status.self)), ("assignee_id", Schema.nullable(Schema.id)), ("labels", Schema.array(Schema.string())),
                ("last_seq", Schema.integer()), ("last_message_at", Schema.nullable(Schema.dateTime)), ("preview", Schema.nullable(Schema.string())),
                ("unread", Schema.integer()), ("last_inbound_at", Schema.nullable(Schema.dateTime)),
                ("window_open", Schema.boolean("WhatsApp: free-form replies are allowed (24 hours from the customer's last message)")),
                ("waiting_since", Schema.nullable(Schema.dateTime)), ("first_response_at", Schema.nullable(Schema.dateTime)),
                ("resolved_at", Schema.nullable(Schema.dateTime)), ("created_at", Schema.dateTime),
            ], required: ["id", "channel_id", "channel_kind", "contact", "status", "labels", "last_seq", "unread", "window_open", "created_at"], closed: false)),
            ("InboxConversationList", Schema.list(of: "InboxConversation")),
            ("InboxConversationChange", Schema.object([
                ("status", Schema.enumeration(InboxConversation.Status.self)),
                ("assignee_id", Schema.string("A colleague who works the channel; empty puts it back in the queue", pattern: "^(|[0-9a-hjkmnp-tv-z]{26})$")),
                ("labels", labels),
            ])),
            ("InboxReply", Schema.object([("text", Schema.text(minLength: 1, maxLength: 4096))], required: ["text"])),
            ("ChannelDelivery", Schema.object([
                ("message_id", Schema.id), ("status", Schema.enumeration(ChannelMessageStatus.self)), ("external_id", Schema.nullable(Schema.string())),
                ("error", Schema.nullable(Schema.string())), ("updated_at", Schema.dateTime),
            ], required: ["message_id", "status", "updated_at"], closed: false)),
            ("ChannelDeliveryList", Schema.list(of: "ChannelDelivery")),
            ("AgentStatus", Schema.object([
                ("availability", Schema.enumeration(AgentStatus.Availability.self)),
                ("seats", Schema.array(Schema.object([("channel_id", Schema.id), ("capacity", Schema.integer()), ("open", Schema.integer())],
                                                     required: ["channel_id", "capacity", "open"], closed: false))),
            ], required: ["availability", "seats"], closed: false)),
            ("AgentStatusChange", Schema.object([("availability", Schema.enumeration(AgentStatus.Availability.self))])),
            ("AutoReplyRule", Schema.object([
                ("id", Schema.id), ("channel_id", Schema.id), ("kind", Schema.enumeration(AutoReplyRule.Kind.self)), ("keywords", Schema.array(Schema.string())),
                ("pattern", Schema.nullable(Schema.string())), ("replies", Schema.object([], closed: false, description: "Text by language: en, uk, ru")),
                ("hours", Schema.nullable(Schema.array(hours))), ("time_zone", Schema.nullable(Schema.string())), ("enabled", Schema.boolean()),
                ("position", Schema.integer()), ("created_at", Schema.dateTime), ("updated_at", Schema.dateTime),
            ], required: ["id", "channel_id", "kind", "keywords", "replies", "enabled", "position", "created_at", "updated_at"], closed: false)),
            ("AutoReplyRuleList", Schema.list(of: "AutoReplyRule")),
            ("NewAutoReplyRule", ruleFields(required: ["kind", "replies"])),
            ("AutoReplyRuleChange", ruleFields(required: [])),
            ("InboxMeasures", Schema.object([
                ("from", Schema.dateTime), ("to", Schema.dateTime),
                ("channels", Schema.array(Schema.object([("channel_id", Schema.id), ("name", Schema.string()), ("open", Schema.integer()),
                                                         ("waiting", Schema.integer()), ("figures", figures)],
                                                        required: ["channel_id", "name", "open", "waiting", "figures"], closed: false))),
                ("agents", Schema.array(Schema.object([("user_id", Schema.id), ("name", Schema.string()), ("open", Schema.integer()), ("figures", figures)],
                                                      required: ["user_id", "name", "open", "figures"], closed: false))),
            ], required: ["from", "to", "channels", "agents"], closed: false)),
            ("WhatsAppWebhook", Schema.object([("object", Schema.string()), ("entry", Schema.array(Schema.object([], closed: false)))], closed: false,
                                              description: "Meta's webhook body, signed over its raw bytes")),
        ]
    }()
}
