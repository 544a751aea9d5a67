/// One thing `tradepost doctor` found: how bad it is, what it is, and what to do about it.
public struct DoctorFinding: Encodable, Sendable, Equatable {
    public enum Severity: String, Encodable, Sendable, Comparable {
        case ok, warning, error
        public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
        var order: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
    }

    public var check: String
    public var severity: Severity
    public var message: String
    public var fix: String?

    public init(_ check: String, _ severity: Severity, _ message: String, fix: String? = nil) {
        self.check = check
        self.severity = severity
        self.message = message
        self.fix = fix
    }
}
