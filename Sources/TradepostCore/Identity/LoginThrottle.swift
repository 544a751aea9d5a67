import Foundation
import Synchronization

/// Slows password guessing with growing delays, per account and per client address.
///
/// Each key gets a few free failures; after that every failure blocks the key for a delay that
/// doubles up to `maxDelay`. A key forgets its failures after `forgetAfter` without one, and a
/// successful login clears the account key, so a real user is slowed for minutes at worst,
/// never locked out for good. State is in memory: one box, one process.
public final class LoginThrottle: Sendable {
    public struct Rule: Sendable {
        public var freeFailures: Int
        public var baseDelay: TimeInterval
        public var maxDelay: TimeInterval
        public var forgetAfter: TimeInterval

        public init(freeFailures: Int, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 900, forgetAfter: TimeInterval = 3600) {
            self.freeFailures = freeFailures
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
            self.forgetAfter = forgetAfter
        }

        /// Delay after the `failures`-th failure.
        public func delay(afterFailures failures: Int) -> TimeInterval {
            let over = failures - freeFailures
            guard over > 0 else { return 0 }
            return min(maxDelay, baseDelay * pow(2, Double(min(over - 1, 30))))
        }
    }

    struct Entry {
        var failures: Int
        var lastFailure: Date
        var blockedUntil: Date
    }

    public let accountRule: Rule
    public let addressRule: Rule
    private let maxEntries: Int
    private let state = Mutex<[String: Entry]>([:])

    public init(
        accountRule: Rule = Rule(freeFailures: 5),
        addressRule: Rule = Rule(freeFailures: 20),
        maxEntries: Int = 100_000
    ) {
        self.accountRule = accountRule
        self.addressRule = addressRule
        self.maxEntries = maxEntries
    }

    /// Keys tracked now (for tests and metrics).
    var entryCount: Int { state.withLock { $0.count } }

    public static func accountKey(tenant: String?, email: String) -> String {
        "acct:\(tenant ?? "-")/\(email.lowercased())"
    }
    public static func addressKey(_ ip: String?) -> String? { ip.map { "ip:\($0)" } }

    /// Throws `.rateLimited` with `retryAfter` when any key is blocked now.
    public func check(_ keys: [String], now: Date = Date()) throws {
        let wait: TimeInterval = state.withLock { entries in
            keys.compactMap { key -> TimeInterval? in
                guard let entry = entries[key] else { return nil }
                let remaining = entry.blockedUntil.timeIntervalSince(now)
                return remaining > 0 ? remaining : nil
            }.max() ?? 0
        }
        if wait > 0 {
            let seconds = Int(wait.rounded(.up))
            throw AppError(.rateLimited, "Too many failed logins. Try again in \(seconds) s.", retryAfter: seconds)
        }
    }

    public func recordFailure(account: String, address: String?, now: Date = Date()) {
        state.withLock { entries in
            bump(&entries, account, accountRule, now)
            if let address { bump(&entries, address, addressRule, now) }
            if entries.count > maxEntries { prune(&entries, now) }
        }
    }

    public func recordSuccess(account: String) {
        _ = state.withLock { $0.removeValue(forKey: account) }
    }

    private func bump(_ entries: inout [String: Entry], _ key: String, _ rule: Rule, _ now: Date) {
        var entry = entries[key] ?? Entry(failures: 0, lastFailure: now, blockedUntil: .distantPast)
        if now.timeIntervalSince(entry.lastFailure) > rule.forgetAfter { entry.failures = 0 }
        entry.failures += 1
        entry.lastFailure = now
        let delay = rule.delay(afterFailures: entry.failures)
        if delay > 0 { entry.blockedUntil = now.addingTimeInterval(delay) }
        entries[key] = entry
    }

    /// Drops forgotten keys; if still too many, the oldest half goes (memory stays bounded under a flood).
    private func prune(_ entries: inout [String: Entry], _ now: Date) {
        let horizon = max(accountRule.forgetAfter, addressRule.forgetAfter)
        entries = entries.filter { now.timeIntervalSince($0.value.lastFailure) <= horizon }
        if entries.count > maxEntries {
            let keep = entries.sorted { $0.value.lastFailure > $1.value.lastFailure }.prefix(maxEntries / 2)
            entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
