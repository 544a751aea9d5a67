import Logging

/// The access log: one line per request. It is the server's most frequent line, so with the JSON
/// handler it is written straight from typed fields, in the shape `JSONLogHandler` gives every line
/// (`{"ts":…,"level":"info","msg":"request",…}`, keys sorted): a metadata dictionary built, merged
/// and sorted per request cost about 6 % of a `/healthz` request. With any other handler (text
/// logs, tests) the line goes through the logger.
struct AccessLog {
    var requestID: String
    var method: String
    var route: String
    var status: Int
    var duration: Duration
    var tenant: String?
    var user: String?
    var client: String?

    func write(to logger: Logger) {
        guard logger.logLevel <= .info else { return }
        if let handler = logger.handler as? JSONLogHandler {
            LogBuffer.append(line(), to: handler.stream, urgent: false)
        } else {
            logger.info("request", metadata: metadata)
        }
    }

    /// The same members `line()` writes, for other handlers.
    var metadata: Logger.Metadata {
        var fields: Logger.Metadata = [
            "method": .string(method), "route": .string(route), "status": .stringConvertible(status),
            "duration_ms": .string(ObservabilityMiddleware.milliseconds(duration)), "request_id": .string(requestID),
        ]
        if let tenant { fields["tenant"] = .string(tenant) }
        if let user { fields["user"] = .string(user) }
        if let client { fields["client"] = .string(client) }
        return fields
    }

    /// The JSON line, newline included; members in the byte order of their keys.
    func line() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out += Array(#"{"ts":""#.utf8)
        JSONLogHandler.appendTimestamp(to: &out)
        out += Array(#"","level":"info","msg":"request""#.utf8)
        func member(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            out.append(UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            out += Array(#"":"#.utf8)
            JSONValue.writeString(value, into: &out)
        }
        member("client", client)
        member("duration_ms", ObservabilityMiddleware.milliseconds(duration))
        member("method", method)
        member("request_id", requestID)
        member("route", route)
        out += Array(#","status":"#.utf8)
        out += Array(String(status).utf8)
        member("tenant", tenant)
        member("user", user)
        out += [UInt8(ascii: "}"), UInt8(ascii: "\n")]
        return out
    }
}
