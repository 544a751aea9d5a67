import Foundation
import Logging
import Synchronization

/// One JSON object per line on stdout: journald and log shippers read it without parsing text.
/// `{"ts":"…","level":"info","msg":"request","request_id":"…",…}`
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let stream: Stream

    public enum Stream: Sendable { case stdout, stderr }

    public init(label: String, level: Logger.Level, stream: Stream = .stdout) {
        self.label = label
        self.logLevel = level
        self.stream = stream
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Written straight into one byte buffer (the access log writes a line per request: building a
    /// JSONValue tree and formatting the time as text cost ~15 % of a /healthz request).
    public func log(event: LogEvent) {
        LogBuffer.append(line(for: event), to: stream, urgent: event.level >= .warning)
    }

    /// The event's line, newline included.
    func line(for event: LogEvent) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(320)
        line += Array(#"{"ts":""#.utf8)
        Self.appendTimestamp(to: &line)
        line += Array(#"","level":"#.utf8)
        JSONValue.writeString(event.level.rawValue, into: &line)
        line += Array(#","msg":"#.utf8)
        JSONValue.writeString(event.message.description, into: &line)
        // Keys sorted, each once: the event's value wins over the provider's, which wins over the
        // handler's. An insertion sort of a handful of members costs less than merging dictionaries.
        var members: [Member] = []
        members.reserveCapacity(metadata.count + (event.metadata?.count ?? 0) + 1)
        for (key, value) in metadata { members.append(Member(key: key, rank: 0, value: value)) }
        if let provided = metadataProvider?.get() { for (key, value) in provided { members.append(Member(key: key, rank: 1, value: value)) } }
        if let extra = event.metadata { for (key, value) in extra { members.append(Member(key: key, rank: 2, value: value)) } }
        var sorted = 1
        while sorted < members.count {
            var index = sorted
            while index > 0 && members[index].precedes(members[index - 1]) {
                members.swapAt(index, index - 1)
                index -= 1
            }
            sorted += 1
        }
        for index in members.indices where index + 1 == members.count || members[index + 1].key != members[index].key {
            line.append(UInt8(ascii: ","))
            JSONValue.writeString(members[index].key, into: &line)
            line.append(UInt8(ascii: ":"))
            switch members[index].value {
            case .string(let text): JSONValue.writeString(text, into: &line)
            default: line += Self.json(members[index].value).serialized()
            }
        }
        if event.level >= .warning {
            line += Array(#","source":"#.utf8)
            JSONValue.writeString("\(event.source)", into: &line)
        }
        line += [UInt8(ascii: "}"), UInt8(ascii: "\n")]
        return line
    }

    private struct Member {
        var key: String
        var rank: Int
        var value: Logger.Metadata.Value

        func precedes(_ other: Member) -> Bool { key != other.key ? key < other.key : rank < other.rank }
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value):
            if let number = value as? Int { .number(Double(number)) } else { .string(value.description) }
        case .array(let items): .array(items.map(json))
        case .dictionary(let dict): .object(dict.keys.sorted().map { ($0, json(dict[$0]!)) })
        }
    }

    /// `2026-11-21T12:55:30.123Z`, as digits appended by hand: a FormatStyle per log line is measurably slow.
    static func appendTimestamp(to out: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ width: Int) {
            var divisor: Int32 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(48 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4); out.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2); out.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2); out.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2); out.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2); out.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2); out.append(UInt8(ascii: "."))
        digits(Int32(now.tv_nsec / 1_000_000), 3); out.append(UInt8(ascii: "Z"))
    }
}
