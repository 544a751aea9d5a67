import Foundation

/// Where a return is: the buyer asks, the seller accepts or refuses, and receiving the goods puts
/// them back on a shelf (or writes off the damaged ones) and issues the credit note.
public enum ReturnState: String, Codable, Sendable, CaseIterable {
    case requested, accepted, refused, received

    public enum Action: String, Sendable { case accept, refuse, receive }

    /// The one place the return's state machine is written down.
    public func after(_ action: Action) -> ReturnState? {
        switch (self, action) {
        case (.requested, .accept): .accepted
        case (.requested, .refuse): .refused
        case (.accepted, .receive): .received
        default: nil
        }
    }

    public func next(_ action: Action) throws -> ReturnState {
        guard let next = after(action) else { throw AppError.invalidState(rawValue, "\(action.rawValue) the return") }
        return next
    }
}

/// A buyer's request to send back shipped goods, and what became of it.
public struct OrderReturn: Codable, Sendable, Equatable {
    public var id: String
    public var orderId: String
    public var orderNumber: String
    /// 1, 2, … within the order.
    public var number: Int
    public var state: ReturnState
    public var reason: String
    public var requestedBy: String
    public var requestedAt: Date
    public var decidedAt: Date?
    public var decisionNote: String?
    public var receivedAt: Date?
    public var warehouseId: String?
    public var creditNoteId: String?
    public var creditNoteNumber: String?
    public var lines: [ReturnLine]

    public init(id: String, orderId: String, orderNumber: String, number: Int, state: ReturnState, reason: String, requestedBy: String,
                requestedAt: Date, decidedAt: Date?, decisionNote: String?, receivedAt: Date?, warehouseId: String?, creditNoteId: String?,
                creditNoteNumber: String?, lines: [ReturnLine]) {
        self.id = id
        self.orderId = orderId
        self.orderNumber = orderNumber
        self.number = number
        self.state = state
        self.reason = reason
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.decidedAt = decidedAt
        self.decisionNote = decisionNote
        self.receivedAt = receivedAt
        self.warehouseId = warehouseId
        self.creditNoteId = creditNoteId
        self.creditNoteNumber = creditNoteNumber
        self.lines = lines
    }
}

public struct ReturnLine: Codable, Sendable, Equatable {
    public var lineNo: Int
    public var sku: String
    public var name: String
    public var quantity: Int64
    /// Of `quantity`, written off as damaged when received (the rest went back on the shelf).
    public var damaged: Int64

    public init(lineNo: Int, sku: String, name: String, quantity: Int64, damaged: Int64) {
        self.lineNo = lineNo
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.damaged = damaged
    }
}

/// What the buyer sends back and why.
public struct ReturnInput: Codable, Sendable, Equatable {
    public var lines: [ShipmentInput.Line]
    public var reason: String

    public init(lines: [ShipmentInput.Line], reason: String) {
        self.lines = lines
        self.reason = reason
    }
}

/// How the returned goods arrived: into which warehouse, and how many of each line are damaged.
public struct ReceiveInput: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var lineNo: Int
        public var damaged: Int64
        public init(lineNo: Int, damaged: Int64) {
            self.lineNo = lineNo
            self.damaged = damaged
        }
    }

    public var warehouseId: String?
    public var lines: [Line]

    public init(warehouseId: String? = nil, lines: [Line] = []) {
        self.warehouseId = warehouseId
        self.lines = lines
    }
}

/// The money side of a return: a document with its own gapless series per seller and year
/// (CN-ACME-2026-000001), never edited, lowering what the buyer owes on the invoice it corrects.
public struct CreditNote: Codable, Sendable, Equatable {
    public var id: String
    public var number: String
    public var orderId: String
    public var orderNumber: String
    public var returnId: String
    /// The invoice it corrects (the latest that billed a returned line), when the order was invoiced.
    public var invoiceId: String?
    public var invoiceNumber: String?
    public var sellerBusinessId: String
    public var buyerBusinessId: String
    public var currency: String
    public var pricesIncludeTax: Bool
    public var net: Money
    public var tax: Money
    public var gross: Money
    public var taxes: [TaxSummary]
    public var reason: String
    public var issuedAt: Date
    public var seller: LegalDetails
    public var buyer: LegalDetails
    public var language: String
    public var issuedBy: String
    public var lines: [InvoiceLine]?

    public init(id: String, number: String, orderId: String, orderNumber: String, returnId: String, invoiceId: String?, invoiceNumber: String?,
                sellerBusinessId: String, buyerBusinessId: String, currency: String, pricesIncludeTax: Bool, net: Money, tax: Money, gross: Money,
                taxes: [TaxSummary], reason: String, issuedAt: Date, seller: LegalDetails, buyer: LegalDetails, language: String, issuedBy: String,
                lines: [InvoiceLine]?) {
        self.id = id
        self.number = number
        self.orderId = orderId
        self.orderNumber = orderNumber
        self.returnId = returnId
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.sellerBusinessId = sellerBusinessId
        self.buyerBusinessId = buyerBusinessId
        self.currency = currency
        self.pricesIncludeTax = pricesIncludeTax
        self.net = net
        self.tax = tax
        self.gross = gross
        self.taxes = taxes
        self.reason = reason
        self.issuedAt = issuedAt
        self.seller = seller
        self.buyer = buyer
        self.language = language
        self.issuedBy = issuedBy
        self.lines = lines
    }
}

/// Payload of `return.requested`, `return.accepted`, `return.refused` and `return.received`.
public struct ReturnEvent: Codable, Sendable, Equatable {
    public var returnId: String
    public var orderId: String
    public var state: ReturnState
    public var creditNoteId: String?

    public init(_ r: OrderReturn) {
        returnId = r.id
        orderId = r.orderId
        state = r.state
        creditNoteId = r.creditNoteId
    }
}

extension Topic {
    public static func orderReturn(_ state: ReturnState) -> String { "return.\(state.rawValue)" }
    public static let creditNoteIssued = "credit_note.issued"
}

/// Returns and credit notes. The buyer's members (`orders.place`) ask for returns; the seller's
/// (`orders.manage`) accept, refuse and receive them. Visibility is the order's.
public protocol ReturnService: Sendable {
    /// Throws `.invalid` (lines beyond what shipped and is not already being returned), `.notFound`,
    /// `.forbidden`, `.invalidState` (nothing shipped yet), `.idempotencyKeyReused`.
    func requestReturn(_ caller: Caller, orderID: String, _ input: ReturnInput, idempotency: IdempotencyKey?) async throws -> OrderReturn
    /// Throws `.notFound`, `.forbidden`, `.invalidState` (409 with the return's state).
    func decideReturn(_ caller: Caller, returnID: String, accept: Bool, note: String?, idempotency: IdempotencyKey?) async throws -> OrderReturn
    /// Puts the goods back (the damaged written off) in one warehouse and issues the credit note,
    /// in one transaction. Throws `.invalid`, `.notFound`, `.forbidden`, `.invalidState`.
    func receiveReturn(_ caller: Caller, returnID: String, _ input: ReceiveInput, idempotency: IdempotencyKey?) async throws -> OrderReturn
    /// An order's returns, oldest first. Throws `.notFound`.
    func returns(_ caller: Caller, orderID: String) async throws -> [OrderReturn]
    /// A business's returns (to it as `seller`, from it as `buyer`), newest first. Throws `.invalid`, `.notFound`, `.forbidden`.
    func returns(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<OrderReturn>
    /// With lines; `id` may also be its number. Throws `.notFound`.
    func creditNote(_ caller: Caller, id: String) async throws -> CreditNote
    /// An order's credit notes, oldest first. Throws `.notFound`.
    func creditNotes(_ caller: Caller, orderID: String) async throws -> [CreditNote]
    /// The credit note with the blob holding its PDF, if made yet. Throws `.notFound`.
    func creditNoteDocument(_ caller: Caller, id: String) async throws -> (creditNote: CreditNote, pdfBlob: String?)
    /// Names `blob` as its PDF unless one is named already; answers the one named. Throws `.notFound`.
    func attachCreditNotePDF(_ tenant: TenantID, creditNoteID: String, blob: String) async throws -> String
}

extension ReturnService {
    public func decideReturn(_ caller: Caller, returnID: String, accept: Bool, note: String?) async throws -> OrderReturn {
        try await decideReturn(caller, returnID: returnID, accept: accept, note: note, idempotency: nil)
    }
    public func receiveReturn(_ caller: Caller, returnID: String, _ input: ReceiveInput) async throws -> OrderReturn {
        try await receiveReturn(caller, returnID: returnID, input, idempotency: nil)
    }
}
