import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// The category tree of each tenant. Trees are small (hundreds to a few thousand nodes), so paths,
/// subtree checks and counts are computed from the whole tree read in one query.
public final class SQLiteCategoryService: CategoryService {
    let tenants: TenantDatabases
    let stats: StoreStats

    public init(tenants: TenantDatabases, stats: StoreStats) {
        self.tenants = tenants
        self.stats = stats
    }

    public func categories(_ caller: Caller) async throws -> [Category] {
        let tenant = try caller.authorize(.catalogRead)
        return try await mapErrors(stats) { try await tenants.read(tenant) { db in try CategoryTree.load(db).all() } }
    }

    public func createCategory(_ caller: Caller, name: String, parentID: String?) async throws -> Category {
        let tenant = try caller.authorize(.categoriesManage)
        let audit = caller.audit
        var v = Validator()
        let name = v.text("name", name, max: 120)
        try v.check()
        let id = Identifier.make()
        return try await mapErrors(stats, conflict: "A category with this name already exists here") {
            try await tenants.write(tenant) { db in
                if let parentID { guard try CategoryTree.exists(db, parentID) else { throw AppError.notFound("Parent category") } }
                try db.execute(sql: "INSERT INTO categories (id, parent_id, name, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [id, parentID, name, Date()])
                try AuditLog.tenant(db, audit, "category.create", target: id, detail: ["name": name])
                try Outbox.append(db, topic: Topic.categoryChanged, payload: CategoryEvent(categoryId: id))
                return try CategoryTree.load(db).category(id)!
            }
        }
    }

    public func updateCategory(_ caller: Caller, id: String, name: String?, parentID: String??) async throws -> Category {
        let tenant = try caller.authorize(.categoriesManage)
        let audit = caller.audit
        var v = Validator()
        let name = name.map { v.text("name", $0, max: 120) }
        try v.check()
        return try await mapErrors(stats, conflict: "A category with this name already exists here") {
            try await tenants.write(tenant) { db in
                let tree = try CategoryTree.load(db)
                guard tree.category(id) != nil else { throw AppError.notFound("Category") }
                if let name { try db.execute(sql: "UPDATE categories SET name = ? WHERE id = ?", arguments: [name, id]) }
                if case .some(let parent) = parentID {
                    if let parent {
                        guard tree.category(parent) != nil else { throw AppError.notFound("Parent category") }
                        if tree.subtree(id).contains(parent) { throw AppError.invalidField("parent_id", "cannot be the category itself or one of its descendants") }
                    }
                    try db.execute(sql: "UPDATE categories SET parent_id = ? WHERE id = ?", arguments: [parent, id])
                }
                try AuditLog.tenant(db, audit, "category.update", target: id, detail: ["name": name ?? "", "parent_id": (parentID ?? nil) ?? ""])
                try Outbox.append(db, topic: Topic.categoryChanged, payload: CategoryEvent(categoryId: id))
                return try CategoryTree.load(db).category(id)!
            }
        }
    }

    public func mergeCategory(_ caller: Caller, id: String, into: String) async throws -> Category {
        let tenant = try caller.authorize(.categoriesManage)
        let audit = caller.audit
        return try await mapErrors(stats, conflict: "The categories being merged have children with the same name") {
            try await tenants.write(tenant) { db in
                let tree = try CategoryTree.load(db)
                guard tree.category(id) != nil, tree.category(into) != nil else { throw AppError.notFound("Category") }
                if tree.subtree(id).contains(into) { throw AppError.invalidField("into", "cannot be the category itself or one of its descendants") }
                try db.execute(sql: "UPDATE products SET category_id = ? WHERE category_id = ?", arguments: [into, id])
                try db.execute(sql: "UPDATE categories SET parent_id = ? WHERE parent_id = ?", arguments: [into, id])
                try db.execute(sql: "DELETE FROM categories WHERE id = ?", arguments: [id])
                try AuditLog.tenant(db, audit, "category.merge", target: into, detail: ["from": id])
                try Outbox.append(db, topic: Topic.categoryChanged, payload: CategoryEvent(categoryId: into))
                return try CategoryTree.load(db).category(into)!
            }
        }
    }

    public func deleteCategory(_ caller: Caller, id: String) async throws {
        let tenant = try caller.authorize(.categoriesManage)
        let audit = caller.audit
        try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                guard try CategoryTree.exists(db, id) else { throw AppError.notFound("Category") }
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM categories WHERE parent_id = ? LIMIT 1", arguments: [id]) != nil
                    || Bool.fetchOne(db, sql: "SELECT 1 FROM products WHERE category_id = ? LIMIT 1", arguments: [id]) != nil
                {
                    throw AppError.conflict("Only an empty category can be deleted: move or merge its products and subcategories first")
                }
                try db.execute(sql: "DELETE FROM categories WHERE id = ?", arguments: [id])
                try AuditLog.tenant(db, audit, "category.delete", target: id)
            }
        }
    }
}

/// The whole tree in memory for one read: parents, children, names and published-product counts.
struct CategoryTree {
    struct Node {
        var id: String
        var parent: String?
        var name: String
        var createdAt: Date
        var ownCount: Int
    }

    var nodes: [String: Node] = [:]
    var children: [String?: [String]] = [:]

    static func exists(_ db: Database, _ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM categories WHERE id = ?", arguments: [id]) != nil
    }

    /// `counts: false` skips counting products (a scan of the catalog) when only the tree is needed.
    static func load(_ db: Database, counts withCounts: Bool = true) throws -> CategoryTree {
        var tree = CategoryTree()
        let counts = !withCounts ? [:] : try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: """
            SELECT category_id, count(*) AS n FROM products WHERE status = 'published' AND category_id IS NOT NULL GROUP BY category_id
            """).map { (row: Row) -> (String, Int) in (row["category_id"], row["n"]) })
        for row in try Row.fetchAll(db, sql: "SELECT * FROM categories") {
            let node = Node(id: row["id"], parent: row["parent_id"], name: row["name"], createdAt: row["created_at"], ownCount: counts[row["id"]] ?? 0)
            tree.nodes[node.id] = node
            tree.children[node.parent, default: []].append(node.id)
        }
        for key in tree.children.keys {
            tree.children[key]!.sort { tree.nodes[$0]!.name.localizedCaseInsensitiveCompare(tree.nodes[$1]!.name) == .orderedAscending }
        }
        return tree
    }

    /// The category and all its descendants.
    func subtree(_ id: String) -> [String] {
        var out: [String] = []
        var stack = [id]
        while let next = stack.popLast() {
            out.append(next)
            stack.append(contentsOf: children[next] ?? [])
        }
        return out
    }

    /// Root first. Bounded by the node count, so a corrupt cycle cannot loop forever.
    func path(_ id: String) -> [String] {
        var names: [String] = []
        var current: String? = id
        while let c = current, let node = nodes[c], names.count <= nodes.count {
            names.append(node.name)
            current = node.parent
        }
        return names.reversed()
    }

    /// The ancestors of `id` and `id` itself.
    func lineage(_ id: String) -> [String] {
        var ids: [String] = []
        var current: String? = id
        while let c = current, let node = nodes[c], ids.count <= nodes.count {
            ids.append(c)
            current = node.parent
        }
        return ids
    }

    func category(_ id: String) -> Category? {
        guard let node = nodes[id] else { return nil }
        let count = subtree(id).reduce(0) { $0 + (nodes[$1]?.ownCount ?? 0) }
        return Category(id: id, parentId: node.parent, name: node.name, path: path(id), productCount: count, createdAt: node.createdAt)
    }

    /// Depth-first from the roots.
    func all() -> [Category] {
        var out: [Category] = []
        func visit(_ parent: String?) {
            for id in children[parent] ?? [] {
                out.append(category(id)!)
                visit(id)
            }
        }
        visit(nil)
        return out
    }
}
