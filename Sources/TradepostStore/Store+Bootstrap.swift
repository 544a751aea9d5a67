import Foundation
import TradepostCore

/// First start on an empty data dir: a platform admin, and a demo tenant to look around in.
extension Store {
    public struct Credentials: Sendable, Equatable, Encodable {
        public var email: String
        /// Set when the password was generated here; printed once, never stored in clear.
        public var generatedPassword: String?
    }

    public struct BootstrapReport: Sendable {
        public var admin: Credentials?
        public var demoTenant: Tenant?
        public var demoOwner: Credentials?
    }

    /// Creates the first platform admin when there is none (from the given email and password, or
    /// `admin@localhost` with a random password), and, unless `demo` is false, a `demo` tenant with
    /// an owner when the control database was created by this process.
    public func bootstrap(adminEmail: String?, adminPassword: String?, demo: Bool = true) async throws -> BootstrapReport {
        var report = BootstrapReport()
        if try await admins.adminCount() == 0 {
            let email = adminEmail ?? "admin@localhost"
            let generated = adminPassword == nil ? Validator.generatePassword() : nil
            _ = try await admins.createAdmin(
                email: email, name: "Platform admin", password: adminPassword ?? generated!, audit: .system)
            report.admin = Credentials(email: email, generatedPassword: generated)
        }
        if demo, control.created, try await tenants.tenants(.platformSystem(), PageRequest(limit: 1), status: nil).items.isEmpty {
            let demo = try await tenants.createTenant(.platformSystem(), NewTenant(slug: "demo", name: "Demo Trading"))
            let ownerEmail = "owner@demo.local"
            let owner = try await users.createUser(
                .system(demo.id), NewUser(email: ownerEmail, name: "Demo owner", password: nil, role: .owner))
            report.demoTenant = demo
            report.demoOwner = Credentials(email: ownerEmail, generatedPassword: owner.generatedPassword)
        }
        return report
    }
}
