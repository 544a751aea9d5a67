import Foundation

/// An auto-reply of a channel: a greeting on a contact's first message, a reply to keywords (or a
/// pattern), or an out-of-hours reply outside business hours in the rule's time zone. Replies carry
/// one text per language ("en", "uk", "ru"); the contact's language picks, else the first given.
public struct AutoReplyRule: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case greeting, keyword, away }

    /// One day's hours: ISO weekday (1 = Monday … 7 = Sunday) and "09:00"–"18:00" local times.
    public struct Hours: Codable, Sendable, Equatable {
        public var day: Int
        public var open: String
        public var close: String
        public init(day: Int, open: String, close: String) {
            self.day = day
            self.open = open
            self.close = close
        }
    }

    public var id: String
    public var channelId: String
    public var kind: Kind
    public var keywords: [String]
    public var pattern: String?
    public var replies: [String: String]
    public var hours: [Hours]?
    public var timeZone: String?
    public var enabled: Bool
    public var position: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, channelId: String, kind: Kind, keywords: [String], pattern: String?, replies: [String: String], hours: [Hours]?,
                timeZone: String?, enabled: Bool, position: Int, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.channelId = channelId
        self.kind = kind
        self.keywords = keywords
        self.pattern = pattern
        self.replies = replies
        self.hours = hours
        self.timeZone = timeZone
        self.enabled = enabled
        self.position = position
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public struct AutoReplyRuleInput: Codable, Sendable, Equatable {
    public var kind: AutoReplyRule.Kind?
    public var keywords: [String]?
    public var pattern: String?
    public var replies: [String: String]?
    public var hours: [AutoReplyRule.Hours]?
    public var timeZone: String?
    public var enabled: Bool?
    public var position: Int?
    public init(kind: AutoReplyRule.Kind? = nil, keywords: [String]? = nil, pattern: String? = nil, replies: [String: String]? = nil,
                hours: [AutoReplyRule.Hours]? = nil, timeZone: String? = nil, enabled: Bool? = nil, position: Int? = nil) {
        self.kind = kind
        self.keywords = keywords
        self.pattern = pattern
        self.replies = replies
        self.hours = hours
        self.timeZone = timeZone
        self.enabled = enabled
        self.position = position
    }
}

/// Which auto-replies a customer's message sets off. Each rule fires at most once per conversation
/// and period — a greeting once per conversation, a keyword reply once a day, the out-of-hours reply
/// once per spell out of hours — so two bots answering each other stop after one round; no more
/// than `perConversationLimit` automatic replies go to one conversation in ten minutes whatever the rules.
public enum AutoReply {
    public static let perConversationLimit = 3

    public struct Firing: Sendable, Equatable {
        public var rule: AutoReplyRule
        /// The period the rule fires in ("conversation", a day, the end of an out-of-hours spell).
        public var period: String
    }

    /// The rules to fire, greeting first, then out-of-hours, then the first matching keyword rule;
    /// `fired` holds "<rule id>|<period>" of firings already made in this conversation.
    public static func fire(_ rules: [AutoReplyRule], text: String?, firstMessage: Bool, now: Date, fired: Set<String>) -> [Firing] {
        var out: [Firing] = []
        let live = rules.filter(\.enabled).sorted { ($0.position, $0.createdAt) < ($1.position, $1.createdAt) }
        func add(_ rule: AutoReplyRule, _ period: String) {
            if !fired.contains(rule.id + "|" + period) { out.append(Firing(rule: rule, period: period)) }
        }
        if firstMessage, let greeting = live.first(where: { $0.kind == .greeting }) { add(greeting, "conversation") }
        for away in live where away.kind == .away {
            if let spell = outOfHours(away.hours ?? [], zone: away.timeZone ?? "UTC", at: now) { add(away, spell); break }
        }
        if let text, let rule = live.first(where: { $0.kind == .keyword && matches($0, text) }) {
            add(rule, day(now, zone: rule.timeZone ?? "UTC"))
        }
        return out
    }

    /// Keywords match whole words, ignoring case and accents; a pattern is a regular expression (case-insensitive).
    public static func matches(_ rule: AutoReplyRule, _ text: String) -> Bool {
        let words = Set(fold(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init))
        if rule.keywords.contains(where: { keyword in
            let parts = fold(keyword).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
            return !parts.isEmpty && (parts.count == 1 ? words.contains(parts[0]) : fold(text).contains(parts.joined(separator: " ")))
        }) { return true }
        if let pattern = rule.pattern, let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) {
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        return false
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// nil within business hours; out of them, the local time the next opening starts (the spell's name).
    public static func outOfHours(_ hours: [AutoReplyRule.Hours], zone: String, at now: Date) -> String? {
        guard let tz = TimeZone(identifier: zone) else { return nil }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = tz
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: now)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let weekday = ((parts.weekday ?? 1) + 5) % 7 + 1  // Calendar: 1 = Sunday; ISO: 1 = Monday
        for h in hours where h.day == weekday {
            if let o = QuietHours.minutes(h.open), let c = QuietHours.minutes(h.close), o <= minute, minute < c { return nil }
        }
        // Out of hours: the spell ends at the next opening.
        let today = calendar.startOfDay(for: now)
        for ahead in 0...7 {
            let day = ((weekday - 1 + ahead) % 7) + 1
            let opens = hours.filter { $0.day == day }.compactMap { QuietHours.minutes($0.open) }.filter { ahead > 0 || $0 > minute }.sorted()
            if let first = opens.first, let date = calendar.date(byAdding: .day, value: ahead, to: today) {
                let f = DateFormatter()
                f.timeZone = tz
                f.locale = Locale(identifier: "en_US_POSIX")
                f.dateFormat = "yyyy-MM-dd"
                return f.string(from: date) + String(format: "T%02d:%02d", first / 60, first % 60)
            }
        }
        return "closed"
    }

    static func day(_ now: Date, zone: String) -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: zone) ?? .gmt
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: now)
    }

    /// The reply in the contact's language, else English, else any.
    public static func text(_ rule: AutoReplyRule, language: String?) -> String? {
        language.flatMap { rule.replies[$0] } ?? rule.replies["en"] ?? rule.replies.sorted { $0.key < $1.key }.first?.value
    }
}
