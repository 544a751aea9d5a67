import Foundation

/// A place a selling business keeps goods. Reservations take from active warehouses in priority
/// order (higher first); an inactive one keeps its stock and ledger but is not reserved from and
/// does not count in a product's stock figure.
public struct Warehouse: Codable, Sendable, Equatable {
    public var id: String
    public var businessId: String
    public var name: String
    public var address: String?
    public var priority: Int64
    public var active: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, businessId: String, name: String, address: String?, priority: Int64, active: Bool,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.businessId = businessId
        self.name = name
        self.address = address
        self.priority = priority
        self.active = active
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The fields of a warehouse: create needs a name; update changes what is present
/// (`address: .some(nil)` clears it).
public struct WarehouseInput: Sendable, Equatable {
    public var name: String?
    public var address: String??
    public var priority: Int64?
    public var active: Bool?

    public init(name: String? = nil, address: String?? = nil, priority: Int64? = nil, active: Bool? = nil) {
        self.name = name
        self.address = address
        self.priority = priority
        self.active = active
    }

    /// Throws `.invalid` naming every bad field.
    public func validated(creating: Bool) throws -> WarehouseInput {
        var v = Validator()
        var out = self
        if let name { out.name = v.text("name", name, max: 120) } else if creating { v.fail("name", "is required") }
        if case .some(.some(let address)) = address {
            let trimmed = v.text("address", address, max: 300, multiline: true)
            out.address = .some(trimmed.isEmpty ? nil : trimmed)
        }
        if let priority, !(-1_000_000...1_000_000).contains(priority) { v.fail("priority", "must be from -1000000 to 1000000") }
        try v.check()
        return out
    }
}
