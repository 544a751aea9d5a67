import Hummingbird
import TradepostCore

extension AppServices {
    /// A business the caller may manage — its members and tenant admins (403 for others) — that
    /// exists (404 otherwise, checked before any body is read). Imports and price lists share it.
    func managedBusiness(_ context: AppRequestContext, _ business: String) async throws -> TenantID {
        let (tenant, principal) = try context.tenant(for: .catalogRead)
        let role = try await businesses.membership(tenant, businessID: business, userID: principal.userID)
        try Policy.authorize(principal, .productsManage, PolicyFacts(businessRole: role))
        _ = try await businesses.business(tenant, id: business)
        return tenant
    }
}
