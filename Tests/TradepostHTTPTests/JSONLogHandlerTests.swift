import Foundation
import Logging
import Testing
@testable import TradepostHTTP

/// Log shippers parse these lines; each must be one JSON object with every key once.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    func parsed(_ handler: JSONLogHandler, _ level: Logger.Level = .info, _ message: String = "request",
                metadata: Logger.Metadata?) throws -> (text: String, object: [String: Any]) {
        let event = LogEvent(level: level, message: "\(message)", metadata: metadata, source: "TradepostHTTP", file: #fileID, function: #function, line: #line)
        let bytes = handler.line(for: event)
        #expect(bytes.last == UInt8(ascii: "\n") && bytes.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        return (String(decoding: bytes, as: UTF8.self), object)
    }

    @Test func keysAreSortedAndTheEventsValueWinsOverTheLoggers() throws {
        var handler = JSONLogHandler(label: "test", level: .info)
        handler[metadataKey: "request_id"] = "from-logger"
        handler[metadataKey: "tenant"] = "acme"
        handler.metadataProvider = Logger.MetadataProvider { ["tenant": "from-provider", "zone": "eu"] }
        let (text, object) = try parsed(handler, metadata: [
            "status": .stringConvertible(200), "method": "GET", "request_id": "from-event",
            "a \"quoted\"\nkey": "line\tbreak", "list": ["x", "y"], "nested": ["k": "v"],
        ])
        #expect(object["request_id"] as? String == "from-event")
        #expect(object["tenant"] as? String == "from-provider")
        #expect(object["zone"] as? String == "eu")
        #expect(object["status"] as? Int == 200)
        #expect(object["a \"quoted\"\nkey"] as? String == "line\tbreak")
        #expect(object["list"] as? [String] == ["x", "y"])
        #expect(object["nested"] as? [String: String] == ["k": "v"])
        #expect(object["level"] as? String == "info" && object["msg"] as? String == "request")
        #expect(object["source"] == nil)
        // Each key once, metadata in sorted order after ts, level, msg.
        for key in ["request_id", "tenant"] { #expect(text.components(separatedBy: "\"\(key)\":").count == 2, "\(key)") }
        let order = ["a \\\"quoted\\\"\\nkey", "list", "method", "nested", "request_id", "status", "tenant", "zone"]
            .map { try! #require(text.range(of: "\"\($0)\":")).lowerBound }
        #expect(order == order.sorted())
        #expect(text.hasPrefix("{\"ts\":\"") && text.range(of: "\"level\":")!.lowerBound < order[0])
    }

    @Test func warningsNameTheirSourceAndLinesWithoutMetadataAreStillObjects() throws {
        let handler = JSONLogHandler(label: "test", level: .info)
        let (_, warning) = try parsed(handler, .warning, "disk almost full", metadata: nil)
        #expect(warning["source"] as? String == "TradepostHTTP" && warning["msg"] as? String == "disk almost full")
        let (_, plain) = try parsed(handler, metadata: [:])
        #expect(plain.keys.sorted() == ["level", "msg", "ts"])
        let stamp = try #require(plain["ts"] as? String)
        #expect(stamp.count == 24 && stamp.hasSuffix("Z"))
    }
}
