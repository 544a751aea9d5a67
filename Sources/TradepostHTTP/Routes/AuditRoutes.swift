import Foundation
import Hummingbird
import TradepostCore

/// The audit trails, read-only: a tenant's for its admins, the platform's for platform admins.
/// Entries come newest first; `cursor` pages on to older ones.
struct AuditRoutes {
    let services: AppServices

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("audit", use: tenantEntries)
        api.get("audit/verify", use: tenantVerify)
        api.get("admin/audit", use: platformEntries)
        api.get("admin/audit/verify", use: platformVerify)
    }

    @Sendable func tenantEntries(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<AuditEntry>> {
        APIResponse(try await page(try context.caller(), .tenant, request))
    }

    @Sendable func tenantVerify(_ request: Request, context: AppRequestContext) async throws -> APIResponse<AuditVerification> {
        APIResponse(try await services.audit.verify(try context.caller(), .tenant))
    }

    @Sendable func platformEntries(_ request: Request, context: AppRequestContext) async throws -> APIResponse<ListResponse<AuditEntry>> {
        APIResponse(try await page(try context.caller(), .platform, request))
    }

    @Sendable func platformVerify(_ request: Request, context: AppRequestContext) async throws -> APIResponse<AuditVerification> {
        APIResponse(try await services.audit.verify(try context.caller(), .platform))
    }

    func page(_ caller: Caller, _ trail: AuditTrail, _ request: Request) async throws -> ListResponse<AuditEntry> {
        let paging = try request.pageRequest()
        let before = try paging.after.map { value -> Int64 in
            guard let id = Int64(value) else { throw AppError.invalidField("cursor", "is not a valid cursor") }
            return id
        }
        let date: (String) -> Date? = { ISO8601DateFormatter().date(from: $0) ?? Self.day.date(from: $0) }
        let filter = AuditFilter(
            action: try request.query("action", { $0.isEmpty || $0.count > 100 ? nil : $0 }, expected: "an action such as auth.login or product."),
            actor: try request.query("actor", { $0.isEmpty ? nil : $0 }, expected: "an actor id or name"),
            target: try request.query("target", { $0.isEmpty ? nil : $0 }, expected: "a target id"),
            since: try request.query("since", date, expected: "a date (2026-11-21) or an ISO 8601 time"),
            until: try request.query("until", date, expected: "a date (2026-11-21) or an ISO 8601 time"),
            before: before, limit: paging.limit + 1)
        var items = try await services.audit.entries(caller, trail, filter)
        var next: String?
        if items.count > paging.limit {
            items.removeLast()
            next = items.last.map { Cursor.encode(String($0.id)) }
        }
        var list = ListResponse<AuditEntry>(items: items)
        list.nextCursor = next
        return list
    }

    static let day: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f
    }()
}
