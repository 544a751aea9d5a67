import Foundation

/// A request for one page of a list: at most `limit` items after the opaque `cursor`.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maxLimit = 200

    public var limit: Int
    /// The sort key of the last item of the previous page, decoded from the client's cursor.
    public var after: String?

    public init(limit: Int = PageRequest.defaultLimit, after: String? = nil) {
        self.limit = limit
        self.after = after
    }

    /// Parses `?limit=&cursor=` query values. Throws `.invalid` for a bad limit or cursor.
    public init(limit: String?, cursor: String?) throws {
        var value = PageRequest.defaultLimit
        if let limit {
            guard let parsed = Int(limit), parsed >= 1, parsed <= PageRequest.maxLimit else {
                throw AppError.invalidField("limit", "must be an integer from 1 to \(PageRequest.maxLimit)")
            }
            value = parsed
        }
        self.limit = value
        if let cursor, !cursor.isEmpty {
            guard let key = Cursor.decode(cursor) else { throw AppError.invalidField("cursor", "is not a valid cursor") }
            self.after = key
        }
    }
}

/// One page of results and the cursor for the next one (nil on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// Builds a page from `limit + 1` fetched rows: the extra row only says that there is more.
    public init(fetched: [Item], limit: Int, key: (Item) -> String) {
        if fetched.count > limit {
            let items = Array(fetched.prefix(limit))
            self.items = items
            self.nextCursor = items.last.map { Cursor.encode(key($0)) }
        } else {
            self.items = fetched
            self.nextCursor = nil
        }
    }

    public func map<T>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), nextCursor: nextCursor)
    }
}

/// Opaque cursors: base64url of the sort key, so clients do not build them by hand.
public enum Cursor {
    public static func encode(_ key: String) -> String {
        Data(("c1:" + key).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ cursor: String) -> String? {
        guard cursor.utf8.count <= 512 else { return nil }
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("c1:")
        else { return nil }
        return String(text.dropFirst(3))
    }
}

/// Every item of a paged list, fetched page after page (for jobs and commands that walk a whole list).
public func allPages<T>(_ fetch: (PageRequest) async throws -> Page<T>) async throws -> [T] {
    var all: [T] = []
    var page = PageRequest(limit: PageRequest.maxLimit)
    while true {
        let result = try await fetch(page)
        all += result.items
        guard let next = result.nextCursor, let after = Cursor.decode(next) else { return all }
        page.after = after
    }
}
