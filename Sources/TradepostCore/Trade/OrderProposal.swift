import Foundation

/// A seller's proposed change to a placed order — quantities, prices, lines, dates — as a new
/// version the buyer accepts or declines. Nothing changes in the order until it is accepted; a new
/// proposal withdraws the open one.
public struct OrderProposal: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case open, accepted, declined, withdrawn }

    public var id: String
    public var orderId: String
    /// 2, 3, …: the order as placed is version 1.
    public var version: Int
    public var state: State
    public var note: String?
    public var requestedDate: String?
    public var deliveryAddress: String?
    /// The order's lines as they would be, priced and taxed.
    public var lines: [OrderLine]
    public var net: Money
    public var tax: Money
    public var gross: Money
    public var proposedBy: String
    public var proposedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?

    public init(id: String, orderId: String, version: Int, state: State, note: String?, requestedDate: String?, deliveryAddress: String?,
                lines: [OrderLine], net: Money, tax: Money, gross: Money, proposedBy: String, proposedAt: Date, decidedBy: String?, decidedAt: Date?) {
        self.id = id
        self.orderId = orderId
        self.version = version
        self.state = state
        self.note = note
        self.requestedDate = requestedDate
        self.deliveryAddress = deliveryAddress
        self.lines = lines
        self.net = net
        self.tax = tax
        self.gross = gross
        self.proposedBy = proposedBy
        self.proposedAt = proposedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// What the seller proposes: the whole set of lines (a line left out is dropped), each with its
/// quantity and, optionally, a new unit price (else the order's, or the buyer's price now for a
/// new product); optionally a new requested date or delivery address.
public struct OrderChangeInput: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var productId: String?
        public var sku: String?
        public var quantity: Int64
        public var unitPrice: String?
        public init(productId: String? = nil, sku: String? = nil, quantity: Int64, unitPrice: String? = nil) {
            self.productId = productId
            self.sku = sku
            self.quantity = quantity
            self.unitPrice = unitPrice
        }
    }

    public var lines: [Line]
    public var requestedDate: String?
    public var deliveryAddress: String?
    public var note: String?

    public init(lines: [Line], requestedDate: String? = nil, deliveryAddress: String? = nil, note: String? = nil) {
        self.lines = lines
        self.requestedDate = requestedDate
        self.deliveryAddress = deliveryAddress
        self.note = note
    }
}

extension Topic {
    /// `ProposalEvent`.
    public static func proposal(_ state: OrderProposal.State) -> String { "order.proposal_\(state.rawValue)" }
}

public struct ProposalEvent: Codable, Sendable, Equatable {
    public var proposalId: String
    public var orderId: String
    public var version: Int
    public var state: OrderProposal.State

    public init(_ p: OrderProposal) {
        proposalId = p.id
        orderId = p.orderId
        version = p.version
        state = p.state
    }
}

/// Negotiating a placed order. The seller's members (`orders.manage`) propose; the buyer's
/// (`orders.place`) accept or decline. Visibility is the order's.
public protocol OrderProposalService: Sendable {
    /// Throws `.invalid` (each bad line named), `.notFound`, `.forbidden`, `.invalidState` (the order is past placed), `.idempotencyKeyReused`.
    func propose(_ caller: Caller, orderID: String, _ input: OrderChangeInput, idempotency: IdempotencyKey?) async throws -> OrderProposal
    /// Oldest first. Throws `.notFound`.
    func proposals(_ caller: Caller, orderID: String) async throws -> [OrderProposal]
    /// Accepting replaces the order's lines, totals and dates and reserves stock for them, in one
    /// transaction. Throws `.notFound`, `.forbidden`, `.invalidState` (the proposal or the order moved
    /// on), `.insufficientStock`.
    func decide(_ caller: Caller, proposalID: String, accept: Bool, idempotency: IdempotencyKey?) async throws -> OrderProposal
}

extension OrderProposalService {
    public func decide(_ caller: Caller, proposalID: String, accept: Bool) async throws -> OrderProposal {
        try await decide(caller, proposalID: proposalID, accept: accept, idempotency: nil)
    }
}
