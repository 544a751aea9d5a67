import Foundation

/// What happens to an order after it is confirmed: shipments, invoices, payments, and the terms
/// around them (legal details printed on documents, credit limits). Who sees what is the order's
/// rule: the buyer's and the seller's members and tenant admins; to anyone else it is `.notFound`.
/// The seller's members with `orders.manage` ship, invoice and record payments. Each method is one
/// transaction with its audit entry and outbox event.
public protocol FulfilmentService: Sendable {
    /// Ships lines of a confirmed or partially shipped order from one warehouse. Throws `.invalid`,
    /// `.notFound`, `.forbidden`, `.invalidState`, `.insufficientStock`, `.idempotencyKeyReused`.
    func ship(_ caller: Caller, orderID: String, _ input: ShipmentInput, idempotency: IdempotencyKey?) async throws -> Shipment
    /// An order's shipments, oldest first. Throws `.notFound`.
    func shipments(_ caller: Caller, orderID: String) async throws -> [Shipment]
    /// Marks a shipment delivered (the buyer or the seller); the order becomes delivered with its last
    /// shipment. Throws `.notFound`, `.forbidden`, `.invalidState` (already delivered).
    func deliver(_ caller: Caller, shipmentID: String, idempotency: IdempotencyKey?) async throws -> Shipment

    /// Issues an invoice for what the order has not been invoiced for yet (all of it, or what has
    /// shipped). Throws `.invalid` (nothing to invoice), `.notFound`, `.forbidden`, `.invalidState`
    /// (placed, on hold or cancelled), `.idempotencyKeyReused`.
    func issueInvoice(_ caller: Caller, orderID: String, _ input: InvoiceInput, idempotency: IdempotencyKey?) async throws -> Invoice
    /// With lines and payments; `id` may also be its number. Throws `.notFound`.
    func invoice(_ caller: Caller, id: String) async throws -> Invoice
    /// An order's invoices, oldest first, without lines. Throws `.notFound`.
    func invoices(_ caller: Caller, orderID: String) async throws -> [Invoice]
    /// A business's invoices (issued by it as `seller`, or to it as `buyer`), newest first.
    /// Throws `.invalid` (cursor), `.notFound`, `.forbidden`.
    func invoices(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<Invoice>
    /// The invoice (as `invoice`) with the blob holding its PDF, if made yet. Throws `.notFound`.
    func invoiceDocument(_ caller: Caller, id: String) async throws -> (invoice: Invoice, pdfBlob: String?)
    /// Names `blob` as the invoice's PDF unless one is named already; answers the one named (the
    /// caller discards its own bytes when that is another). Throws `.notFound`.
    func attachInvoicePDF(_ tenant: TenantID, invoiceID: String, blob: String) async throws -> String
    /// Records money in (up to the balance) or a refund out (up to what was paid). Throws `.invalid`,
    /// `.notFound`, `.forbidden`, `.idempotencyKeyReused`.
    func recordPayment(_ caller: Caller, invoiceID: String, _ input: PaymentInput, idempotency: IdempotencyKey?) async throws -> Invoice
    /// A business's payments (received as `seller`, made as `buyer`), newest first. Throws `.invalid`, `.notFound`, `.forbidden`.
    func payments(_ caller: Caller, _ filter: OrderFilter, _ page: PageRequest) async throws -> Page<Payment>
    /// Flags invoices past their due date with a balance left, each once, with an `invoice.overdue`
    /// event; answers how many. For the nightly job (a system caller).
    func markOverdue(_ caller: Caller, now: Date) async throws -> Int

    /// A business's details for documents (its name until set). Throws `.notFound`, `.forbidden`.
    func legalDetails(_ caller: Caller, businessID: String) async throws -> LegalDetails
    /// Throws `.invalid`, `.notFound`, `.forbidden`.
    func setLegalDetails(_ caller: Caller, businessID: String, _ details: LegalDetails) async throws -> LegalDetails

    /// The limits a seller gives its buyers, with each buyer's exposure now. Throws `.notFound`, `.forbidden`.
    func creditLimits(_ caller: Caller, sellerBusinessID: String) async throws -> [CreditLimit]
    /// Sets (or with nil removes) a buyer's limit. Throws `.invalid`, `.notFound`, `.forbidden`.
    func setCreditLimit(_ caller: Caller, sellerBusinessID: String, buyerBusinessID: String, limit: Money?) async throws -> CreditLimit?
}

/// What an accounting export holds, one row per order, invoice or payment of a business.
public struct TradeExport: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case orders, invoices, payments }
    public var kind: Kind
    public var filter: OrderFilter
    /// yyyy-mm-dd, inclusive: placed, issued or received on these days (UTC).
    public var from: String?
    public var to: String?
    public var encoding: CSVReader.Encoding
    public var delimiter: UInt8

    public init(kind: Kind, filter: OrderFilter, from: String? = nil, to: String? = nil, encoding: CSVReader.Encoding = .utf8, delimiter: UInt8 = 44) {
        self.kind = kind
        self.filter = filter
        self.from = from
        self.to = to
        self.encoding = encoding
        self.delimiter = delimiter
    }
}

/// CSV exports for accounting, in the catalog export's encodings and delimiters.
public protocol TradeExportService: Sendable {
    /// Checks the caller may read the business's trade before any byte goes out. Throws `.invalid`
    /// (dates), `.notFound`, `.forbidden`.
    func checkExport(_ caller: Caller, _ export: TradeExport) async throws
    /// Streams the CSV, oldest first, 1,000 rows per read. Throws as `checkExport`.
    func export(_ caller: Caller, _ export: TradeExport, write: ([UInt8]) async throws -> Void) async throws
}

extension FulfilmentService {
    public func deliver(_ caller: Caller, shipmentID: String) async throws -> Shipment { try await deliver(caller, shipmentID: shipmentID, idempotency: nil) }
}
