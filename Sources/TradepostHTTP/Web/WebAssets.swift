import CompressNIO
import Crypto
import Foundation
import NIOCore
import Synchronization

/// The single-page app, embedded in the binary by the WebAssetsPlugin.
///
/// Every asset is served under `/assets/<version>/…`, where `version` is a hash of all asset bytes,
/// so URLs change whenever any file changes and can be cached forever. `index.html` is rendered
/// once at start with that prefix and is never cached. Text assets are gzipped once, at start.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        let body: ByteBuffer
        let gzipped: ByteBuffer?
        let contentType: String
    }

    let version: String
    let files: [String: Asset]
    let index: Asset

    init(files embedded: [(path: String, base64: String)] = EmbeddedWebAssets.files) {
        var raw: [(String, [UInt8])] = embedded.compactMap { entry in
            Data(base64Encoded: entry.base64).map { (entry.path, Array($0)) }
        }
        raw.sort { $0.0 < $1.0 }
        var hasher = SHA256()
        for (path, bytes) in raw {
            hasher.update(data: Data(path.utf8))
            hasher.update(data: bytes)
        }
        version = hasher.finalize().prefix(6).map { String(format: "%02x", $0) }.joined()
        var files: [String: Asset] = [:]
        var indexBytes: [UInt8] = Array("<!doctype html><title>Tradepost</title>".utf8)
        for (path, bytes) in raw {
            if path == "index.html" {
                indexBytes = bytes
            } else {
                files[path] = Self.asset(bytes, contentType: Self.contentType(for: path))
            }
        }
        let rendered = String(decoding: indexBytes, as: UTF8.self).replacingOccurrences(of: "{{ASSETS}}", with: "/assets/\(version)")
        index = Self.asset(Array(rendered.utf8), contentType: "text/html; charset=utf-8")
        self.files = files
    }

    static func asset(_ bytes: [UInt8], contentType: String) -> Asset {
        let body = ByteBuffer(bytes: bytes)
        var gzipped: ByteBuffer?
        if compressible(contentType), bytes.count > 512 {
            var input = body
            if let compressed = try? input.compress(with: .gzip()), compressed.readableBytes < bytes.count {
                gzipped = compressed
            }
        }
        return Asset(body: body, gzipped: gzipped, contentType: contentType)
    }

    static func compressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.contains("javascript") || contentType.contains("json")
            || contentType.contains("svg")
    }

    static func contentType(for path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "html": "text/html; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json": "application/json"
        case "webmanifest": "application/manifest+json"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}

/// Builds a value on first use and keeps it: the web assets and the OpenAPI document are decoded,
/// hashed and gzipped when first asked for, not at start, so a server used only through the API
/// never pays for them and the first request after start is served sooner.
final class Lazy<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let value = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () -> Value) { self.make = make }

    var get: Value {
        value.withLock { stored in
            if let stored { return stored }
            let made = make()
            stored = made
            return made
        }
    }
}
