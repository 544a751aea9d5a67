import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Shipments, invoices, payments, legal details and credit limits in each tenant's database. An
/// order's visibility is `SQLiteOrderService.visibleOrder`'s; each method is one transaction with
/// its audit entry and outbox event.
public final class SQLiteFulfilmentService: FulfilmentService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    // MARK: - Legal details

    public func legalDetails(_ caller: Caller, businessID: String) async throws -> LegalDetails {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersRead, business: businessID)
                return try FulfilmentRows.legalDetails(db, business: businessID)
            }
        }
    }

    public func setLegalDetails(_ caller: Caller, businessID: String, _ details: LegalDetails) async throws -> LegalDetails {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersManage, business: businessID)
                let d = try details.validated()
                try db.execute(sql: """
                    INSERT INTO business_legal (business_id, legal_name, tax_id, address, bank_account, bank_name, document_language, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (business_id) DO UPDATE SET legal_name = excluded.legal_name, tax_id = excluded.tax_id, address = excluded.address,
                        bank_account = excluded.bank_account, bank_name = excluded.bank_name, document_language = excluded.document_language,
                        updated_at = excluded.updated_at
                    """, arguments: [businessID, d.legalName, d.taxId, d.address, d.bankAccount, d.bankName, d.documentLanguage, now])
                try AuditLog.tenant(db, caller.audit, "business.legal_update", target: businessID, detail: [
                    "legal_name": d.legalName, "tax_id": d.taxId ?? "", "document_language": d.documentLanguage])
                return d
            }
        }
    }

    // MARK: - Credit limits

    public func creditLimits(_ caller: Caller, sellerBusinessID: String) async throws -> [CreditLimit] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersManage, business: sellerBusinessID)
                return try Row.fetchAll(db, sql: """
                    SELECT c.buyer_business_id, b.name, c.limit_minor, c.currency FROM credit_limits c JOIN businesses b ON b.id = c.buyer_business_id
                    WHERE c.seller_business_id = ? ORDER BY b.name COLLATE NOCASE, c.buyer_business_id
                    """, arguments: [sellerBusinessID]).map { row in
                    let currency: String = row[3]
                    return CreditLimit(sellerBusinessId: sellerBusinessID, buyerBusinessId: row[0], buyerName: row[1],
                                       limit: Money(minor: row[2], currency: currency),
                                       exposure: Money(minor: try Self.exposure(db, seller: sellerBusinessID, buyer: row[0], currency: currency), currency: currency))
                }
            }
        }
    }

    public func setCreditLimit(_ caller: Caller, sellerBusinessID: String, buyerBusinessID: String, limit: Money?) async throws -> CreditLimit? {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersManage, business: sellerBusinessID)
                try SQLiteBusinessService.requireBusiness(db, buyerBusinessID)
                guard buyerBusinessID != sellerBusinessID else { throw AppError.invalidField("buyer_business_id", "must be another business than the seller") }
                guard let limit else {
                    try db.execute(sql: "DELETE FROM credit_limits WHERE seller_business_id = ? AND buyer_business_id = ?", arguments: [sellerBusinessID, buyerBusinessID])
                    try AuditLog.tenant(db, caller.audit, "credit_limit.remove", target: sellerBusinessID, detail: ["buyer": buyerBusinessID])
                    return nil
                }
                try db.execute(sql: """
                    INSERT INTO credit_limits (seller_business_id, buyer_business_id, limit_minor, currency, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (seller_business_id, buyer_business_id) DO UPDATE SET limit_minor = excluded.limit_minor,
                        currency = excluded.currency, updated_at = excluded.updated_at
                    """, arguments: [sellerBusinessID, buyerBusinessID, limit.minor, limit.currency, now])
                try AuditLog.tenant(db, caller.audit, "credit_limit.set", target: sellerBusinessID, detail: [
                    "buyer": buyerBusinessID, "limit": limit.decimal, "currency": limit.currency])
                let name = try String.fetchOne(db, sql: "SELECT name FROM businesses WHERE id = ?", arguments: [buyerBusinessID]) ?? ""
                return CreditLimit(sellerBusinessId: sellerBusinessID, buyerBusinessId: buyerBusinessID, buyerName: name, limit: limit,
                                   exposure: Money(minor: try Self.exposure(db, seller: sellerBusinessID, buyer: buyerBusinessID, currency: limit.currency),
                                                   currency: limit.currency))
            }
        }
    }

    /// What the buyer owes the seller or has on order with it: every non-cancelled order's gross
    /// less the payments received for its invoices (refunds added back) and less its credit notes.
    static func exposure(_ db: Database, seller: String, buyer: String, currency: String) throws -> Int64 {
        let ordered = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT coalesce(sum(gross_minor), 0) FROM orders
            WHERE seller_business_id = ? AND buyer_business_id = ? AND currency = ? AND state != 'cancelled'
            """), arguments: [seller, buyer, currency]) ?? 0
        let paid = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT coalesce(sum(CASE direction WHEN 'in' THEN amount_minor ELSE -amount_minor END), 0) FROM payments
            WHERE seller_business_id = ? AND buyer_business_id = ? AND currency = ?
            """), arguments: [seller, buyer, currency]) ?? 0
        let credited = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT coalesce(sum(gross_minor), 0) FROM credit_notes WHERE seller_business_id = ? AND buyer_business_id = ? AND currency = ?
            """), arguments: [seller, buyer, currency]) ?? 0
        return ordered - paid - credited
    }

    /// The seller's limit for the buyer when an order of `gross` would go over it (the order then waits on hold).
    static func overLimit(_ db: Database, seller: String, buyer: String, gross: Money) throws -> Money? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT limit_minor, currency FROM credit_limits WHERE seller_business_id = ? AND buyer_business_id = ?"),
                                         arguments: [seller, buyer]) else { return nil }
        let limit = Money(minor: row[0], currency: row[1])
        // A limit in another currency than the order's holds it too: it cannot be compared, so a person decides.
        guard limit.currency == gross.currency else { return limit }
        return try exposure(db, seller: seller, buyer: buyer, currency: gross.currency) + gross.minor > limit.minor ? limit : nil
    }
}
