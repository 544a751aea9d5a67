import Foundation

public enum BusinessType: String, Codable, Sendable, CaseIterable {
    case importer, wholesaler, supplier, pharmacy
}

/// A business inside a tenant: the company that owns a catalog, places or takes orders.
public struct Business: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: BusinessType
    public var city: String
    public var address: String?
    public var phone: String?
    public var email: String?
    public var website: String?
    public var description: String?
    /// Set by tenant admins after checking the business is who it says it is.
    public var verified: Bool
    /// WGS 84 degrees; both or neither.
    public var latitude: Double?
    public var longitude: Double?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, name: String, type: BusinessType, city: String, address: String?, phone: String?,
        email: String?, website: String?, description: String?, verified: Bool = false, latitude: Double? = nil,
        longitude: Double? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.verified = verified
        self.latitude = latitude
        self.longitude = longitude
        self.id = id
        self.name = name
        self.type = type
        self.city = city
        self.address = address
        self.phone = phone
        self.email = email
        self.website = website
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The editable fields of a business; used for create (all required ones set) and update (nil = keep).
public struct BusinessInput: Sendable, Equatable {
    public var name: String?
    public var type: BusinessType?
    public var city: String?
    public var address: String??
    public var phone: String??
    public var email: String??
    public var website: String??
    public var description: String??
    public var latitude: Double??
    public var longitude: Double??

    public init(
        name: String? = nil, type: BusinessType? = nil, city: String? = nil, address: String?? = nil,
        phone: String?? = nil, email: String?? = nil, website: String?? = nil, description: String?? = nil,
        latitude: Double?? = nil, longitude: Double?? = nil
    ) {
        self.latitude = latitude
        self.longitude = longitude
        self.name = name
        self.type = type
        self.city = city
        self.address = address
        self.phone = phone
        self.email = email
        self.website = website
        self.description = description
    }

    /// Trims and checks every present field; `creating` also requires name, type and city.
    public func validated(creating: Bool) throws -> BusinessInput {
        var v = Validator()
        var out = self
        if let name { out.name = v.text("name", name, max: 160) } else if creating { v.fail("name", "is required") }
        if type == nil && creating { v.fail("type", "is required") }
        if case .some(.some(let lat)) = latitude, !(-90...90).contains(lat) { v.fail("latitude", "must be from -90 to 90") }
        if case .some(.some(let lon)) = longitude, !(-180...180).contains(lon) { v.fail("longitude", "must be from -180 to 180") }
        if (latitude == nil) != (longitude == nil) { v.fail("latitude", "give latitude and longitude together") }
        if let city { out.city = v.text("city", city, max: 120) } else if creating { v.fail("city", "is required") }
        out.address = optionalText(&v, "address", address, max: 300)
        out.phone = optionalText(&v, "phone", phone, max: 40)
        if case .some(.some(let phone)) = out.phone,
            !phone.allSatisfy({ $0.isNumber || " +-()".contains($0) })
        {
            v.fail("phone", "may hold only digits, spaces and + - ( )")
        }
        if case .some(.some(let email)) = email {
            let normalized = v.email("email", email)
            out.email = .some(normalized)
        }
        out.website = optionalText(&v, "website", website, max: 300)
        out.description = optionalText(&v, "description", description, max: 4000, multiline: true)
        try v.check()
        return out
    }

    private func optionalText(_ v: inout Validator, _ field: String, _ value: String??, max: Int, multiline: Bool = false) -> String?? {
        guard case .some(.some(let text)) = value else { return value }
        let trimmed = text.trimmed()
        if trimmed.isEmpty { return .some(nil) }
        return .some(v.text(field, trimmed, max: max, multiline: multiline))
    }
}

public struct BusinessFilter: Sendable {
    public var query: String?
    public var type: BusinessType?
    public var city: String?
    public var verified: Bool?

    public init(query: String? = nil, type: BusinessType? = nil, city: String? = nil, verified: Bool? = nil) {
        self.verified = verified
        self.query = query
        self.type = type
        self.city = city
    }
}

public enum BusinessRole: String, Codable, Sendable, CaseIterable {
    /// Edits the business profile and its members.
    case manager
    case staff
}

public struct BusinessMember: Codable, Sendable, Equatable {
    public var businessId: String
    public var userId: String
    public var role: BusinessRole
    public var name: String
    public var email: String
    public var createdAt: Date

    public init(businessId: String, userId: String, role: BusinessRole, name: String, email: String, createdAt: Date) {
        self.businessId = businessId
        self.userId = userId
        self.role = role
        self.name = name
        self.email = email
        self.createdAt = createdAt
    }
}

/// A business the caller belongs to and their role there (what the app offers them to act for).
public struct MyBusiness: Codable, Sendable, Equatable {
    public var business: Business
    public var role: BusinessRole
    public init(business: Business, role: BusinessRole) {
        self.business = business
        self.role = role
    }
}
