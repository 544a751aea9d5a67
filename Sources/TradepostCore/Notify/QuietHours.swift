import Foundation

/// A user's quiet hours: local times in their zone between which non-urgent notifications on
/// channels that buzz (email, Telegram, SMS) are held. A window may cross midnight (22:00–07:00).
public struct QuietHours: Sendable, Equatable {
    /// Minutes after local midnight.
    public let start: Int
    public let end: Int
    public let zone: TimeZone

    public init?(start: String?, end: String?, zone: String) {
        guard let s = start.flatMap(Self.minutes), let e = end.flatMap(Self.minutes), s != e, let tz = TimeZone(identifier: zone) else { return nil }
        (self.start, self.end, self.zone) = (s, e, tz)
    }

    /// "HH:MM" (24-hour) as minutes after midnight, or nil.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }

    /// When the quiet window around `now` ends, or nil when `now` is not in one. Read on the
    /// user's calendar, so a daylight-saving change on the night moves the end with the clock.
    public func heldUntil(_ now: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let inside = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard inside else { return nil }
        let today = calendar.startOfDay(for: now)
        // The end is today when it is still ahead on the clock, else tomorrow.
        let day = minute < end ? today : calendar.date(byAdding: .day, value: 1, to: today)!
        return calendar.date(bySettingHour: end / 60, minute: end % 60, second: 0, of: day)
    }
}
