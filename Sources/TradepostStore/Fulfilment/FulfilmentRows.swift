import Foundation
import GRDB
import TradepostCore

/// Shipments, invoices and payments ↔ rows.
enum FulfilmentRows {
    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return e
    }()
    private static let decoder = JSONDecoder()

    static func json(_ details: LegalDetails) throws -> String { String(decoding: try encoder.encode(details), as: UTF8.self) }

    static func legal(_ text: String) -> LegalDetails {
        (try? decoder.decode(LegalDetails.self, from: Data(text.utf8))) ?? LegalDetails(legalName: "")
    }

    // MARK: Shipments

    static func shipments(_ db: Database, where clause: String, _ arguments: StatementArguments) throws -> [Shipment] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.*, w.name AS warehouse_name FROM shipments s JOIN warehouses w ON w.id = s.warehouse_id
            WHERE \(clause) ORDER BY s.order_id, s.number
            """, arguments: arguments)
        return try rows.map { row in
            let id: String = row["id"]
            let lines = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT sl.line_no, ol.sku, ol.name, sl.quantity FROM shipment_lines sl
                JOIN shipments s ON s.id = sl.shipment_id JOIN order_lines ol ON ol.order_id = s.order_id AND ol.line_no = sl.line_no
                WHERE sl.shipment_id = ? ORDER BY sl.line_no
                """), arguments: [id]).map { ShipmentLine(lineNo: $0[0], sku: $0[1], name: $0[2], quantity: $0[3]) }
            return Shipment(id: id, orderId: row["order_id"], number: row["number"], warehouseId: row["warehouse_id"],
                            warehouseName: row["warehouse_name"], carrier: row["carrier"], trackingNumber: row["tracking_number"],
                            shippedAt: row["shipped_at"], deliveredAt: row["delivered_at"], createdBy: row["created_by"], lines: lines)
        }
    }

    // MARK: Invoices

    static let invoiceSelect = """
        SELECT i.*, o.number AS order_number,
               (SELECT coalesce(sum(c.gross_minor), 0) FROM credit_notes c WHERE c.invoice_id = i.id) AS credited_minor
        FROM invoices i JOIN orders o ON o.id = i.order_id
        """

    static func invoice(_ row: Row) -> Invoice {
        let currency: String = row["currency"]
        func money(_ column: String) -> Money { Money(minor: row[column], currency: currency) }
        return Invoice(id: row["id"], number: row["number"], series: row["series"], orderId: row["order_id"], orderNumber: row["order_number"],
                       sellerBusinessId: row["seller_business_id"], buyerBusinessId: row["buyer_business_id"], currency: currency,
                       pricesIncludeTax: row["prices_include_tax"], net: money("net_minor"), tax: money("tax_minor"), gross: money("gross_minor"),
                       taxes: OrderRows.taxes(row["taxes"], currency), paid: money("paid_minor"), overdue: row["overdue_at"] != nil,
                       issuedAt: row["issued_at"], dueDate: row["due_date"], seller: legal(row["seller"]), buyer: legal(row["buyer"]),
                       language: row["language"], issuedBy: row["issued_by"], lines: nil, payments: nil, credited: money("credited_minor"))
    }

    /// One invoice (by id or number) with its lines and payments, or nil.
    static func fetchInvoice(_ db: Database, id: String) throws -> Invoice? {
        guard let row = try Row.fetchOne(db, sql: invoiceSelect + " WHERE i.id = ?", arguments: [id])
                ?? Row.fetchOne(db, sql: invoiceSelect + " WHERE i.number = ?", arguments: [id]) else { return nil }
        var invoice = invoice(row)
        let currency = invoice.currency
        invoice.lines = try Row.fetchAll(db, sql: "SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no", arguments: [invoice.id]).map {
            InvoiceLine(lineNo: $0["line_no"], orderLineNo: $0["order_line_no"], sku: $0["sku"], name: $0["name"], quantity: $0["quantity"],
                        unitPrice: Money(minor: $0["unit_minor"], currency: currency), taxRate: TaxRate(basisPoints: $0["tax_rate_bp"]),
                        net: Money(minor: $0["net_minor"], currency: currency), tax: Money(minor: $0["tax_minor"], currency: currency),
                        gross: Money(minor: $0["gross_minor"], currency: currency))
        }
        invoice.payments = try payments(db, where: "p.invoice_id = ?", [invoice.id], order: "p.recorded_at, p.id")
        return invoice
    }

    // MARK: Payments

    static func payments(_ db: Database, where clause: String, _ arguments: StatementArguments, order: String, limit: Int? = nil) throws -> [Payment] {
        try Row.fetchAll(db, sql: """
            SELECT p.*, i.number AS invoice_number FROM payments p JOIN invoices i ON i.id = p.invoice_id
            WHERE \(clause) ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")
            """, arguments: arguments).map {
            Payment(id: $0["id"], invoiceId: $0["invoice_id"], invoiceNumber: $0["invoice_number"],
                    direction: Payment.Direction(rawValue: $0["direction"]) ?? .in, method: Payment.Method(rawValue: $0["method"]) ?? .other,
                    amount: Money(minor: $0["amount_minor"], currency: $0["currency"]), receivedOn: $0["received_on"],
                    reference: $0["reference"], recordedBy: $0["recorded_by"], recordedAt: $0["recorded_at"])
        }
    }

    // MARK: Documents' PDFs

    /// Names `blob` as the PDF of the invoice or credit note `id` (`table`) unless one is named;
    /// answers the one named.
    static func attachPDF(_ db: Database, table: String, id: String, blob: String, what: String) throws -> String {
        try db.execute(sql: "UPDATE \(table) SET pdf_blob = ? WHERE id = ? AND pdf_blob IS NULL", arguments: [blob, id])
        guard let named = try String.fetchOne(db, sql: "SELECT pdf_blob FROM \(table) WHERE id = ?", arguments: [id]) else { throw AppError.notFound(what) }
        return named
    }

    // MARK: Legal details

    static func legalDetails(_ db: Database, business: String) throws -> LegalDetails {
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM business_legal WHERE business_id = ?", arguments: [business]) {
            return LegalDetails(legalName: row["legal_name"], taxId: row["tax_id"], address: row["address"], bankAccount: row["bank_account"],
                                bankName: row["bank_name"], documentLanguage: row["document_language"])
        }
        let row = try Row.fetchOne(db, sql: "SELECT name, city, address FROM businesses WHERE id = ?", arguments: [business])
        let address = [row?["address"] as String?, row?["city"] as String?].compactMap { $0 }.joined(separator: ", ")
        return LegalDetails(legalName: row?["name"] ?? "", address: address.isEmpty ? nil : address)
    }
}
