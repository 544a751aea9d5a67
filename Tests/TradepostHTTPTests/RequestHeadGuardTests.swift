import NIOCore
import NIOEmbedded
import Testing
@testable import TradepostHTTP

/// The guard in front of the HTTP parser: it must find every request-target in a stream of
/// keep-alive and pipelined requests — whatever the TCP segments — and change nothing else.
@Suite("Request head guard")
struct RequestHeadGuardTests {
    /// Feeds `input` in pieces of `step` bytes; returns what the parser would have read.
    func pass(_ input: [UInt8], step: Int) throws -> (bytes: [UInt8], phase: RequestHeadGuard.Phase) {
        let guardHandler = RequestHeadGuard(headTimeout: .seconds(60))
        let channel = EmbeddedChannel(handler: guardHandler)
        var offset = 0
        while offset < input.count {
            let end = min(input.count, offset + step)
            try channel.writeInbound(ByteBuffer(bytes: input[offset..<end]))
            offset = end
        }
        var out: [UInt8] = []
        while let buffer = try channel.readInbound(as: ByteBuffer.self) { out += buffer.readableBytesView }
        _ = try channel.finish()
        return (out, guardHandler.phase)
    }

    static let body = Array("{\"name\":\"Олена\"}".utf8)
    static let chunk = Array("Київ".utf8)
    static let stream: [UInt8] = Array("GET /a?q=é HTTP/1.1\r\nHost: x\r\nX-Note: Київ\r\n\r\n".utf8)
        + Array("POST /b?c=ж HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        + Array("PUT /c/ї HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".utf8)
        + Array("\(String(chunk.count, radix: 16));ext=1\r\n".utf8) + chunk + Array("\r\n0\r\nX-T: ü\r\n\r\n".utf8)
        + Array("\r\nGET /d?e=ß HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
    static let expected: [UInt8] = Array("GET /a?q=%C3%A9 HTTP/1.1\r\nHost: x\r\nX-Note: Київ\r\n\r\n".utf8)
        + Array("POST /b?c=%D0%B6 HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        + Array("PUT /c/%D1%97 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n".utf8)
        + Array("\(String(chunk.count, radix: 16));ext=1\r\n".utf8) + chunk + Array("\r\n0\r\nX-T: ü\r\n\r\n".utf8)
        + Array("\r\nGET /d?e=%C3%9F HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    @Test(arguments: [1, 2, 3, 7, 16, 64, 4096])
    func targetsAreEncodedAndBodiesUntouchedAcrossAnySegmentation(_ step: Int) throws {
        let (bytes, phase) = try pass(Self.stream, step: step)
        #expect(bytes == Self.expected)
        #expect(phase == .requestLine(started: false))
    }

    /// What it cannot frame exactly it leaves to the parser, unchanged, for the rest of the connection.
    @Test func upgradesAndConflictingLengthsPassThrough() throws {
        let upgrade = Array("GET /api/v1/live HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8) + [0x81, 0xFE, 0xC3, 0xA9]
        #expect(try pass(upgrade, step: 5) == (upgrade, .passthrough))
        let conflicting = Array("POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcdGET /é".utf8)
        #expect(try pass(conflicting, step: 3) == (conflicting, .passthrough))
        let folded = Array("GET /x HTTP/1.1\r\nX-A: 1\r\n continued\r\n\r\nGET /é".utf8)
        #expect(try pass(folded, step: 2) == (folded, .passthrough))
    }
}
