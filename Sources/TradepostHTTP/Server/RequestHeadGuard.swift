import NIOCore

/// The first handler of every HTTP connection, ahead of NIO's parser (llhttp), doing two things
/// neither the parser nor Hummingbird does:
///
/// - **Raw non-ASCII in a request-target.** llhttp accepts bytes ≥ 0x80 in a path but rejects them
///   in a query, so `curl 'http://host/x?q=é'` failed to parse. Such bytes are percent-encoded here,
///   as a browser would have sent them; `RequestTargetMiddleware` then decodes the target as UTF-8
///   and answers 400 where it is not. Nothing else is touched: control characters and malformed
///   requests still reach the parser, which refuses them (`ParseErrorResponder` answers).
/// - **A deadline for every request head**: from the connection's start (a client that sends
///   nothing), and from a later request's first byte, until the blank line that ends its headers.
///   A client that has not finished by then is closed. Hummingbird's idle timeout covers the rest
///   (between requests, a stalled body) but starts only once a first request has been parsed.
///
/// To know where each request-target starts it follows HTTP/1.1 framing (Content-Length, chunked).
/// What it does not follow exactly — an upgrade, conflicting lengths, folded headers — turns it into
/// a pass-through for the rest of the connection and leaves the judgement to the parser.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Phase: Equatable {
        case requestLine(started: Bool)
        case headers
        case body(Int)
        case chunkSize
        case chunkData(Int)
        case chunkEnd
        case trailers
        case passthrough
    }

    /// The longest header or chunk line followed; a longer one is left to the parser's own limits.
    static let maxLine = 64 * 1024

    private let headTimeout: TimeAmount
    private(set) var phase = Phase.requestLine(started: false)
    private var line: [UInt8] = []
    private var head = HeadFacts()
    private var deadline: Scheduled<Void>?

    init(headTimeout: TimeAmount) {
        self.headTimeout = headTimeout
    }

    /// What the framing needs from one request's head.
    struct HeadFacts {
        var method: [UInt8] = []
        var methodDone = false
        var contentLength: Int?
        var conflicting = false
        var transferEncoding: String?
        var upgrade = false
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if phase == .passthrough { return context.fireChannelRead(data) }
        let rewritten = buffer.withUnsafeReadableBytes { process($0, context: context) }
        if let rewritten {
            context.fireChannelRead(wrapInboundOut(rewritten))
        } else {
            context.fireChannelRead(data)
        }
    }

    /// Follows the framing over `bytes`; returns a rewritten buffer when a request-target had bytes
    /// to encode, nil when the bytes pass unchanged.
    func process(_ bytes: UnsafeRawBufferPointer, context: ChannelHandlerContext) -> ByteBuffer? {
        var out: ByteBuffer?
        var i = 0
        while i < bytes.count {
            switch phase {
            case .passthrough:
                out?.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[i...]))
                return out
            case .body(let left), .chunkData(let left):
                let n = min(left, bytes.count - i)
                out?.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + n)]))
                i += n
                if case .body = phase {
                    phase = left == n ? .requestLine(started: false) : .body(left - n)
                } else {
                    phase = left == n ? .chunkEnd : .chunkData(left - n)
                }
            case .requestLine(let started):
                let byte = bytes[i]
                if !started && (byte == 13 || byte == 10) {
                    out?.writeInteger(byte)  // empty lines before a request are allowed
                } else {
                    if !started {
                        phase = .requestLine(started: true)
                        if deadline == nil { arm(context) }
                    }
                    noteMethod(byte)
                    if byte >= 0x80 {
                        if out == nil {
                            var fresh = context.channel.allocator.buffer(capacity: bytes.count + 32)
                            fresh.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<i]))
                            out = fresh
                        }
                        out!.writeBytes(Self.percentEncoded(byte))
                    } else {
                        out?.writeInteger(byte)
                        if byte == 10 { phase = .headers }
                    }
                }
                i += 1
            case .headers, .chunkSize, .chunkEnd, .trailers:
                let byte = bytes[i]
                out?.writeInteger(byte)
                i += 1
                guard byte == 10 else {
                    line.append(byte)
                    if line.count > Self.maxLine { passThrough() }
                    continue
                }
                if line.last == 13 { line.removeLast() }
                endOfLine(line)
                line.removeAll(keepingCapacity: true)
            }
        }
        return out
    }

    private func noteMethod(_ byte: UInt8) {
        guard !head.methodDone else { return }
        if byte == 32 { head.methodDone = true } else if head.method.count < 16 { head.method.append(byte) }
    }

    private func endOfLine(_ line: [UInt8]) {
        switch phase {
        case .headers:
            if line.isEmpty { endOfHead() } else { header(line) }
        case .chunkSize:
            let size = line.prefix { $0 != 59 }  // up to a ";" extension
            guard let n = Int(String(decoding: size, as: UTF8.self).trimmingCharacters(in: [" ", "\t"]), radix: 16), n >= 0, n < 1 << 48 else {
                return passThrough()
            }
            phase = n == 0 ? .trailers : .chunkData(n)
        case .chunkEnd:
            if line.isEmpty { phase = .chunkSize } else { passThrough() }
        case .trailers:
            if line.isEmpty { phase = .requestLine(started: false) }
        default:
            break
        }
    }

    private func header(_ line: [UInt8]) {
        guard line.first != 32, line.first != 9, let colon = line.firstIndex(of: 58) else { return passThrough() }
        let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: [" ", "\t"])
        switch name {
        case "content-length":
            guard !value.isEmpty, value.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(value) else { return passThrough() }
            if let known = head.contentLength, known != n { head.conflicting = true }
            head.contentLength = n
        case "transfer-encoding":
            head.transferEncoding = value.lowercased()
        case "upgrade":
            head.upgrade = true
        default:
            break
        }
    }

    private func endOfHead() {
        disarm()
        let facts = head
        head = HeadFacts()
        if facts.upgrade || facts.conflicting || facts.method == Array("CONNECT".utf8) { return passThrough() }
        if let coding = facts.transferEncoding {
            // Only chunked as the final coding frames a request (RFC 9112 §6.1); the parser refuses the rest.
            let last = coding.split(separator: ",").last?.trimmingCharacters(in: [" ", "\t"])
            guard last == "chunked", facts.contentLength == nil else { return passThrough() }
            phase = .chunkSize
        } else if let length = facts.contentLength, length > 0 {
            phase = .body(length)
        } else {
            phase = .requestLine(started: false)
        }
    }

    private func passThrough() {
        disarm()
        phase = .passthrough
        line = []
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard phase != .passthrough, deadline == nil else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: headTimeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    static func percentEncoded(_ byte: UInt8) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return [37, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
    }
}
