import Foundation

/// A five-field cron expression (minute hour day-of-month month day-of-week) with lists, ranges,
/// steps, month and weekday names, and the @hourly/@daily/@weekly/@monthly/@yearly shorthands.
///
/// Times are wall-clock times in a time zone, with Vixie cron's rules across daylight-saving
/// changes: a time that does not exist (clocks jump forward over it) runs at the moment of the
/// jump; a time that happens twice (clocks fall back) runs once, the first time.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    let minutes: [Int]
    let hours: [Int]
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int>
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    static let shorthands = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let expanded = Self.shorthands[trimmed] ?? trimmed
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw ParseError(description: "\"\(text)\": a cron expression has 5 fields (minute hour day month weekday)")
        }
        description = text
        minutes = try Self.field(fields[0], "minute", 0...59, names: []).sorted()
        hours = try Self.field(fields[1], "hour", 0...23, names: []).sorted()
        daysOfMonth = try Self.field(fields[2], "day of month", 1...31, names: [])
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames, firstName: 1)
        // 7 is Sunday too.
        daysOfWeek = Set(try Self.field(fields[4], "day of week", 0...7, names: Self.dayNames, firstName: 0).map { $0 % 7 })
        dayOfMonthRestricted = fields[2] != "*" && fields[2] != "?"
        dayOfWeekRestricted = fields[4] != "*" && fields[4] != "?"
    }

    static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], firstName: Int = 0) throws -> Set<Int> {
        func value(_ token: String) throws -> Int {
            if let number = Int(token), range.contains(number) { return number }
            if let index = names.firstIndex(of: token) { return index + firstName }
            throw ParseError(description: "\"\(token)\" is not a valid \(name) (\(range.lowerBound)–\(range.upperBound))")
        }
        var result = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else { throw ParseError(description: "\"\(text)\" has an empty item in the \(name) field") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else { throw ParseError(description: "\"\(item)\" has more than one / in the \(name) field") }
            var step = 1
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), parsed > 0 else {
                    throw ParseError(description: "\"\(parts[1])\" is not a valid step in the \(name) field")
                }
                step = parsed
            }
            let span: ClosedRange<Int>
            if parts[0] == "*" || parts[0] == "?" {
                span = range
            } else if parts[0].contains("-") {
                let bounds = parts[0].split(separator: "-").map(String.init)
                guard bounds.count == 2 else { throw ParseError(description: "\"\(parts[0])\" is not a range in the \(name) field") }
                let low = try value(bounds[0]), high = try value(bounds[1])
                guard low <= high else { throw ParseError(description: "\"\(parts[0])\" runs backwards in the \(name) field") }
                span = low...high
            } else {
                let start = try value(parts[0])
                span = start...(parts.count == 2 ? range.upperBound : start)
            }
            result.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        guard !result.isEmpty else { throw ParseError(description: "the \(name) field is empty") }
        return result
    }

    func matchesDay(month: Int, day: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        let domMatch = daysOfMonth.contains(day), dowMatch = daysOfWeek.contains(weekday)
        switch (dayOfMonthRestricted, dayOfWeekRestricted) {
        case (true, true): return domMatch || dowMatch
        case (true, false): return domMatch
        case (false, true): return dowMatch
        case (false, false): return true
        }
    }

    /// The first run strictly after `date`, or nil when none exists within eight years (e.g. Feb 30).
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard var day = calendar.date(from: DateComponents(year: start.year, month: start.month, day: start.day, hour: 12)) else {
            return nil
        }
        for dayIndex in 0..<(366 * 8) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let weekday = parts.weekday,
                matchesDay(month: month, day: dayOfMonth, weekday: weekday - 1)
            {
                for hour in hours {
                    if dayIndex == 0, let startHour = start.hour, hour < startHour - 1 { continue }
                    for minute in minutes {
                        let wall = Wall(year: year, month: month, day: dayOfMonth, hour: hour, minute: minute)
                        if let instant = wall.instant(in: zone), instant > date { return instant }
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = following
        }
        return nil
    }
}

/// A wall-clock minute in some time zone.
struct Wall: Equatable {
    var year, month, day, hour, minute: Int

    /// When this wall time happens: the first time if it happens twice, the moment clocks jump
    /// over it if it never happens.
    func instant(in zone: TimeZone) -> Date? {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let naive = utc.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)) else {
            return nil
        }
        let before = zone.secondsFromGMT(for: naive.addingTimeInterval(-43_200))
        let after = zone.secondsFromGMT(for: naive.addingTimeInterval(43_200))
        let candidates = Set([before, after]).map { naive.addingTimeInterval(-Double($0)) }
            .filter { zone.secondsFromGMT(for: $0) == Int(naive.timeIntervalSince($0)) }
            .sorted()
        if let first = candidates.first { return first }
        // In the gap of a spring-forward change: run when the clocks jump.
        return zone.nextDaylightSavingTimeTransition(after: naive.addingTimeInterval(-Double(max(before, after)) - 1))
    }
}
