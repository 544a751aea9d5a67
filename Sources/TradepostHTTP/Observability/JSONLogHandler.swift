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

    public func log(event: LogEvent) {
        var fields: [(String, JSONValue)] = [
            ("ts", .string(Self.timestamp())),
            ("level", .string(event.level.rawValue)),
            ("msg", .string(event.message.description)),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for key in merged.keys.sorted() { fields.append((key, Self.json(merged[key]!))) }
        if event.level >= .warning { fields.append(("source", .string("\(event.source)"))) }
        var line = JSONValue.object(fields).serialized()
        line.append(UInt8(ascii: "\n"))
        Self.write(line, to: stream)
    }

    private static let lock = Mutex<Void>(())

    static func write(_ bytes: [UInt8], to stream: Stream) {
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                let fd: Int32 = stream == .stdout ? 1 : 2
                while offset < buffer.count {
                    let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
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

    /// `2026-11-21T12:55:30.123Z`, built by hand: a FormatStyle per log line is measurably slow.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
