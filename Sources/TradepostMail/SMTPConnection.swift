import Foundation
import NIOCore
import NIOExtras
import NIOPosix
import NIOSSL
import Synchronization

/// One SMTP session (RFC 5321) on SwiftNIO: greeting, EHLO, STARTTLS or implicit TLS with the
/// certificate verified, AUTH PLAIN or LOGIN, then any number of messages on the same connection.
/// Each reply must come within `timeout`, else the connection is closed and the call fails.
public final class SMTPConnection: Sendable {
    let channel: any Channel
    let lines: LineQueue
    let settings: SMTPSettings
    let timeout: TimeAmount
    private let state = Mutex(Capabilities())

    struct Capabilities {
        var startTLS = false
        var auth: Set<String> = []
        var eightBit = false
    }

    init(channel: any Channel, lines: LineQueue, settings: SMTPSettings, timeout: TimeAmount) {
        self.channel = channel
        self.lines = lines
        self.settings = settings
        self.timeout = timeout
    }

    /// Connects, says hello, secures and signs in as `settings` ask.
    public static func open(_ settings: SMTPSettings, tls: TLSConfiguration, timeout: TimeAmount = .seconds(30)) async throws -> SMTPConnection {
        let lines = LineQueue()
        let sslContext = try NIOSSLContext(configuration: tls)
        let host = settings.host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if settings.security == .tls {
                            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: Self.sniName(host)))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(LineHandler(lines))
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
        } catch {
            throw SMTPError(code: nil, message: "cannot connect to \(settings.host):\(settings.port): \(error)")
        }
        let connection = SMTPConnection(channel: channel, lines: lines, settings: settings, timeout: timeout)
        do {
            try await connection.expect(220, try await connection.reply())
            try await connection.hello()
            if settings.security == .starttls {
                guard connection.state.withLock({ $0.startTLS }) else { throw SMTPError(code: nil, message: "the server does not offer STARTTLS") }
                try await connection.expect(220, try await connection.command("STARTTLS"))
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: Self.sniName(host)),
                                                                   position: .first)
                }.get()
                try await connection.hello()
            }
            if let user = settings.username, !user.isEmpty { try await connection.authenticate(user, settings.password ?? "") }
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// SNI takes a name, not an address.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }

    func hello() async throws {
        let (code, text) = try await command("EHLO \(settings.heloName)")
        try expect(250, (code, text))
        var caps = Capabilities()
        for line in text.dropFirst() {
            let words = line.uppercased().split(separator: " ").map(String.init)
            switch words.first {
            case "STARTTLS": caps.startTLS = true
            case "AUTH": caps.auth = Set(words.dropFirst())
            case "8BITMIME": caps.eightBit = true
            default: break
            }
        }
        state.withLock { $0 = caps }
    }

    func authenticate(_ user: String, _ password: String) async throws {
        let methods = state.withLock { $0.auth }
        if methods.contains("PLAIN") || !methods.contains("LOGIN") {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            try expect(235, try await command("AUTH PLAIN \(token)", secret: true))
        } else {
            try expect(334, try await command("AUTH LOGIN"))
            try expect(334, try await command(Data(user.utf8).base64EncodedString(), secret: true))
            try expect(235, try await command(Data(password.utf8).base64EncodedString(), secret: true))
        }
    }

    /// Sends one message to its recipients. A refused recipient fails the message (RSET follows).
    public func send(_ message: MailMessage) async throws {
        do {
            try expect(250, try await command("MAIL FROM:<\(message.from.email)>"))
            for r in message.to { try expect([250, 251], try await command("RCPT TO:<\(r.email)>")) }
            try expect(354, try await command("DATA"))
            try await write(MailMessage.dotStuffed(message.rendered()))
            try expect(250, try await reply())
        } catch let error as SMTPError where error.code != nil {
            _ = try? await command("RSET")
            throw error
        }
    }

    public func close() {
        channel.eventLoop.execute { [channel] in
            _ = channel.writeAndFlush(ByteBuffer(string: "QUIT\r\n"))
            channel.close(promise: nil)
        }
    }

    public var isActive: Bool { channel.isActive }

    // MARK: - The conversation

    @discardableResult
    func command(_ line: String, secret: Bool = false) async throws -> (Int, [String]) {
        try await write(line + "\r\n")
        return try await reply()
    }

    func write(_ text: String) async throws {
        do { try await channel.writeAndFlush(ByteBuffer(string: text)) } catch {
            throw SMTPError(code: nil, message: "the connection to \(settings.host) broke: \(lines.failure ?? String(describing: error))")
        }
    }

    /// A whole reply ("250-a", "250 b" → 250, ["a", "b"]).
    func reply() async throws -> (Int, [String]) {
        let deadline = channel.eventLoop.scheduleTask(in: timeout) { [channel] in channel.close(promise: nil) }
        defer { deadline.cancel() }
        var text: [String] = []
        while true {
            guard let line = await lines.next() else {
                throw SMTPError(code: nil, message: lines.failure.map { "the connection to \(settings.host) failed: \($0)" }
                    ?? "\(settings.host) closed the connection or did not answer in time")
            }
            let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : line
            guard trimmed.count >= 3, let code = Int(trimmed.prefix(3)) else { throw SMTPError(code: nil, message: "not an SMTP reply: \(trimmed.prefix(80))") }
            text.append(String(trimmed.dropFirst(4)))
            if trimmed.count == 3 || trimmed[trimmed.index(trimmed.startIndex, offsetBy: 3)] != "-" { return (code, text) }
        }
    }

    func expect(_ code: Int, _ reply: (Int, [String])) throws { try expect([code], reply) }

    func expect(_ codes: Set<Int>, _ reply: (Int, [String])) throws {
        guard codes.contains(reply.0) else { throw SMTPError(code: reply.0, message: reply.1.joined(separator: " ")) }
    }
}

/// Lines from the server, handed to whoever awaits the next one.
final class LineQueue: Sendable {
    private struct State {
        var lines: [String] = []
        var head = 0
        var waiter: CheckedContinuation<String?, Never>?
        var closed = false
        var failure: String?
    }
    private let state = Mutex(State())

    func push(_ line: String) {
        let waiter: CheckedContinuation<String?, Never>? = state.withLock { s in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.lines.append(line)
            return nil
        }
        waiter?.resume(returning: line)
    }

    /// Why the connection ended, when an error ended it (a refused certificate, a reset).
    var failure: String? { state.withLock { $0.failure } }

    func close(_ error: (any Error)? = nil) {
        let waiter = state.withLock { s in
            if let error, s.failure == nil { s.failure = String(describing: error) }
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    func next() async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let ready: String?? = state.withLock { s in
                if s.head < s.lines.count {
                    defer {
                        s.head += 1
                        if s.head > 64 { s.lines.removeFirst(s.head); s.head = 0 }
                    }
                    return .some(s.lines[s.head])
                }
                if s.closed { return .some(nil) }
                s.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Hands each line the decoder cut to the queue; the end of the connection closes it.
final class LineHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let lines: LineQueue
    init(_ lines: LineQueue) { self.lines = lines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        lines.push(String(buffer: buffer))
    }

    func channelInactive(context: ChannelHandlerContext) {
        lines.close()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lines.close(error)
        context.close(promise: nil)
    }
}
