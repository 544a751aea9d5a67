import Foundation
import GRDB
import Synchronization

/// GRDB formats every `Date` it binds through DateFormatter (ICU): a tenth of a bulk import's time.
/// Rows written together share their timestamp, so the last one formatted is kept and reused.
package enum DateValues {
    private static let last = Mutex<(Date, DatabaseValue)?>(nil)

    package static func value(_ date: Date) -> DatabaseValue {
        if let hit = last.withLock({ $0 }), hit.0 == date { return hit.1 }
        let value = date.databaseValue
        last.withLock { $0 = (date, value) }
        return value
    }
}
