import Foundation

/// What a snapshot holds, written as `manifest.json`, the archive's last entry (its checksums are
/// known only once everything before it is written, like a zip's central directory).
public struct SnapshotManifest: Codable, Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let currentFormat = 1

    public enum Kind: String, Codable, Sendable { case full, tenant }

    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var sha256: String
        /// For databases: the newest migration applied (nil for other files).
        public var schemaVersion: Int?

        public var isDatabase: Bool { path.hasSuffix(".sqlite") }
    }

    /// The control-database row of a tenant in a single-tenant snapshot, so it can be recreated.
    public struct Tenant: Codable, Sendable, Equatable {
        public var id: String
        public var slug: String
        public var name: String
        public var status: String
        public var plan: String
        public var timeZone: String
    }

    public var format: Int
    public var tradepostVersion: String
    public var createdAt: Date
    public var kind: Kind
    public var tenant: Tenant?
    public var files: [File]

    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    /// Archive paths a snapshot may hold; anything else (`..`, absolute paths) is refused on restore.
    static func isAllowed(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else { return false }
        switch parts.first {
        case "control.sqlite", "jobs.sqlite", "secret.key", "manifest.json": return parts.count == 1
        case "tenants": return parts.count == 2 && path.hasSuffix(".sqlite")
        case "blobs": return parts.count >= 3
        default: return false
        }
    }
}

public enum SnapshotError: Error, CustomStringConvertible, Sendable {
    case io(String)
    case damaged(String)
    case refused(String, hint: String)

    public var description: String {
        switch self {
        case .io(let m): m
        case .damaged(let m): "damaged snapshot: \(m)"
        case .refused(let m, let hint): "\(m)\nhint: \(hint)"
        }
    }
}

/// Progress of a long snapshot, restore or verify: bytes done of the total, and the file at hand.
public struct SnapshotProgress: Sendable {
    public var doneBytes: Int64
    public var totalBytes: Int64
    public var path: String
}
