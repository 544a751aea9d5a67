import Foundation

/// A salesperson's link to a business: representing a seller, or acting for a buyer. The
/// salesperson asks, the business's manager approves or refuses, and the salesperson, the manager
/// or a tenant admin may revoke at any time. While a link is active the salesperson converses and
/// makes offers for that business (and places orders for a buyer); the moment it is not, every one
/// of those actions is refused — links are read in the transaction that decides.
public struct SalespersonLink: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case requested, active, refused, revoked }
    public enum Act: String, Sendable, CaseIterable { case approve, refuse, revoke }
    /// Who acts on a link.
    public enum Party: Sendable { case salesperson, manager, admin }

    public var id: String
    public var userId: String
    public var userName: String
    public var userEmail: String
    public var businessId: String
    public var businessName: String
    /// seller: represents the business; buyer: acts for it.
    public var side: TradeSide
    public var state: State
    public var note: String?
    /// Whether a tenant admin has verified the salesperson's identity document.
    public var identityVerified: Bool
    public var requestedAt: Date
    public var decidedBy: String?
    public var decidedAt: Date?
    public var reason: String?

    public init(id: String, userId: String, userName: String, userEmail: String, businessId: String, businessName: String, side: TradeSide,
                state: State, note: String?, identityVerified: Bool, requestedAt: Date, decidedBy: String?, decidedAt: Date?, reason: String?) {
        self.id = id
        self.userId = userId
        self.userName = userName
        self.userEmail = userEmail
        self.businessId = businessId
        self.businessName = businessName
        self.side = side
        self.state = state
        self.note = note
        self.identityVerified = identityVerified
        self.requestedAt = requestedAt
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.reason = reason
    }

    /// The state after `act` by `party`, or nil when `act` is not allowed from `state` for that party.
    public static func after(_ state: State, _ act: Act, by party: Party) -> State? {
        switch (state, act) {
        case (.requested, .approve), (.requested, .refuse):
            return party == .salesperson ? nil : (act == .approve ? .active : .refused)
        case (.requested, .revoke), (.active, .revoke):
            return .revoked
        default:
            return nil
        }
    }
}

/// A salesperson's request to link with a business.
public struct SalespersonLinkInput: Codable, Sendable, Equatable {
    public var businessId: String
    public var side: TradeSide
    public var note: String?
    public init(businessId: String, side: TradeSide, note: String? = nil) {
        self.businessId = businessId
        self.side = side
        self.note = note
    }
}

/// A salesperson's identity document and whether an admin verified it.
public struct SalespersonIdentity: Codable, Sendable, Equatable {
    public var userId: String
    public var userName: String
    public var documentName: String?
    public var contentType: String?
    public var size: Int64?
    public var uploadedAt: Date?
    public var verifiedBy: String?
    public var verifiedAt: Date?
    public init(userId: String, userName: String, documentName: String?, contentType: String?, size: Int64?, uploadedAt: Date?,
                verifiedBy: String?, verifiedAt: Date?) {
        self.userId = userId
        self.userName = userName
        self.documentName = documentName
        self.contentType = contentType
        self.size = size
        self.uploadedAt = uploadedAt
        self.verifiedBy = verifiedBy
        self.verifiedAt = verifiedAt
    }
}
