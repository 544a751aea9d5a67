import TradepostCore

/// Schemas of conversations, negotiations and salespeople.
extension Components {
    static let offerLineInput = Schema.object([
        ("product_id", Schema.id), ("sku", Schema.line(maxLength: 64)), ("quantity", Schema.integer(minimum: 1, maximum: 1_000_000_000_000)),
        ("unit_price", Schema.string("A decimal in the seller's currency, e.g. \"12.50\"; required in an offer, absent in a request for quote",
                                     pattern: "^[0-9]{1,13}([.,][0-9]{1,4})?$")),
    ], required: ["quantity"], exactlyOne: ["product_id", "sku"])

    static let offerFields: [(String, JSONValue)] = [
        ("kind", Schema.enumeration(OfferRevision.Kind.self, "rfq (lines without prices, from the buyer) or offer (every line priced); "
                                    + "by default offer when every line has a unit_price")),
        ("lines", Schema.array(offerLineInput, minItems: 1, maxItems: 500)),
        ("expires_at", Schema.string("After this the offer cannot be accepted (409)", format: "date-time")),
        ("delivery_terms", Schema.text(maxLength: 500)), ("payment_terms", Schema.text(maxLength: 500)), ("note", Schema.text(maxLength: 2000)),
        ("side", Schema.enumeration(TradeSide.self, "For someone acting for both businesses: the side they speak for")),
    ]

    static let talk: [(String, JSONValue)] = [
        ("NewConversation", Schema.object([
            ("buyer_business_id", Schema.id), ("seller_business_id", Schema.id), ("product_id", Schema.id), ("order_id", Schema.id),
            ("user_id", Schema.id), ("title", Schema.text(maxLength: 200)),
        ], dependentRequired: ["buyer_business_id": ["seller_business_id"], "seller_business_id": ["buyer_business_id"]],
           description: "With a business (buyer_business_id and seller_business_id; the caller acts for one of them), optionally about a "
                + "product or an order; or with a user (user_id)")),
        ("Conversation", Schema.object([
            ("id", Schema.id), ("kind", Schema.enumeration(Conversation.Kind.self)), ("state", Schema.enumeration(Conversation.State.self)),
            ("title", Schema.nullable(Schema.string())), ("buyer_business_id", Schema.nullable(Schema.id)), ("buyer_name", Schema.nullable(Schema.string())),
            ("seller_business_id", Schema.nullable(Schema.id)), ("seller_name", Schema.nullable(Schema.string())),
            ("product_id", Schema.nullable(Schema.id)), ("order_id", Schema.nullable(Schema.id)),
            ("user_ids", Schema.nullable(Schema.array(Schema.id))), ("last_seq", Schema.integer("The sequence number of its latest event")),
            ("last_message_at", Schema.nullable(Schema.dateTime)), ("preview", Schema.nullable(Schema.string())),
            ("unread", Schema.integer("Messages by others after the caller's read mark")), ("created_at", Schema.dateTime),
        ], required: ["id", "kind", "state", "last_seq", "unread", "created_at"], closed: false)),
        ("ConversationList", Schema.list(of: "Conversation")),
        ("NewMessage", Schema.object([
            ("text", Schema.text(maxLength: MessageInput.maxText)), ("reply_to", Schema.id), ("product_id", Schema.id),
            ("attachment_ids", Schema.array(Schema.id, "Files uploaded to the conversation first", maxItems: 10)),
        ], description: "Text, files or a product card (at least one)")),
        ("MessageEdit", Schema.object([("text", Schema.text(maxLength: MessageInput.maxText))], required: ["text"])),
        ("Attachment", Schema.object([
            ("id", Schema.id), ("name", Schema.string()), ("content_type", Schema.string()), ("size", Schema.integer()),
            ("width", Schema.nullable(Schema.integer())), ("height", Schema.nullable(Schema.integer())),
        ], required: ["id", "name", "content_type", "size"], closed: false, description: "Served at /api/v1/attachments/{id} to participants")),
        ("Message", Schema.object([
            ("id", Schema.id), ("conversation_id", Schema.id), ("seq", Schema.integer()), ("kind", Schema.enumeration(Message.Kind.self)),
            ("author_id", Schema.id), ("author_name", Schema.string()), ("text", Schema.nullable(Schema.string())),
            ("reply_to", Schema.nullable(Schema.id)), ("product_id", Schema.nullable(Schema.id)),
            ("attachments", Schema.array(Schema.ref("Attachment"))), ("offer", Schema.nullable(Schema.ref("OfferRevision"))),
            ("created_at", Schema.dateTime), ("edited_at", Schema.nullable(Schema.dateTime)),
            ("deleted_at", Schema.nullable(Schema.string("Set on a deleted message (a tombstone without text or files)", format: "date-time"))),
        ], required: ["id", "conversation_id", "seq", "kind", "author_id", "author_name", "attachments", "created_at"], closed: false)),
        ("MessagePage", Schema.object([
            ("items", Schema.array(Schema.ref("Message"), "Oldest first")),
            ("last_seq", Schema.integer("The conversation's latest sequence number when read: live events after it are new")),
            ("next_before", Schema.nullable(Schema.integer("Pass as before= for older messages"))),
        ], required: ["items", "last_seq"], closed: false)),
        ("ConversationEvent", Schema.object([
            ("conversation_id", Schema.id), ("seq", Schema.integer()), ("kind", Schema.enumeration(ConversationEvent.Kind.self)),
            ("message", Schema.nullable(Schema.ref("Message"))), ("user_id", Schema.nullable(Schema.id)), ("read_seq", Schema.nullable(Schema.integer())),
            ("at", Schema.dateTime),
        ], required: ["conversation_id", "seq", "kind", "at"], closed: false)),
        ("ConversationEvents", Schema.object([
            ("events", Schema.array(Schema.ref("ConversationEvent"))), ("resync", Schema.boolean("Too far behind: reload the conversation")),
            ("last_seq", Schema.integer()),
        ], required: ["events", "resync", "last_seq"], closed: false)),
        ("ReadMark", Schema.object([("seq", Schema.integer("Read up to this sequence number (default: everything)", minimum: 0))])),
        ("InboxCounts", Schema.object([
            ("total", Schema.integer()),
            ("conversations", .object([("type", "object"), ("additionalProperties", Schema.integer())])),
        ], required: ["total", "conversations"], closed: false)),
        ("MessageHit", Schema.object([("message", Schema.ref("Message")), ("conversation_title", Schema.string())],
                                     required: ["message", "conversation_title"], closed: false)),
        ("MessageHitList", Schema.list(of: "MessageHit")),
        ("NewOffer", Schema.object(offerFields, required: ["lines"])),
        ("OfferCounter", Schema.object(offerFields + [("revision", Schema.integer("The revision this answers (the latest)", minimum: 1))],
                                       required: ["lines", "revision"])),
        ("OfferDecision", Schema.object([("revision", Schema.integer(minimum: 1)), ("reason", Schema.text(maxLength: 500))], required: ["revision"])),
        ("QuoteRequest", Schema.object([("seller_business_id", Schema.id), ("note", Schema.text(maxLength: 2000))], required: ["seller_business_id"])),
        ("OfferRevision", Schema.object([
            ("negotiation_id", Schema.id), ("revision", Schema.integer()), ("kind", Schema.enumeration(OfferRevision.Kind.self)),
            ("side", Schema.enumeration(TradeSide.self)), ("state", Schema.enumeration(OfferRevision.State.self)),
            ("lines", Schema.array(Schema.object([
                ("product_id", Schema.id), ("sku", Schema.string()), ("name", Schema.string()), ("quantity", Schema.integer()),
                ("unit_price", Schema.nullable(money)), ("tax_rate", taxRate), ("gross", Schema.nullable(money)),
            ], required: ["product_id", "sku", "name", "quantity", "tax_rate"], closed: false))),
            ("currency", Schema.string()), ("net", Schema.nullable(money)), ("tax", Schema.nullable(money)), ("gross", Schema.nullable(money)),
            ("expires_at", Schema.nullable(Schema.dateTime)), ("delivery_terms", Schema.nullable(Schema.string())),
            ("payment_terms", Schema.nullable(Schema.string())), ("note", Schema.nullable(Schema.string())),
            ("decline_reason", Schema.nullable(Schema.string())),
            ("changes", Schema.array(Schema.object([
                ("field", Schema.enumeration(OfferChange.Field.self)), ("sku", Schema.nullable(Schema.string())),
                ("before", Schema.nullable(Schema.string())), ("after", Schema.nullable(Schema.string())),
            ], required: ["field"], closed: false), "What changed from the previous revision")),
            ("message_id", Schema.id), ("order_id", Schema.nullable(Schema.id)), ("created_by", Schema.string()), ("created_at", Schema.dateTime),
        ], required: ["negotiation_id", "revision", "kind", "side", "state", "lines", "currency", "changes", "message_id", "created_by", "created_at"],
           closed: false)),
        ("Negotiation", Schema.object([
            ("id", Schema.id), ("conversation_id", Schema.id), ("buyer_business_id", Schema.id), ("seller_business_id", Schema.id),
            ("currency", Schema.string()), ("state", Schema.enumeration(Negotiation.State.self)), ("revision", Schema.integer("The latest revision")),
            ("order_id", Schema.nullable(Schema.id)), ("revisions", Schema.array(Schema.ref("OfferRevision"))),
        ], required: ["id", "conversation_id", "buyer_business_id", "seller_business_id", "currency", "state", "revision", "revisions"], closed: false)),
        ("NegotiationList", Schema.list(of: "Negotiation")),
        ("NewSalespersonLink", Schema.object([
            ("business_id", Schema.id), ("side", Schema.enumeration(TradeSide.self, "seller: represent the business; buyer: act for it (place its orders)")),
            ("note", Schema.text(maxLength: 500)),
        ], required: ["business_id", "side"])),
        ("LinkDecision", Schema.object([("reason", Schema.text(maxLength: 500))])),
        ("SalespersonLink", Schema.object([
            ("id", Schema.id), ("user_id", Schema.id), ("user_name", Schema.string()), ("user_email", Schema.string()), ("business_id", Schema.id),
            ("business_name", Schema.string()), ("side", Schema.enumeration(TradeSide.self)), ("state", Schema.enumeration(SalespersonLink.State.self)),
            ("note", Schema.nullable(Schema.string())), ("identity_verified", Schema.boolean()), ("requested_at", Schema.dateTime),
            ("decided_by", Schema.nullable(Schema.string())), ("decided_at", Schema.nullable(Schema.dateTime)), ("reason", Schema.nullable(Schema.string())),
        ], required: ["id", "user_id", "business_id", "side", "state", "identity_verified", "requested_at"], closed: false)),
        ("SalespersonLinkList", Schema.list(of: "SalespersonLink")),
        ("SalespersonIdentity", Schema.object([
            ("user_id", Schema.id), ("user_name", Schema.string()), ("document_name", Schema.nullable(Schema.string())),
            ("content_type", Schema.nullable(Schema.string())), ("size", Schema.nullable(Schema.integer())), ("uploaded_at", Schema.nullable(Schema.dateTime)),
            ("verified_by", Schema.nullable(Schema.string())), ("verified_at", Schema.nullable(Schema.dateTime)),
        ], required: ["user_id", "user_name"], closed: false)),
        ("SalespersonIdentityList", Schema.list(of: "SalespersonIdentity")),
    ]
}
