import Foundation

/// One kind of notification: which outbox topic raises it, who hears it, how urgent it is, which
/// channels it uses unless the user says otherwise, and where it links. Adding a kind is one entry
/// in `NotificationKinds.all` (and its words in `NotificationText`): the fan-out, the centre, the
/// preferences and every channel follow.
public struct NotificationKind: Sendable {
    /// Who hears of an event, named by the event's own fields (snake_case keys of its payload).
    public enum Audience: Sendable, Equatable {
        /// Members of the order's business on that side (both when nil), and salespeople linked to it.
        case order(side: TradeSide?, field: String = "order_id")
        /// Everyone taking part in the conversation but the one who acted (`author`).
        case conversation(field: String = "conversation_id", author: String = "author_id")
        /// The managers of a business.
        case businessManagers(field: String = "business_id")
        /// Every member of a business.
        case businessMembers(field: String = "business_id")
        /// One user.
        case user(field: String = "user_id")
        /// The tenant's admins and owners.
        case tenantAdmins
    }

    public let name: String
    public let topic: String
    public let audience: Audience
    /// Urgent kinds are not held by quiet hours.
    public let urgent: Bool
    /// Channels on by default: in-app always, Telegram wherever email is.
    public let defaultChannels: Set<NotificationChannel>
    /// Who is mailed by default. Salespeople, on the road, are mailed only what they must not miss
    /// (the kinds that name them here); the rest reaches them by Telegram and in the app.
    public let mailRoles: Set<NotificationRole>
    /// The web app's route, built from the event's fields; nil for none.
    public let link: @Sendable ([String: String]) -> String?

    public init(_ name: String, topic: String? = nil, audience: Audience, urgent: Bool = false, defaults: Set<NotificationChannel> = [.email],
                mailRoles: Set<NotificationRole> = [.admin, .manager, .member], link: @escaping @Sendable ([String: String]) -> String?) {
        self.mailRoles = mailRoles
        self.name = name
        self.topic = topic ?? name
        self.audience = audience
        self.urgent = urgent
        // Whoever linked Telegram hears there what they would hear by mail.
        self.defaultChannels = defaults.union([.inApp]).union(defaults.contains(.email) ? [.telegram] : [])
        self.link = link
    }

    /// What a role hears by default: Telegram and the app as the kind says; email only for the
    /// roles in `mailRoles` (or anyone, when urgent).
    public func defaults(for role: NotificationRole) -> Set<NotificationChannel> {
        urgent || mailRoles.contains(role) ? defaultChannels : defaultChannels.subtracting([.email])
    }
}

/// The role a user's notification defaults follow, the most responsible one they hold.
public enum NotificationRole: String, Codable, Sendable, CaseIterable {
    case admin
    case manager
    case member
    case salesperson

    public static func of(_ role: TenantRole, _ kind: UserKind, managesABusiness: Bool) -> NotificationRole {
        if role >= .admin { return .admin }
        if kind == .salesperson { return .salesperson }
        return managesABusiness ? .manager : .member
    }
}

/// Every kind the server knows, in the order the preferences screen lists them.
public enum NotificationKinds {
    static func order(_ f: [String: String]) -> String? { f["order_id"].map { "/orders/\($0)" } }
    static func conversation(_ f: [String: String]) -> String? { f["conversation_id"].map { "/messages/\($0)" } }

    static let everyone = Set(NotificationRole.allCases)

    public static let all: [NotificationKind] = [
        .init("order.placed", audience: .order(side: .seller), mailRoles: everyone, link: order),
        .init("order.confirmed", audience: .order(side: .buyer), link: order),
        .init("order.shipped", audience: .order(side: .buyer), link: order),
        .init("order.partially_shipped", audience: .order(side: .buyer), link: order),
        .init("order.delivered", audience: .order(side: .seller), defaults: [], link: order),
        .init("order.cancelled", audience: .order(side: nil), mailRoles: everyone, link: order),
        .init("order.proposal_open", audience: .order(side: .buyer), link: order),
        .init("order.proposal_accepted", audience: .order(side: .seller), link: order),
        .init("order.proposal_declined", audience: .order(side: .seller), link: order),
        .init("invoice.issued", audience: .order(side: .buyer), link: order),
        .init("invoice.overdue", audience: .order(side: nil), urgent: true, link: order),
        // Money received is the managers' news; the staff who ship see it in the app.
        .init("payment.recorded", audience: .order(side: .seller), mailRoles: [.admin, .manager], link: order),
        .init("return.requested", audience: .order(side: .seller), link: order),
        .init("message.created", audience: .conversation(), defaults: [.telegram], link: conversation),
        // A channel conversation handed to an agent (by the queue or a colleague): their phone should ring.
        .init("inbox.assigned", audience: .user(field: "assignee_id"), defaults: [.telegram], link: { f in f["conversation_id"].map { "/inbox/\($0)" } }),
        .init("offer.revised", audience: .conversation(), link: conversation),
        .init("offer.accepted", audience: .conversation(), link: conversation),
        .init("offer.declined", audience: .conversation(), link: conversation),
        .init("product.approved", audience: .businessManagers(), defaults: [], link: { f in f["product_id"].map { "/products/\($0)" } }),
        .init("product.rejected", audience: .businessManagers(), link: { f in f["product_id"].map { "/products/\($0)" } }),
        .init("salesperson_link.requested", audience: .businessManagers(), link: { _ in "/salespeople" }),
        .init("salesperson_link.active", audience: .user(), link: { _ in "/salespeople" }),
        .init("salesperson_link.revoked", audience: .user(), link: { _ in "/salespeople" }),
        .init("catalog.imported", audience: .businessManagers(), defaults: [], link: { f in f["business_id"].map { "/businesses/\($0)/import" } }),
        .init("stock.low", audience: .businessManagers(), link: { f in f["product_id"].map { "/products/\($0)" } }),
        .init("job.failed", audience: .tenantAdmins, urgent: true, link: { _ in "/jobs" }),
        .init("webhook.disabled", audience: .tenantAdmins, urgent: true, link: { _ in "/webhooks" }),
    ]

    public static let byName: [String: NotificationKind] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    public static let byTopic: [String: [NotificationKind]] = Dictionary(grouping: all, by: \.topic)

    /// Flattens an event's JSON payload to the strings and numbers at its top level.
    public static func fields(_ payload: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let s as String: out[key] = s
            case let n as NSNumber: out[key] = n.stringValue
            case let nested as [String: Any]:
                // Money: {"amount": "12.50", "currency": "UAH"} reads as "12.50 UAH".
                if let amount = nested["amount"] as? String, let currency = nested["currency"] as? String { out[key] = "\(amount) \(currency)" }
            default: break
            }
        }
        return out
    }
}
