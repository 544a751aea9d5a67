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
    /// When the request head now being read began; nil between requests.
    private var headStarted: NIODeadline?
    /// One pending check per connection, not a timer per request: it fires at the first head's
    /// deadline and either closes the connection, moves to the current head's deadline, or ends
    /// (between requests) until the next head starts one.
    private var check: Scheduled<Void>?

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
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
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
    /// to encode, nil when the bytes pass unchanged. Lines are found with one scan for LF each and
    /// looked at in place: every request passes through here, so nothing is built per byte.
    func process(_ bytes: UnsafeRawBufferPointer, context: ChannelHandlerContext) -> ByteBuffer? {
        var out: ByteBuffer?
        var i = 0
        func copy(_ range: Range<Int>) { out?.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[range])) }
        while i < bytes.count {
            switch phase {
            case .passthrough:
                copy(i..<bytes.count)
                return out
            case .body(let left), .chunkData(let left):
                let n = min(left, bytes.count - i)
                copy(i..<(i + n))
                i += n
                if case .body = phase {
                    phase = left == n ? .requestLine(started: false) : .body(left - n)
                } else {
                    phase = left == n ? .chunkEnd : .chunkData(left - n)
                }
            case .requestLine(let started):
                if !started {
                    // Empty lines before a request are allowed; the request starts at its first other byte.
                    if bytes[i] == 13 || bytes[i] == 10 {
                        copy(i..<(i + 1))
                        i += 1
                        continue
                    }
                    phase = .requestLine(started: true)
                    if headStarted == nil { arm(context) }
                }
                let lf = bytes[i...].firstIndex(of: 10)
                let end = lf ?? bytes.count
                noteMethod(UnsafeRawBufferPointer(rebasing: bytes[i..<end]))
                if let high = bytes[i..<end].firstIndex(where: { $0 >= 0x80 }) {
                    if out == nil {
                        var fresh = context.channel.allocator.buffer(capacity: bytes.count + 64)
                        fresh.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<high]))
                        out = fresh
                    } else {
                        copy(i..<high)
                    }
                    for byte in bytes[high..<end] {
                        if byte >= 0x80 { out!.writeBytes(Self.percentEncoded(byte)) } else { out!.writeInteger(byte) }
                    }
                } else {
                    copy(i..<end)
                }
                guard let lf else { return out }
                copy(lf..<(lf + 1))
                phase = .headers
                i = lf + 1
            case .headers, .chunkSize, .chunkEnd, .trailers:
                guard let lf = bytes[i...].firstIndex(of: 10) else {
                    // A line split across reads: kept until its end arrives.
                    copy(i..<bytes.count)
                    line.append(contentsOf: bytes[i...])
                    if line.count > Self.maxLine { passThrough() }
                    return out
                }
                copy(i..<(lf + 1))
                if line.isEmpty {
                    endOfLine(UnsafeRawBufferPointer(rebasing: bytes[i..<lf]))
                } else {
                    line.append(contentsOf: bytes[i..<lf])
                    let whole = line
                    line.removeAll(keepingCapacity: true)
                    whole.withUnsafeBytes { endOfLine($0) }
                }
                i = lf + 1
            }
        }
        return out
    }

    private func noteMethod(_ segment: UnsafeRawBufferPointer) {
        guard !head.methodDone else { return }
        let space = segment.firstIndex(of: 32)
        head.method.append(contentsOf: segment[..<(space ?? segment.count)].prefix(max(0, 16 - head.method.count)))
        if space != nil { head.methodDone = true }
    }

    private func endOfLine(_ raw: UnsafeRawBufferPointer) {
        let line = raw.last == 13 ? UnsafeRawBufferPointer(rebasing: raw.dropLast()) : raw
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

    /// The three headers framing depends on, named case-insensitively; any other header is skipped
    /// without building a string.
    static let framingNames: [(name: [UInt8], field: Field)] = [
        (Array("content-length".utf8), .contentLength), (Array("transfer-encoding".utf8), .transferEncoding), (Array("upgrade".utf8), .upgrade),
    ]
    enum Field { case contentLength, transferEncoding, upgrade }

    private func header(_ line: UnsafeRawBufferPointer) {
        guard line.first != 32, line.first != 9, let colon = line.firstIndex(of: 58) else { return passThrough() }
        let name = line[..<colon]
        guard let field = Self.framingNames.first(where: { candidate in
            candidate.name.count == name.count && zip(candidate.name, name).allSatisfy { $0 == ($1 | 0x20) }
        })?.field else { return }
        let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingCharacters(in: [" ", "\t"])
        switch field {
        case .contentLength:
            guard !value.isEmpty, value.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(value) else { return passThrough() }
            if let known = head.contentLength, known != n { head.conflicting = true }
            head.contentLength = n
        case .transferEncoding:
            head.transferEncoding = value.lowercased()
        case .upgrade:
            head.upgrade = true
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
        guard phase != .passthrough, headStarted == nil else { return }
        let now = NIODeadline.now()
        headStarted = now
        if check == nil { schedule(context, at: now + headTimeout) }
    }

    private func schedule(_ context: ChannelHandlerContext, at due: NIODeadline) {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        check = context.eventLoop.scheduleTask(deadline: due) {
            let (handler, context) = bound.value
            handler.fired(context)
        }
    }

    private func fired(_ context: ChannelHandlerContext) {
        check = nil
        guard let started = headStarted, phase != .passthrough else { return }
        let due = started + headTimeout
        if NIODeadline.now() >= due {
            context.channel.close(promise: nil)
        } else {
            schedule(context, at: due)
        }
    }

    /// The head is complete: the pending check, when it fires, finds nothing to time.
    private func disarm() {
        headStarted = nil
    }

    private func stop() {
        check?.cancel()
        check = nil
        headStarted = nil
    }

    static func percentEncoded(_ byte: UInt8) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        return [37, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
    }
}
