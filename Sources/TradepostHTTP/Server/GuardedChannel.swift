import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import TradepostCore

/// Connection limits of both listeners (`http.header_timeout_seconds`, `http.idle_timeout_seconds`).
struct ConnectionLimits: Sendable {
    /// From a connection's start, or a request's first byte, until the end of its headers.
    var headTimeout: TimeAmount
    /// Between requests, and between the parts of a request body being received.
    var idleTimeout: TimeAmount
}

extension ConnectionLimits {
    init(config: TradepostConfig) {
        headTimeout = .seconds(Int64(config.headerTimeoutSeconds))
        idleTimeout = .seconds(Int64(config.idleTimeoutSeconds))
    }
}

/// A listener's child channel with `RequestHeadGuard` in front of the HTTP parser and
/// `ParseErrorResponder` right after it; everything else is the wrapped channel's own.
struct GuardedChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner
    let limits: ConnectionLimits
    let answer: @Sendable (HTTPParserError) -> ParseErrorResponder.Answer

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(RequestHeadGuard(headTimeout: limits.headTimeout), position: .first)
            let parser = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(ParseErrorResponder(logger: logger, answer: answer), position: .after(parser.handler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with WebSocket upgrades (the API listener), guarded.
    static func guardedHTTP1WebSocket<Builder: HTTPResponderBuilder & _HB_SendableMetatype>(
        webSocketRouter: Builder, limits: ConnectionLimits, answer: @escaping @Sendable (HTTPParserError) -> ParseErrorResponder.Answer
    ) -> HTTPServerBuilder where Builder.Responder.Context: WebSocketRequestContext {
        let webSocketResponder = webSocketRouter.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(http1: .init(idleTimeout: limits.idleTimeout))
        return .init { responder in
            GuardedChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder, configuration: configuration),
                limits: limits, answer: answer)
        }
    }

    /// Plain HTTP/1.1 (the S3 listener), guarded.
    static func guardedHTTP1(
        additionalChannelHandlers: @escaping @Sendable () -> [any RemovableChannelHandler], limits: ConnectionLimits,
        answer: @escaping @Sendable (HTTPParserError) -> ParseErrorResponder.Answer
    ) -> HTTPServerBuilder {
        .init { responder in
            GuardedChannel(
                inner: HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: additionalChannelHandlers(), idleTimeout: limits.idleTimeout)),
                limits: limits, answer: answer)
        }
    }
}
