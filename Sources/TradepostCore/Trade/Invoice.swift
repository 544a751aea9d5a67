import Foundation

/// A business's details as they are printed on a document, copied into each invoice at issue so a
/// later change of address never rewrites an issued document.
public struct LegalDetails: Codable, Sendable, Equatable {
    public var legalName: String
    public var taxId: String?
    public var address: String?
    public var bankAccount: String?
    public var bankName: String?
    /// The language its documents are written in (amounts in words too): en, uk or ru.
    public var documentLanguage: String

    public init(legalName: String, taxId: String? = nil, address: String? = nil, bankAccount: String? = nil, bankName: String? = nil,
                documentLanguage: String = "en") {
        self.legalName = legalName
        self.taxId = taxId
        self.address = address
        self.bankAccount = bankAccount
        self.bankName = bankName
        self.documentLanguage = documentLanguage
    }

    public static let languages = ["en", "uk", "ru"]

    /// Trimmed, with every bad field named.
    public func validated() throws -> LegalDetails {
        var v = Validator()
        var out = self
        out.legalName = v.text("legal_name", legalName, max: 200)
        out.taxId = taxId.map { v.text("tax_id", $0, min: 0, max: 40) }?.nilIfEmpty
        out.address = address.map { v.text("address", $0, min: 0, max: 400, multiline: true) }?.nilIfEmpty
        out.bankAccount = bankAccount.map { v.text("bank_account", $0, min: 0, max: 64) }?.nilIfEmpty
        out.bankName = bankName.map { v.text("bank_name", $0, min: 0, max: 200) }?.nilIfEmpty
        if !Self.languages.contains(documentLanguage) { v.fail("document_language", "must be one of en, uk, ru") }
        try v.check()
        return out
    }
}

/// Whether an invoice is paid. Overdue is a separate flag set by the nightly check (`overdue`).
public enum InvoiceStatus: String, Codable, Sendable, CaseIterable {
    case open
    case partiallyPaid = "partially_paid"
    case paid

    /// `due` is the gross less credit notes.
    public static func of(gross due: Int64, paid: Int64) -> InvoiceStatus {
        paid >= due ? .paid : paid <= 0 ? .open : .partiallyPaid
    }
}

/// An issued invoice: never edited, never deleted (a credit note corrects it). Its number is taken
/// in the issuing transaction from a gapless series per seller, series and year.
public struct Invoice: Codable, Sendable, Equatable {
    public var id: String
    /// e.g. INV-ACME-2026-000001.
    public var number: String
    public var series: String
    public var orderId: String
    public var orderNumber: String
    public var sellerBusinessId: String
    public var buyerBusinessId: String
    public var currency: String
    public var pricesIncludeTax: Bool
    public var net: Money
    public var tax: Money
    public var gross: Money
    public var taxes: [TaxSummary]
    /// Received less refunded.
    public var paid: Money
    /// Lowered by credit notes (returns).
    public var credited: Money
    /// What the buyer still owes: gross less credited less paid (negative: the seller owes a refund).
    public var balance: Money
    public var status: InvoiceStatus
    public var overdue: Bool
    public var issuedAt: Date
    /// yyyy-mm-dd: the issue day for prepaid terms, N days after it for net N.
    public var dueDate: String
    public var seller: LegalDetails
    public var buyer: LegalDetails
    /// The buyer's document language, which the PDF is written in.
    public var language: String
    public var issuedBy: String
    public var lines: [InvoiceLine]?
    public var payments: [Payment]?

    public init(id: String, number: String, series: String, orderId: String, orderNumber: String, sellerBusinessId: String, buyerBusinessId: String,
                currency: String, pricesIncludeTax: Bool, net: Money, tax: Money, gross: Money, taxes: [TaxSummary], paid: Money, overdue: Bool,
                issuedAt: Date, dueDate: String, seller: LegalDetails, buyer: LegalDetails, language: String, issuedBy: String,
                lines: [InvoiceLine]?, payments: [Payment]?, credited: Money? = nil) {
        self.id = id
        self.number = number
        self.series = series
        self.orderId = orderId
        self.orderNumber = orderNumber
        self.sellerBusinessId = sellerBusinessId
        self.buyerBusinessId = buyerBusinessId
        self.currency = currency
        self.pricesIncludeTax = pricesIncludeTax
        self.net = net
        self.tax = tax
        self.gross = gross
        self.taxes = taxes
        self.paid = paid
        let credited = credited ?? Money(minor: 0, currency: currency)
        self.credited = credited
        self.balance = Money(minor: gross.minor - credited.minor - paid.minor, currency: currency)
        self.status = InvoiceStatus.of(gross: gross.minor - credited.minor, paid: paid.minor)
        self.overdue = overdue
        self.issuedAt = issuedAt
        self.dueDate = dueDate
        self.seller = seller
        self.buyer = buyer
        self.language = language
        self.issuedBy = issuedBy
        self.lines = lines
        self.payments = payments
    }
}

public struct InvoiceLine: Codable, Sendable, Equatable {
    public var lineNo: Int
    public var orderLineNo: Int
    public var sku: String
    public var name: String
    public var quantity: Int64
    public var unitPrice: Money
    public var taxRate: TaxRate
    public var net: Money
    public var tax: Money
    public var gross: Money

    public init(lineNo: Int, orderLineNo: Int, sku: String, name: String, quantity: Int64, unitPrice: Money, taxRate: TaxRate,
                net: Money, tax: Money, gross: Money) {
        self.lineNo = lineNo
        self.orderLineNo = orderLineNo
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxRate = taxRate
        self.net = net
        self.tax = tax
        self.gross = gross
    }
}

/// What to invoice: everything ordered and not yet invoiced, or what has shipped and is not yet invoiced.
public struct InvoiceInput: Codable, Sendable, Equatable {
    public enum Basis: String, Codable, Sendable, CaseIterable { case order, shipped }
    public var basis: Basis?
    /// The series, e.g. INV (the default); numbers count per series.
    public var series: String?

    public init(basis: Basis? = nil, series: String? = nil) {
        self.basis = basis
        self.series = series
    }
}

/// Money received for an invoice (`in`) or refunded to the buyer (`out`).
public struct Payment: Codable, Sendable, Equatable {
    public enum Direction: String, Codable, Sendable, CaseIterable { case `in`, out }
    public enum Method: String, Codable, Sendable, CaseIterable {
        case bankTransfer = "bank_transfer"
        case cash, card, other
    }

    public var id: String
    public var invoiceId: String
    public var invoiceNumber: String
    public var direction: Direction
    public var method: Method
    public var amount: Money
    /// yyyy-mm-dd.
    public var receivedOn: String
    public var reference: String?
    public var recordedBy: String
    public var recordedAt: Date

    public init(id: String, invoiceId: String, invoiceNumber: String, direction: Direction, method: Method, amount: Money, receivedOn: String,
                reference: String?, recordedBy: String, recordedAt: Date) {
        self.id = id
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.direction = direction
        self.method = method
        self.amount = amount
        self.receivedOn = receivedOn
        self.reference = reference
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}

public struct PaymentInput: Codable, Sendable, Equatable {
    /// A decimal string in the invoice's currency.
    public var amount: String?
    public var method: Payment.Method?
    public var direction: Payment.Direction?
    public var receivedOn: String?
    public var reference: String?

    public init(amount: String?, method: Payment.Method?, direction: Payment.Direction? = nil, receivedOn: String? = nil, reference: String? = nil) {
        self.amount = amount
        self.method = method
        self.direction = direction
        self.receivedOn = receivedOn
        self.reference = reference
    }
}

/// How far a seller trusts a buyer: an order that would take the buyer's unpaid total with the
/// seller over `limit` waits `on_hold` until the seller approves it. Checked at placement.
public struct CreditLimit: Codable, Sendable, Equatable {
    public var sellerBusinessId: String
    public var buyerBusinessId: String
    public var buyerName: String
    public var limit: Money
    /// Non-cancelled orders' gross less payments received (net of refunds), in the limit's currency.
    public var exposure: Money

    public init(sellerBusinessId: String, buyerBusinessId: String, buyerName: String, limit: Money, exposure: Money) {
        self.sellerBusinessId = sellerBusinessId
        self.buyerBusinessId = buyerBusinessId
        self.buyerName = buyerName
        self.limit = limit
        self.exposure = exposure
    }
}

/// Payloads of `invoice.issued`, `invoice.paid`, `invoice.overdue` and `shipment.created`.
public struct InvoiceEvent: Codable, Sendable, Equatable {
    public var invoiceId: String
    public var number: String
    public var orderId: String
    public var sellerBusinessId: String
    public var buyerBusinessId: String
    public var balance: Money

    public init(_ invoice: Invoice) {
        invoiceId = invoice.id
        number = invoice.number
        orderId = invoice.orderId
        sellerBusinessId = invoice.sellerBusinessId
        buyerBusinessId = invoice.buyerBusinessId
        balance = invoice.balance
    }
}

extension Topic {
    /// `ShipmentEvent`.
    public static let shipmentCreated = "shipment.created"
    public static let shipmentDelivered = "shipment.delivered"
    /// `InvoiceEvent`.
    public static let invoiceIssued = "invoice.issued"
    public static let invoicePaid = "invoice.paid"
    public static let invoiceOverdue = "invoice.overdue"
    /// A payment in or out changed an invoice's balance: `InvoiceEvent`.
    public static let paymentRecorded = "payment.recorded"
}

/// Payload of `shipment.created` and `shipment.delivered`.
public struct ShipmentEvent: Codable, Sendable, Equatable {
    public var shipmentId: String
    public var orderId: String
    public var number: Int
    public var carrier: String?
    public var trackingNumber: String?

    public init(_ shipment: Shipment) {
        shipmentId = shipment.id
        orderId = shipment.orderId
        number = shipment.number
        carrier = shipment.carrier
        trackingNumber = shipment.trackingNumber
    }
}
