import Foundation

/// A node of a tenant's category tree. `productCount` counts the published products of the whole subtree.
public struct Category: Codable, Sendable, Equatable {
    public var id: String
    public var parentId: String?
    public var name: String
    /// Root first, this category last.
    public var path: [String]
    public var productCount: Int
    public var createdAt: Date

    public init(id: String, parentId: String?, name: String, path: [String], productCount: Int, createdAt: Date) {
        self.id = id
        self.parentId = parentId
        self.name = name
        self.path = path
        self.productCount = productCount
        self.createdAt = createdAt
    }
}

/// The tenant's category tree: every tenant user reads it, tenant admins change it (`.forbidden`
/// otherwise, decided by the service).
public protocol CategoryService: Sendable {
    /// The whole tree, depth-first, siblings by name.
    func categories(_ caller: Caller) async throws -> [Category]

    /// Throws `.invalid` (name), `.notFound` (parent), `.conflict` (a sibling with that name).
    func createCategory(_ caller: Caller, name: String, parentID: String?) async throws -> Category

    /// Renames and/or moves (`parentID: .some(nil)` makes it a root). Throws `.notFound`, `.invalid`
    /// (a move under itself or its own descendant), `.conflict` (a sibling with that name).
    func updateCategory(_ caller: Caller, id: String, name: String?, parentID: String??) async throws -> Category

    /// Moves the products and children of `id` into `into` and deletes `id`. Throws `.notFound`, `.invalid` (into itself or a descendant).
    func mergeCategory(_ caller: Caller, id: String, into: String) async throws -> Category

    /// Only an empty category (no products, no children) can be deleted. Throws `.notFound`, `.conflict`.
    func deleteCategory(_ caller: Caller, id: String) async throws
}
