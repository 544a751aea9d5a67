import Logging
import NIOCore
import NIOHTTP1

/// Answers a request the HTTP parser refused (a control character in the target, a malformed
/// header, a bad chunk) and closes the connection. Sits right after the parser.
///
/// Without it, a refused *first* request on the API listener was never answered: until that request
/// is parsed the pipeline belongs to NIO's WebSocket-upgrade handler, which leaves parse errors to
/// whoever comes next, and nobody did. Later requests were answered by Hummingbird, with an empty
/// 400. Here every refusal gets the listener's own error body (problem+json, or S3's XML), unless
/// an earlier response on the connection is still being written: then the error goes on to
/// Hummingbird, which answers after it.
final class ParseErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The refusal a listener sends: status, content type and body.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: String
    }

    private let answer: @Sendable (HTTPParserError) -> Answer
    private let logger: Logger
    /// Requests read whose responses have not ended yet.
    private var unanswered = 0

    init(logger: Logger, answer: @escaping @Sendable (HTTPParserError) -> Answer) {
        self.logger = logger
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        unanswered += 1
        context.fireChannelRead(data)
        // An upgrade replaces the HTTP handlers with WebSocket frames, which this handler cannot read.
        if head.headers.contains(name: "upgrade") {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered = max(0, unanswered - 1) }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? HTTPParserError, unanswered == 0 else { return context.fireErrorCaught(error) }
        let reply = answer(error)
        logger.info("malformed request refused", metadata: [
            "status": "\(reply.status.code)", "reason": "\(error)",
            "client": "\(context.channel.remoteAddress?.ipAddress ?? "-")",
        ])
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: reply.contentType)
        headers.add(name: "Content-Length", value: String(reply.body.utf8.count))
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Cache-Control", value: "no-store")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: reply.body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// What went wrong, in words a client can act on; 431 for a head over the parser's limits.
    static func describe(_ error: HTTPParserError) -> (status: HTTPResponseStatus, detail: String) {
        switch error {
        case .headerOverflow:
            (.requestHeaderFieldsTooLarge, "The request's headers are too large")
        case .invalidURL, .invalidCharactersUsed:
            (.badRequest, "The request line has a character that is not allowed there (control characters must be percent-encoded)")
        case .invalidHeaderToken:
            (.badRequest, "A request header has a character that is not allowed there")
        case .invalidMethod:
            (.badRequest, "The request method is not valid")
        case .invalidVersion:
            (.badRequest, "The HTTP version is not valid")
        case .invalidContentLength, .unexpectedContentLength:
            (.badRequest, "The Content-Length header is not valid")
        case .invalidChunkSize:
            (.badRequest, "The chunked body is malformed")
        default:
            (.badRequest, "The request is not valid HTTP/1.1")
        }
    }
}
