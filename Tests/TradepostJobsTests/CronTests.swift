import Foundation
import Testing
@testable import TradepostJobs

@Suite("Cron expressions")
struct CronTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let kyiv = TimeZone(identifier: "Europe/Kyiv")!
    static let newYork = TimeZone(identifier: "America/New_York")!

    /// "2026-03-29T00:30:00Z" → Date
    static func date(_ iso: String) -> Date { try! Date(iso, strategy: .iso8601) }
    static func iso(_ date: Date?) -> String { date.map { $0.formatted(.iso8601) } ?? "nil" }

    @Test(arguments: [
        "* * * * *", "0 2 * * *", "*/15 9-17 * * mon-fri", "0 0 1,15 * *", "30 4 * jan,jul sun", "@daily", "@hourly", "@weekly",
        "@monthly", "@yearly", "5 0 * 8 *", "0 22 * * 1-5", "0 0 * * 7", "0-59/20 * * * *", "10/5 * * * *",
    ])
    func parses(_ text: String) throws {
        _ = try CronExpression(text)
    }

    @Test(arguments: [
        "", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *",
        "5-1 * * * *", "a b c d e", "1,,2 * * * *", "* * * smarch *",
    ])
    func rejects(_ text: String) {
        #expect(throws: CronExpression.ParseError.self) { try CronExpression(text) }
    }

    @Test func nextRunsInUTC() throws {
        let from = Self.date("2026-11-21T10:07:30Z")
        #expect(Self.iso(try CronExpression("* * * * *").next(after: from, in: Self.utc)) == "2026-11-21T10:08:00Z")
        #expect(Self.iso(try CronExpression("*/15 * * * *").next(after: from, in: Self.utc)) == "2026-11-21T10:15:00Z")
        #expect(Self.iso(try CronExpression("0 2 * * *").next(after: from, in: Self.utc)) == "2026-11-22T02:00:00Z")
        #expect(Self.iso(try CronExpression("@hourly").next(after: from, in: Self.utc)) == "2026-11-21T11:00:00Z")
        // Saturday 21 Nov 2026: the next weekday 09:00 is Monday.
        #expect(Self.iso(try CronExpression("0 9 * * mon-fri").next(after: from, in: Self.utc)) == "2026-11-23T09:00:00Z")
        // Day of month and day of week both restricted: either matches (Vixie cron).
        #expect(Self.iso(try CronExpression("0 0 1 * fri").next(after: from, in: Self.utc)) == "2026-11-27T00:00:00Z")
        #expect(Self.iso(try CronExpression("0 0 29 2 *").next(after: from, in: Self.utc)) == "2028-02-29T00:00:00Z")
        #expect(try CronExpression("0 0 30 2 *").next(after: from, in: Self.utc) == nil)
        // Strictly after: a run at exactly `from` is not returned.
        let onTheDot = Self.date("2026-11-21T02:00:00Z")
        #expect(Self.iso(try CronExpression("0 2 * * *").next(after: onTheDot, in: Self.utc)) == "2026-11-22T02:00:00Z")
    }

    @Test func followsTheLocalClock() throws {
        // 02:00 in Kyiv (UTC+2 in winter) is 00:00 UTC.
        let from = Self.date("2026-11-21T10:00:00Z")
        #expect(Self.iso(try CronExpression("0 2 * * *").next(after: from, in: Self.kyiv)) == "2026-11-22T00:00:00Z")
    }

    @Test func aTimeSkippedBySpringForwardRunsAtTheJump() throws {
        // Kyiv, 29 March 2026: at 03:00 EET clocks jump to 04:00 EEST (01:00 UTC). 03:30 never happens.
        let from = Self.date("2026-03-28T12:00:00Z")
        let cron = try CronExpression("30 3 * * *")
        let first = try #require(cron.next(after: from, in: Self.kyiv))
        #expect(Self.iso(first) == "2026-03-29T01:00:00Z")
        // The next day it is 03:30 EEST again (00:30 UTC), once.
        #expect(Self.iso(cron.next(after: first, in: Self.kyiv)) == "2026-03-30T00:30:00Z")
        // 02:00 still exists that night (00:00 UTC, still EET).
        #expect(Self.iso(try CronExpression("0 2 * * *").next(after: from, in: Self.kyiv)) == "2026-03-29T00:00:00Z")
    }

    @Test func aTimeRepeatedByFallBackRunsOnce() throws {
        // Kyiv, 25 October 2026: at 04:00 EEST clocks go back to 03:00 EET; 03:30 happens twice.
        let from = Self.date("2026-10-24T12:00:00Z")
        let cron = try CronExpression("30 3 * * *")
        let first = try #require(cron.next(after: from, in: Self.kyiv))
        #expect(Self.iso(first) == "2026-10-25T00:30:00Z")  // the first 03:30 (EEST, UTC+3)
        #expect(Self.iso(cron.next(after: first, in: Self.kyiv)) == "2026-10-26T01:30:00Z")  // next day, EET
    }

    @Test func dstInNewYork() throws {
        // 8 March 2026: 02:00 EST → 03:00 EDT (07:00 UTC). A 02:30 job runs at the jump.
        let cron = try CronExpression("30 2 * * *")
        #expect(Self.iso(cron.next(after: Self.date("2026-03-07T12:00:00Z"), in: Self.newYork)) == "2026-03-08T07:00:00Z")
        // 1 November 2026: 01:30 happens twice; it runs at the first (05:30 UTC, EDT).
        let once = try CronExpression("30 1 * * *")
        let first = try #require(once.next(after: Self.date("2026-10-31T12:00:00Z"), in: Self.newYork))
        #expect(Self.iso(first) == "2026-11-01T05:30:00Z")
        #expect(Self.iso(once.next(after: first, in: Self.newYork)) == "2026-11-02T06:30:00Z")
    }

    @Test func hourlyRunsThroughADSTChangeWithoutGapsOrRepeats() throws {
        let cron = try CronExpression("0 * * * *")
        var at = Self.date("2026-10-24T22:00:00Z")
        var runs: [Date] = []
        for _ in 0..<8 {
            at = try #require(cron.next(after: at, in: Self.kyiv))
            runs.append(at)
        }
        #expect(Set(runs).count == runs.count)
        #expect(runs == runs.sorted())
    }
}
