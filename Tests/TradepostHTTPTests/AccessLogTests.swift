import Foundation
import Logging
import Testing
import TradepostCore
@testable import TradepostHTTP

@Suite("Access log")
struct AccessLogTests {
    @Test func durationsAreMillisecondsWithTwoDecimalsRounded() {
        #expect(ObservabilityMiddleware.milliseconds(.zero) == "0.00")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(12_345)) == "12.35")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(1_200)) == "1.20")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(4)) == "0.00")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(95)) == "0.10")
        #expect(ObservabilityMiddleware.milliseconds(.seconds(3)) == "3000.00")
    }

    /// The line written straight from fields is the line the JSON handler writes from the same metadata.
    @Test func theDirectLineIsTheHandlersLine() throws {
        func withoutTime(_ bytes: [UInt8]) -> String {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix(#"{"ts":""#) && text.count > 32)
            return String(text.dropFirst(32))  // {"ts":"2026-12-04T10:11:12.345Z"
        }
        let handler = JSONLogHandler(label: "test", level: .info)
        let entries = [
            AccessLog(requestID: "01REQ", method: "GET", route: "/healthz", status: 200, duration: .microseconds(1_234)),
            AccessLog(requestID: "trace-abc-123", method: "PATCH", route: "/api/v1/products/{id}", status: 409, duration: .seconds(2),
                      tenant: "acme", user: "01USER", client: "127.0.0.1"),
            AccessLog(requestID: "x", method: "POST", route: "unmatched", status: 400, duration: .zero,
                      tenant: "a\"b\\c\nd", user: nil, client: "::1"),
        ]
        for entry in entries {
            let direct = entry.line()
            let event = LogEvent(level: .info, message: "request", metadata: entry.metadata, source: nil, file: #fileID, function: #function, line: #line)
            #expect(withoutTime(direct) == withoutTime(handler.line(for: event)))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(direct)) as? [String: Any])
            #expect(object["request_id"] as? String == entry.requestID && object["status"] as? Int == entry.status)
            #expect(object["tenant"] as? String == entry.tenant && object["client"] as? String == entry.client)
        }
    }
}

@Suite("Request ids")
struct RequestIDTests {
    @Test func generatedIdsAreWellFormedAndDistinct() {
        let ids = (0..<10_000).map { _ in ObservabilityMiddleware.requestIDs.withLock { Identifier.make(now: Date(), using: &$0) } }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Identifier.isValid($0) })
    }
}
