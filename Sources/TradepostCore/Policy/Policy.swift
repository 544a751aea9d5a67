/// Who may do what: the one place permissions are decided. Handlers ask, they never decide.
public enum Policy {
    /// Throws `.forbidden` when `principal` may not perform `action` given `facts`.
    public static func authorize(_ principal: Principal, _ action: Action, _ facts: PolicyFacts = PolicyFacts()) throws {
        guard principal.scopes.contains(where: { $0 >= action.requiredScope }) else {
            throw AppError.forbidden("This API token lacks the \(action.requiredScope.rawValue) scope")
        }
        guard allows(principal, action, facts) else { throw AppError.forbidden() }
    }

    public static func allows(_ principal: Principal, _ action: Action, _ facts: PolicyFacts = PolicyFacts()) -> Bool {
        switch action {
        case .accountRead, .accountUpdate, .tokensManage:
            return true
        case .tenantsRead, .tenantsManage, .queuesManage:
            return principal.isPlatformAdmin
        case .jobsRead, .jobsManage, .auditRead:
            return principal.isPlatformAdmin || isTenantAdmin(principal)
        case .tenantRead, .usersRead, .businessesRead, .catalogRead, .conversationsRead, .conversationsWrite, .notificationsRead, .notificationsUpdate:
            return principal.tenantID != nil
        case .categoriesManage, .productsReview, .catalogSettings, .businessesVerify, .storageManage, .stockReconcile, .salespeopleVerify,
             .webhooksManage, .channelsManage:
            return isTenantAdmin(principal)
        case .ordersRead, .ordersPlace:
            // A salesperson a buyer has linked places and follows its orders.
            return isTenantAdmin(principal) || (principal.tenantID != nil && (facts.businessRole != nil || facts.link == .buyer))
        case .productsManage, .stockRead, .stockManage, .ordersManage:
            return isTenantAdmin(principal) || (principal.tenantID != nil && facts.businessRole != nil)
        case .usersManage:
            return canManageUsers(principal, facts)
        case .businessesCreate:
            return isTenantAdmin(principal)
        case .businessUpdate, .businessMembersManage:
            return isTenantAdmin(principal) || (principal.tenantID != nil && facts.businessRole == .manager)
        }
    }

    private static func isTenantAdmin(_ principal: Principal) -> Bool {
        guard principal.tenantID != nil, let role = principal.role else { return false }
        return role >= .admin
    }

    /// Admins manage members and admins; only owners touch owners or make new ones.
    private static func canManageUsers(_ principal: Principal, _ facts: PolicyFacts) -> Bool {
        guard isTenantAdmin(principal), let role = principal.role else { return false }
        if role == .owner { return true }
        if facts.targetRole == .owner || facts.newRole == .owner { return false }
        return true
    }
}
