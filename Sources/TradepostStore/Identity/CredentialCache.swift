import Foundation
import Synchronization
import TradepostCore
import TradepostDatabase

/// Who each recently presented credential stands for, so an authenticated request reads no
/// database. An entry is trusted only while the data dir's `AuthEpoch` still has the value it
/// was read under (any revocation, user, admin or tenant change, in any process, moves it) and
/// only until the credential expires; otherwise the request reads the databases as before.
final class CredentialCache: Sendable {
    struct Entry: Sendable {
        var principal: Principal
        var credential: SQLiteAuthService.StoredCredential
        var expiresAt: Date
        var epoch: UInt64
    }

    /// Bounded: when full it starts over (a burst of new credentials costs one database read each).
    static let capacity = 10_000
    let epoch: AuthEpoch
    private let entries = Mutex<[Data: Entry]>([:])

    init(epoch: AuthEpoch) { self.epoch = epoch }

    /// The entry for `hash` if it is still good at `now`.
    func entry(_ hash: Data, now: Date) -> Entry? {
        let current = epoch.current
        return entries.withLock { entries in
            guard let entry = entries[hash] else { return nil }
            guard entry.epoch == current, now < entry.expiresAt else {
                entries[hash] = nil
                return nil
            }
            return entry
        }
    }

    func store(_ hash: Data, _ entry: Entry) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[hash] = entry
        }
    }

    /// Records that the credential was just seen (its last-seen write is done).
    func touched(_ hash: Data, at now: Date) {
        entries.withLock { $0[hash]?.credential.lastSeen = now }
    }
}
