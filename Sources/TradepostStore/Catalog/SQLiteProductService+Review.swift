import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Moderation: the review queue, decisions (each in the audit log) and the tenant's review setting.
extension SQLiteProductService {
    public func reviewQueue(_ caller: Caller, _ page: PageRequest) async throws -> Page<Product> {
        let tenant = try caller.authorize(.productsReview)
        return try await mapErrors(stats) {
            let rows = try await tenants.read(tenant) { db in
                try Product.fetchAll(db, sql: "SELECT * FROM products WHERE status = 'pending_review' AND id > ? ORDER BY id LIMIT ?",
                                     arguments: [page.after ?? "", page.limit + 1])
            }
            return Page(fetched: rows, limit: page.limit) { $0.id }
        }
    }

    public func review(_ caller: Caller, id: String, approve: Bool, reason: String?) async throws -> Product {
        let tenant = try caller.authorize(.productsReview)
        var v = Validator()
        let reason = reason.map { v.text("reason", $0, max: 1000, multiline: true) }
        if !approve && reason == nil { v.fail("reason", "is required when rejecting") }
        try v.check()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard var product = try Product.fetch(db, id: id) else { throw AppError.notFound("Product") }
                guard product.status == .pendingReview else { throw AppError.conflict("The product is not waiting for review") }
                product.status = approve ? .published : .rejected
                product.rejectionReason = approve ? nil : reason
                product.updatedAt = Date()
                try product.save(db, insert: false)
                try AuditLog.tenant(db, caller.audit, approve ? "product.approve" : "product.reject", target: id,
                                    detail: ["sku": product.sku, "reason": reason ?? ""])
                try Outbox.append(db, topic: Topic.productChanged, payload: ProductEvent(productId: id, deleted: false))
                try Outbox.append(db, topic: approve ? Topic.productApproved : Topic.productRejected, payload: ProductReviewEvent(
                    productId: id, businessId: product.businessId, sku: product.sku, name: product.name, reason: reason))
                return product
            }
        }
    }

    public func catalogSettings(_ caller: Caller) async throws -> CatalogSettings {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) {
            CatalogSettings(requireReview: try await tenants.read(tenant) { db in try Self.requireReview(db) })
        }
    }

    public func updateCatalogSettings(_ caller: Caller, _ settings: CatalogSettings) async throws -> CatalogSettings {
        let tenant = try caller.authorize(.catalogSettings)
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                try db.execute(sql: """
                    INSERT INTO settings (key, value) VALUES ('catalog.require_review', ?)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value
                    """, arguments: [settings.requireReview ? "true" : "false"])
                try AuditLog.tenant(db, caller.audit, "catalog.settings", target: nil, detail: ["require_review": String(settings.requireReview)])
            }
            return settings
        }
    }
}
