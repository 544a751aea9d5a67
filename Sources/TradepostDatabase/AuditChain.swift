import Crypto
import Foundation
import GRDB
import TradepostCore

/// The hash chain over an audit table (`audit_log` per tenant, `platform_audit` in the control
/// database). Each entry's `hash` is SHA-256 over the previous entry's hash and every stored field
/// as written (JSON array: unambiguous whatever the fields hold), so editing an entry breaks its
/// own hash, and deleting or inserting one breaks the next entry's link. Deleting the newest
/// entries is caught by `sqlite_sequence`, which remembers the highest id ever handed out.
/// Triggers refuse UPDATE (of a sealed entry) and DELETE, so the app itself cannot rewrite history.
///
/// Entries are sealed in the transaction that writes them. Entries written before the chain
/// existed (migration 10 / control 3) are sealed, oldest first, by the first write after it.
package enum AuditChain {
    static let genesis = String(repeating: "0", count: 64)

    /// Hashes every entry after the newest sealed one, in order.
    package static func seal(_ db: Database, table: String) throws {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, hash FROM \(table) WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1"))
        var prev: String = last?["hash"] ?? genesis
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM \(table) WHERE id > ? ORDER BY id"), arguments: [(last?["id"] as Int64?) ?? 0])
        for row in rows {
            let hash = Self.hash(prev: prev, row)
            try db.cachedStatement(sql: "UPDATE \(table) SET hash = ? WHERE id = ?").execute(arguments: [hash, row["id"] as Int64])
            prev = hash
        }
    }

    package static func hash(prev: String, _ row: Row) -> String {
        let fields: [String?] = [prev, String(row["id"] as Int64), text(row, "at"), text(row, "actor"), text(row, "actor_label"),
                                 text(row, "ip"), text(row, "action"), text(row, "target"), text(row, "detail")]
        let data = (try? JSONEncoder().encode(fields)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// A column exactly as stored (dates are TEXT), so verification reads what sealing hashed.
    private static func text(_ row: Row, _ column: String) -> String? {
        switch row[column] as DatabaseValue? {
        case .none: nil
        case .some(let value):
            switch value.storage {
            case .null: nil
            case .string(let s): s
            case .int64(let i): String(i)
            case .double(let d): String(d)
            case .blob(let b): b.base64EncodedString()
            }
        }
    }

    /// Walks the whole table. Read-only. Unsealed entries are fine only while nothing is sealed
    /// yet (entries from before the chain, before the next audited change seals them).
    package static func verify(_ db: Database, table: String) throws -> AuditVerification {
        var problems: [String] = []
        var prev = genesis
        var count = 0, sealed = 0, unsealed = 0
        var lastID: Int64 = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(table) ORDER BY id")
        while let row = try cursor.next() {
            count += 1
            let id: Int64 = row["id"]
            lastID = id
            guard let stored: String = row["hash"] else {
                if sealed > 0 { problems.append("entry \(id) is not sealed: it was written around Tradepost") }
                unsealed += 1
                continue
            }
            if unsealed > 0 && sealed == 0 {
                problems.append("entry \(id) is sealed after unsealed entries: the chain was tampered with")
            }
            if stored != hash(prev: prev, row) {
                problems.append("entry \(id) does not match its hash: it was edited, or an entry before it was deleted or inserted")
            }
            prev = stored
            sealed += 1
        }
        if let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table]), seq > lastID {
            problems.append(lastID + 1 == seq ? "entry \(seq) was deleted (the newest id ever given out)"
                                              : "entries \(lastID + 1)–\(seq) were deleted (the newest id ever given out is \(seq))")
        }
        if try db.triggers(table).count < 2 {
            problems.append("the triggers that keep \(table) append-only were removed")
        }
        return AuditVerification(entries: count, sealed: sealed, unsealed: unsealed, problems: problems)
    }
}

extension Database {
    /// Names of the triggers on a table.
    func triggers(_ table: String) throws -> [String] {
        try String.fetchAll(self, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", arguments: [table])
    }
}
