import Foundation
import GRDB
import TradepostCore

/// Returns and credit notes ↔ rows.
enum ReturnRows {
    static func returns(_ db: Database, where clause: String, _ arguments: StatementArguments, order: String = "r.requested_at, r.id",
                        limit: Int? = nil) throws -> [OrderReturn] {
        try Row.fetchAll(db, sql: """
            SELECT r.*, o.number AS order_number, c.number AS credit_note_number FROM returns r JOIN orders o ON o.id = r.order_id
            LEFT JOIN credit_notes c ON c.id = r.credit_note_id WHERE \(clause) ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")
            """, arguments: arguments).map { row in
            let id: String = row["id"]
            let lines = try Row.fetchAll(db, sql: """
                SELECT rl.line_no, ol.sku, ol.name, rl.quantity, rl.damaged FROM return_lines rl
                JOIN returns r ON r.id = rl.return_id JOIN order_lines ol ON ol.order_id = r.order_id AND ol.line_no = rl.line_no
                WHERE rl.return_id = ? ORDER BY rl.line_no
                """, arguments: [id]).map { ReturnLine(lineNo: $0[0], sku: $0[1], name: $0[2], quantity: $0[3], damaged: $0[4]) }
            return OrderReturn(id: id, orderId: row["order_id"], orderNumber: row["order_number"], number: row["number"],
                               state: ReturnState(rawValue: row["state"]) ?? .requested, reason: row["reason"], requestedBy: row["requested_by"],
                               requestedAt: row["requested_at"], decidedAt: row["decided_at"], decisionNote: row["decision_note"],
                               receivedAt: row["received_at"], warehouseId: row["warehouse_id"], creditNoteId: row["credit_note_id"],
                               creditNoteNumber: row["credit_note_number"], lines: lines)
        }
    }

    static func creditNotes(_ db: Database, where clause: String, _ arguments: StatementArguments, withLines: Bool) throws -> [CreditNote] {
        try Row.fetchAll(db, sql: """
            SELECT c.*, o.number AS order_number, i.number AS invoice_number FROM credit_notes c JOIN orders o ON o.id = c.order_id
            LEFT JOIN invoices i ON i.id = c.invoice_id WHERE \(clause) ORDER BY c.issued_at, c.id
            """, arguments: arguments).map { row in
            let currency: String = row["currency"]
            func money(_ minor: Int64) -> Money { Money(minor: minor, currency: currency) }
            let id: String = row["id"]
            let lines = withLines ? try Row.fetchAll(db, sql: "SELECT * FROM credit_note_lines WHERE credit_note_id = ? ORDER BY line_no", arguments: [id]).map {
                InvoiceLine(lineNo: $0["line_no"], orderLineNo: $0["order_line_no"], sku: $0["sku"], name: $0["name"], quantity: $0["quantity"],
                            unitPrice: money($0["unit_minor"]), taxRate: TaxRate(basisPoints: $0["tax_rate_bp"]), net: money($0["net_minor"]),
                            tax: money($0["tax_minor"]), gross: money($0["gross_minor"]))
            } : nil
            return CreditNote(id: id, number: row["number"], orderId: row["order_id"], orderNumber: row["order_number"], returnId: row["return_id"],
                              invoiceId: row["invoice_id"], invoiceNumber: row["invoice_number"], sellerBusinessId: row["seller_business_id"],
                              buyerBusinessId: row["buyer_business_id"], currency: currency, pricesIncludeTax: row["prices_include_tax"],
                              net: money(row["net_minor"]), tax: money(row["tax_minor"]), gross: money(row["gross_minor"]),
                              taxes: OrderRows.taxes(row["taxes"], currency), reason: row["reason"], issuedAt: row["issued_at"],
                              seller: FulfilmentRows.legal(row["seller"]), buyer: FulfilmentRows.legal(row["buyer"]), language: row["language"],
                              issuedBy: row["issued_by"], lines: lines)
        }
    }
}
