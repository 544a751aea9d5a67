import Foundation
import GRDB
import TradepostCore

/// The first answer to each unsafe POST sent with an `Idempotency-Key`, stored in the transaction
/// that made it: a retry (a lost response, a double click) gets the same answer and changes nothing
/// again; the same key with another request is refused. Keys are the caller's own and live a day.
enum IdempotencyRecords {
    static let lifetime: TimeInterval = 86_400

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    /// Runs `body` once per key: the stored answer when the key was used for this very request,
    /// `.idempotencyKeyReused` when for another. Call inside the write transaction of `body`.
    static func once<T: Codable>(_ db: Database, _ caller: Caller, _ key: IdempotencyKey?, now: Date,
                                 _ body: () throws -> T) throws -> T {
        guard let key else { return try body() }
        let user = caller.principal.userID
        if let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT fingerprint, response, created_at FROM idempotency_keys WHERE user_id = ? AND key = ?"), arguments: [user, key.key]) {
            let created: Date = row[2]
            if now.timeIntervalSince(created) < lifetime {
                guard row[0] == key.fingerprint else { throw AppError.idempotencyKeyReused }
                return try decoder.decode(T.self, from: Data((row[1] as String).utf8))
            }
            try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?").execute(arguments: [user, key.key])
        }
        let answer = try body()
        try db.cachedStatement(sql: "INSERT INTO idempotency_keys (user_id, key, fingerprint, response, created_at) VALUES (?, ?, ?, ?, ?)").execute(arguments: [user, key.key, key.fingerprint, String(decoding: try encoder.encode(answer), as: UTF8.self), now])
        return answer
    }

    /// Forgets keys older than a day.
    static func sweep(_ db: Database, now: Date) throws {
        try db.cachedStatement(sql: "DELETE FROM idempotency_keys WHERE created_at < ?").execute(arguments: [now.addingTimeInterval(-lifetime)])
    }
}
