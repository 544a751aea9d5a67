import Foundation
import Synchronization

/// One breaker per destination host. After `threshold` consecutive failures the breaker opens and
/// calls fail at once for `cooldown`; then one trial call is let through (half-open): success
/// closes it, failure opens it again. A dead endpoint costs its callers nothing after the first
/// few failures, so it cannot tie up the workers other destinations need.
public final class CircuitBreaker: Sendable {
    public enum Decision: Equatable, Sendable {
        case allow
        /// Open: try again after this many seconds.
        case reject(retryAfter: TimeInterval)
    }

    struct Entry {
        var failures = 0
        var openedAt: Date?
        var trialInFlight = false
    }

    public let threshold: Int
    public let cooldown: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])

    public init(threshold: Int = 5, cooldown: TimeInterval = 30) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    public func check(_ host: String, now: Date = Date()) -> Decision {
        entries.withLock { entries in
            var entry = entries[host] ?? Entry()
            defer { entries[host] = entry }
            guard let opened = entry.openedAt else { return .allow }
            let waited = now.timeIntervalSince(opened)
            if waited < cooldown { return .reject(retryAfter: cooldown - waited) }
            if entry.trialInFlight { return .reject(retryAfter: 1) }
            entry.trialInFlight = true
            return .allow
        }
    }

    public func record(_ host: String, success: Bool, now: Date = Date()) {
        entries.withLock { entries in
            var entry = entries[host] ?? Entry()
            entry.trialInFlight = false
            if success {
                entry = Entry()
            } else {
                entry.failures += 1
                if entry.failures >= threshold || entry.openedAt != nil { entry.openedAt = now }
            }
            entries[host] = entry
        }
    }

    public func isOpen(_ host: String, now: Date = Date()) -> Bool { openFor(host, now: now) != nil }

    /// How much longer the breaker stays open for `host` (nil when closed); no trial is taken.
    public func openFor(_ host: String, now: Date = Date()) -> TimeInterval? {
        entries.withLock { entries in
            guard let opened = entries[host]?.openedAt else { return nil }
            let left = cooldown - now.timeIntervalSince(opened)
            return left > 0 ? left : nil
        }
    }
}
