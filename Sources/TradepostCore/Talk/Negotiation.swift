import Foundation

/// A negotiation between a buyer and a seller inside a conversation: revisions of an offer, each a
/// structured message. The latest open revision is the only one that can be accepted, declined or
/// countered; acceptance makes the order from its lines and prices, once.
public struct Negotiation: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case open, accepted, declined }

    public var id: String
    public var conversationId: String
    public var buyerBusinessId: String
    public var sellerBusinessId: String
    public var currency: String
    public var state: State
    /// The latest revision's number.
    public var revision: Int
    /// The order acceptance made.
    public var orderId: String?
    public var revisions: [OfferRevision]

    public init(id: String, conversationId: String, buyerBusinessId: String, sellerBusinessId: String, currency: String, state: State,
                revision: Int, orderId: String?, revisions: [OfferRevision]) {
        self.id = id
        self.conversationId = conversationId
        self.buyerBusinessId = buyerBusinessId
        self.sellerBusinessId = sellerBusinessId
        self.currency = currency
        self.state = state
        self.revision = revision
        self.orderId = orderId
        self.revisions = revisions
    }
}

/// Which side of the trade someone acts for.
public enum TradeSide: String, Codable, Sendable, CaseIterable {
    case buyer, seller
    public var other: TradeSide { self == .buyer ? .seller : .buyer }
}

/// One revision: a request for quote (lines without prices) or an offer (every line priced).
public struct OfferRevision: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case rfq, offer }
    public enum State: String, Codable, Sendable, CaseIterable { case open, superseded, accepted, declined }

    public var negotiationId: String
    public var revision: Int
    public var kind: Kind
    /// The side that made it.
    public var side: TradeSide
    public var state: State
    public var lines: [OfferLine]
    public var currency: String
    public var net: Money?
    public var tax: Money?
    public var gross: Money?
    public var expiresAt: Date?
    public var deliveryTerms: String?
    public var paymentTerms: String?
    public var note: String?
    public var declineReason: String?
    /// What changed from the previous revision (empty for the first).
    public var changes: [OfferChange]
    public var messageId: String
    public var orderId: String?
    public var createdBy: String
    public var createdAt: Date

    public init(negotiationId: String, revision: Int, kind: Kind, side: TradeSide, state: State, lines: [OfferLine], currency: String,
                net: Money?, tax: Money?, gross: Money?, expiresAt: Date?, deliveryTerms: String?, paymentTerms: String?, note: String?,
                declineReason: String?, changes: [OfferChange], messageId: String, orderId: String?, createdBy: String, createdAt: Date) {
        self.negotiationId = negotiationId
        self.revision = revision
        self.kind = kind
        self.side = side
        self.state = state
        self.lines = lines
        self.currency = currency
        self.net = net
        self.tax = tax
        self.gross = gross
        self.expiresAt = expiresAt
        self.deliveryTerms = deliveryTerms
        self.paymentTerms = paymentTerms
        self.note = note
        self.declineReason = declineReason
        self.changes = changes
        self.messageId = messageId
        self.orderId = orderId
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

public struct OfferLine: Codable, Sendable, Equatable {
    public var productId: String
    public var sku: String
    public var name: String
    public var quantity: Int64
    /// Nil in a request for quote.
    public var unitPrice: Money?
    public var taxRate: TaxRate
    public var gross: Money?
    public init(productId: String, sku: String, name: String, quantity: Int64, unitPrice: Money?, taxRate: TaxRate, gross: Money?) {
        self.productId = productId
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.gross = gross
    }
}

/// One difference between a revision and the one before it.
public struct OfferChange: Codable, Sendable, Equatable {
    public enum Field: String, Codable, Sendable, CaseIterable {
        case added, removed, quantity
        case unitPrice = "unit_price"
        case expiresAt = "expires_at"
        case deliveryTerms = "delivery_terms"
        case paymentTerms = "payment_terms"
    }
    public var field: Field
    public var sku: String?
    public var before: String?
    public var after: String?
    public init(field: Field, sku: String?, before: String?, after: String?) {
        self.field = field
        self.sku = sku
        self.before = before
        self.after = after
    }
}

/// An offer or request as sent: lines by product id (or the seller's SKU), quantity and, for an
/// offer, a unit price as a decimal string in the seller's currency.
public struct OfferInput: Codable, Sendable, Equatable {
    /// The same line as a seller's proposed order change: product id or SKU, quantity, unit price.
    public typealias Line = OrderChangeInput.Line
    public var kind: OfferRevision.Kind?
    public var lines: [Line]
    public var expiresAt: Date?
    public var deliveryTerms: String?
    public var paymentTerms: String?
    public var note: String?
    /// The side the caller acts for when they could act for both (default: the one they belong to).
    public var side: TradeSide?
    public init(kind: OfferRevision.Kind? = nil, lines: [Line], expiresAt: Date? = nil, deliveryTerms: String? = nil, paymentTerms: String? = nil,
                note: String? = nil, side: TradeSide? = nil) {
        self.kind = kind
        self.lines = lines
        self.expiresAt = expiresAt
        self.deliveryTerms = deliveryTerms
        self.paymentTerms = paymentTerms
        self.note = note
        self.side = side
    }
}

/// The negotiation's rules, pure: what may be done to a revision, by which side, when.
public enum NegotiationRules {
    public enum Act: String, Sendable, CaseIterable { case accept, decline, counter }

    /// Nil when allowed, else why not (`invalidState` carries the current revision).
    public static func check(_ act: Act, revision: OfferRevision, latest: Int, by side: TradeSide, now: Date) -> AppError? {
        let current = [AppError.Member("current_revision", Int64(latest))]
        guard revision.revision == latest else {
            return AppError(.invalidState, "Revision \(revision.revision) was superseded by revision \(latest)",
                            members: [AppError.Member("state", OfferRevision.State.superseded.rawValue)] + current)
        }
        guard revision.state == .open else {
            return AppError(.invalidState, "The offer is \(revision.state.rawValue)", members: [AppError.Member("state", revision.state.rawValue)] + current)
        }
        let expired = revision.expiresAt.map { $0 <= now } ?? false
        switch act {
        case .accept:
            if expired { return AppError(.invalidState, "The offer expired", members: [AppError.Member("state", "expired")] + current) }
            if revision.side == side { return AppError.forbidden("The other side accepts an offer, not the side that made it") }
            if revision.kind == .rfq { return AppError(.invalidState, "A request for quote has no prices to accept; answer it with an offer",
                                                      members: [AppError.Member("state", "rfq")] + current) }
            return nil
        case .decline:
            if revision.side == side { return AppError.forbidden("The other side declines an offer; send a new revision to change your own") }
            return nil
        case .counter:
            return nil
        }
    }

    /// What `next` changes from `previous`, line by line (by product) and in its terms.
    public static func changes(from previous: OfferRevision?, to next: OfferRevision) -> [OfferChange] {
        guard let previous else { return [] }
        var out: [OfferChange] = []
        let before = Dictionary(previous.lines.map { ($0.productId, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Set(next.lines.map(\.productId))
        for line in next.lines {
            guard let old = before[line.productId] else {
                out.append(OfferChange(field: .added, sku: line.sku, before: nil, after: String(line.quantity)))
                continue
            }
            if old.quantity != line.quantity { out.append(OfferChange(field: .quantity, sku: line.sku, before: String(old.quantity), after: String(line.quantity))) }
            if old.unitPrice != line.unitPrice {
                out.append(OfferChange(field: .unitPrice, sku: line.sku, before: old.unitPrice?.decimal, after: line.unitPrice?.decimal))
            }
        }
        for line in previous.lines where !after.contains(line.productId) {
            out.append(OfferChange(field: .removed, sku: line.sku, before: String(line.quantity), after: nil))
        }
        if previous.expiresAt != next.expiresAt {
            out.append(OfferChange(field: .expiresAt, sku: nil, before: previous.expiresAt.map(iso), after: next.expiresAt.map(iso)))
        }
        if previous.deliveryTerms != next.deliveryTerms {
            out.append(OfferChange(field: .deliveryTerms, sku: nil, before: previous.deliveryTerms, after: next.deliveryTerms))
        }
        if previous.paymentTerms != next.paymentTerms {
            out.append(OfferChange(field: .paymentTerms, sku: nil, before: previous.paymentTerms, after: next.paymentTerms))
        }
        return out
    }

    private static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
