import Testing
@testable import TradepostCore

@Suite("Policy")
struct PolicyTests {
    static func tenantUser(_ role: TenantRole, scopes: Set<Scope> = Set(Scope.allCases)) -> Principal {
        Principal(kind: .tenantUser, userID: "u", email: "u@x.test", name: "U", tenantID: TenantID("t"), tenantSlug: "t",
                  role: role, userKind: .member, locale: nil, scopes: scopes, credential: .session(id: "s"))
    }
    static let platform = Principal(kind: .platformAdmin, userID: "p", email: "p@x.test", name: "P", tenantID: nil, tenantSlug: nil,
                                    role: nil, userKind: nil, locale: nil, scopes: Set(Scope.allCases), credential: .session(id: "s"))

    struct Case: CustomTestStringConvertible, Sendable {
        var who: String
        var principal: Principal
        var action: Action
        var facts = PolicyFacts()
        var allowed: Bool
        var testDescription: String { "\(who) \(action.rawValue) → \(allowed ? "allowed" : "forbidden")" }
    }

    static let cases: [Case] = [
        Case(who: "platform", principal: platform, action: .tenantsManage, allowed: true),
        Case(who: "platform", principal: platform, action: .usersRead, allowed: false),
        Case(who: "platform", principal: platform, action: .businessesCreate, allowed: false),
        Case(who: "owner", principal: tenantUser(.owner), action: .tenantsRead, allowed: false),
        Case(who: "member", principal: tenantUser(.member), action: .usersRead, allowed: true),
        Case(who: "member", principal: tenantUser(.member), action: .usersManage, allowed: false),
        Case(who: "member", principal: tenantUser(.member), action: .businessesCreate, allowed: false),
        Case(who: "member (manager)", principal: tenantUser(.member), action: .businessUpdate,
             facts: PolicyFacts(businessRole: .manager), allowed: true),
        Case(who: "member (staff)", principal: tenantUser(.member), action: .businessUpdate,
             facts: PolicyFacts(businessRole: .staff), allowed: false),
        Case(who: "member (manager)", principal: tenantUser(.member), action: .businessMembersManage,
             facts: PolicyFacts(businessRole: .manager), allowed: true),
        Case(who: "admin", principal: tenantUser(.admin), action: .usersManage, facts: PolicyFacts(newRole: .admin), allowed: true),
        Case(who: "admin", principal: tenantUser(.admin), action: .usersManage, facts: PolicyFacts(newRole: .owner), allowed: false),
        Case(who: "admin", principal: tenantUser(.admin), action: .usersManage, facts: PolicyFacts(targetRole: .owner), allowed: false),
        Case(who: "owner", principal: tenantUser(.owner), action: .usersManage,
             facts: PolicyFacts(targetRole: .owner, newRole: .member), allowed: true),
        Case(who: "read token", principal: tenantUser(.owner, scopes: [.read]), action: .usersRead, allowed: true),
        Case(who: "read token", principal: tenantUser(.owner, scopes: [.read]), action: .accountUpdate, allowed: false),
        Case(who: "write token", principal: tenantUser(.owner, scopes: [.write]), action: .usersManage, allowed: false),
        Case(who: "write token", principal: tenantUser(.owner, scopes: [.write]), action: .businessUpdate, allowed: true),
        Case(who: "admin token", principal: tenantUser(.member, scopes: [.admin]), action: .usersManage, allowed: false),
        Case(who: "admin", principal: tenantUser(.admin), action: .jobsManage, allowed: true),
        Case(who: "member", principal: tenantUser(.member), action: .jobsRead, allowed: false),
        Case(who: "owner", principal: tenantUser(.owner), action: .queuesManage, allowed: false),
        Case(who: "platform", principal: platform, action: .queuesManage, allowed: true),
        Case(who: "member (staff)", principal: tenantUser(.member), action: .stockManage, facts: PolicyFacts(businessRole: .staff), allowed: true),
        Case(who: "member (staff)", principal: tenantUser(.member), action: .stockRead, facts: PolicyFacts(businessRole: .staff), allowed: true),
        Case(who: "member of another business", principal: tenantUser(.member), action: .stockRead, allowed: false),
        Case(who: "member of another business", principal: tenantUser(.member), action: .stockManage, allowed: false),
        Case(who: "admin", principal: tenantUser(.admin), action: .stockManage, allowed: true),
        Case(who: "read token (staff)", principal: tenantUser(.member, scopes: [.read]), action: .stockManage,
             facts: PolicyFacts(businessRole: .staff), allowed: false),
        Case(who: "member (manager)", principal: tenantUser(.member), action: .stockReconcile,
             facts: PolicyFacts(businessRole: .manager), allowed: false),
        Case(who: "admin", principal: tenantUser(.admin), action: .stockReconcile, allowed: true),
        Case(who: "write token (admin)", principal: tenantUser(.admin, scopes: [.write]), action: .stockReconcile, allowed: false),
        Case(who: "platform", principal: platform, action: .stockRead, allowed: false),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        if c.allowed {
            #expect(throws: Never.self) { try Policy.authorize(c.principal, c.action, c.facts) }
        } else {
            #expect(throws: AppError.self) { try Policy.authorize(c.principal, c.action, c.facts) }
        }
    }

    @Test func forbiddenIsAForbiddenError() {
        do {
            try Policy.authorize(Self.tenantUser(.member), .usersManage)
            Issue.record("expected forbidden")
        } catch let error as AppError {
            #expect(error.code == .forbidden)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func everyActionHasARule() {
        // A new action without a deliberate rule would fall into a default; there is none, so this
        // documents that each action is decided for both kinds of principal.
        for action in Action.allCases {
            _ = Policy.allows(Self.platform, action)
            _ = Policy.allows(Self.tenantUser(.owner), action)
        }
        #expect(Action.allCases.filter { Policy.allows(Self.platform, $0) }.map(\.rawValue).sorted()
                == ["account.read", "account.tokens", "account.update", "audit.read", "jobs.manage", "jobs.read", "queues.manage", "tenants.manage", "tenants.read"])
    }

    /// A salesperson's active link counts where the issue says: a buyer's link places and follows
    /// its orders; neither side's link manages the business's catalog, stock or orders as seller.
    @Test func salespersonLinksGrantOnlyTheirSidesOrders() {
        let rep = Self.tenantUser(.member)
        for action in [Action.ordersPlace, .ordersRead] {
            #expect(Policy.allows(rep, action, PolicyFacts(link: .buyer)))
            #expect(!Policy.allows(rep, action, PolicyFacts(link: .seller)))
            #expect(!Policy.allows(rep, action, PolicyFacts()))
        }
        for action in [Action.productsManage, .stockRead, .stockManage, .ordersManage, .businessUpdate, .businessMembersManage] {
            #expect(!Policy.allows(rep, action, PolicyFacts(link: .buyer)) && !Policy.allows(rep, action, PolicyFacts(link: .seller)))
        }
        #expect(Policy.allows(rep, .conversationsWrite) && !Policy.allows(rep, .salespeopleVerify))
        #expect(throws: AppError.self) { try Policy.authorize(Self.tenantUser(.member, scopes: [.read]), .conversationsWrite) }
    }
}
