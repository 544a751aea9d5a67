import GRDB
import Synchronization
import TradepostCore

/// Counters the metrics endpoint reads: SQLite busy/locked errors seen by the services.
public final class StoreStats: Sendable {
    private let busy = Atomic<Int>(0)

    public init() {}

    public var busyErrors: Int { busy.load(ordering: .relaxed) }

    /// Converts a database error into an `AppError` the client may see, counting busy/locked ones.
    /// Constraint names never leak: the caller maps the unique constraints it expects to `.conflict`.
    func map(_ error: any Error) -> any Error {
        if error is AppError { return error }
        if let db = error as? DatabaseError {
            switch db.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                busy.add(1, ordering: .relaxed)
                return AppError(.unavailable, "The database is busy; try again")
            case .SQLITE_FULL:
                return AppError(.unavailable, "The disk is full")
            default:
                break
            }
        }
        return error
    }
}

extension DatabaseError {
    /// True for a UNIQUE violation, so callers can turn it into a precise `.conflict`.
    var isUniqueViolation: Bool { extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY }
}

/// Runs `body`, turning a unique violation into `conflict` and other database errors through `stats`.
func mapErrors<T>(_ stats: StoreStats, conflict: String? = nil, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as DatabaseError where conflict != nil && error.isUniqueViolation {
        throw AppError.conflict(conflict!)
    } catch {
        throw stats.map(error)
    }
}
