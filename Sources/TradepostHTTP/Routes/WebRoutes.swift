import Foundation
import Hummingbird
import TradepostCore

/// Serves the embedded single-page app: hashed assets with long cache lifetimes, and index.html
/// (strict CSP, no cache) for every other GET that is not an API path, so deep links work.
struct WebRoutes {
    let lazyAssets: Lazy<WebAssets>
    var assets: WebAssets { lazyAssets.get }

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "font-src 'self'",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// Paths the web app owns; the OpenAPI document describes everything else.
    static let patterns: Set<String> = ["/", "/assets/**", "/**"]

    func register(on router: Router<AppRequestContext>) {
        router.get("/", use: page)
        router.get("assets/**", use: asset)
        router.get("**", use: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/") || path == "/api" { throw HTTPError(.notFound) }
        let etag = "\"\(assets.version)\""
        var response = serve(assets.index, request: request, etag: etag)
        response.headers[.cacheControl] = "no-cache"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        return response
    }

    @Sendable func asset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parts = request.uri.path.split(separator: "/", maxSplits: 2).map(String.init)
        guard parts.count == 3, let asset = assets.files[parts[2]] else { throw AppError.notFound("Asset") }
        var response = serve(asset, request: request, etag: "\"\(assets.version)\"")
        // An old page may still ask for a previous version's URL: answer with today's bytes, uncached.
        response.headers[.cacheControl] = parts[1] == assets.version ? "public, max-age=31536000, immutable" : "no-cache"
        return response
    }

    private func serve(_ asset: WebAssets.Asset, request: Request, etag: String) -> Response {
        var headers: HTTPFields = [.contentType: asset.contentType, .eTag: etag, .vary: "Accept-Encoding"]
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) == true {
            return Response(status: .notModified, headers: headers)
        }
        let acceptsGzip = request.headers[.acceptEncoding]?.lowercased().contains("gzip") ?? false
        if acceptsGzip, let gzipped = asset.gzipped {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzipped))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }
}
