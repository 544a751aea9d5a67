import Foundation
import Hummingbird
import NIOHTTPTypes
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import TradepostBlobs
import TradepostCore

/// Per-request state of the S3 listener.
public struct S3Context: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// The S3 API on its own listener (`s3.listen`): before it accepts connections it finishes the
/// blob store's housekeeping (leftover temporary files, files of rows deleted just before a crash,
/// files written but never committed, expired multipart uploads), then serves until shutdown.
struct S3Service: Service {
    let app: Application<S3Responder>
    let blobs: any BlobStore
    let logger: Logger

    func run() async throws {
        let removed = await blobs.sweep(before: Date(), uploadTTL: S3Responder.uploadTTL)
        if removed > 0 { logger.info("blob store cleaned", metadata: ["files_removed": "\(removed)"]) }
        try await app.run()
    }
}

/// Builds the S3 listener's service over the server's one blob store; `onListening` gets the
/// bound port.
func buildS3Service(config: TradepostConfig, blobs: any BlobStore, keys: any S3KeyService, logger: Logger,
                    onListening: @escaping @Sendable (Int) async -> Void) throws -> S3Service {
    let responder = S3Responder(keys: keys, objects: blobs, region: config.s3Region, domain: config.s3Domain, logger: logger)
    let app = Application(
        responder: responder,
        server: .guardedHTTP1(additionalChannelHandlers: { [ContinueHandler()] }, limits: ConnectionLimits(config: config), answer: S3Responder.parseError),
        configuration: ApplicationConfiguration(address: .hostname(config.s3Host, port: config.s3Port), serverName: "tradepost-s3"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? config.s3Port) },
        eventLoopGroupProvider: .shared(HTTPEventLoop.group),
        logger: logger)
    return S3Service(app: app, blobs: blobs, logger: logger)
}

extension S3Responder {
    /// A request the parser refused, answered in S3's XML like any other S3 error.
    static func parseError(_ error: HTTPParserError) -> ParseErrorResponder.Answer {
        let (status, detail) = ParseErrorResponder.describe(error)
        let code = status == .requestHeaderFieldsTooLarge ? "RequestHeaderSectionTooLarge" : "InvalidRequest"
        let requestID = Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255) }).uppercased()
        return .init(status: status, contentType: "application/xml",
                     body: S3Error(code, Int(status.code), detail).xml(resource: "", requestID: requestID))
    }
}

/// Answers `Expect: 100-continue` at once, so clients that wait for it (boto3, the AWS CLI, curl)
/// send their bodies without a one-second pause. Errors found later still get their status.
final class ContinueHandler: ChannelDuplexHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), head.headerFields[.expect]?.lowercased() == "100-continue" {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }
}
