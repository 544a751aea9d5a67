import Crypto
import TradepostCore

/// Decodes an `aws-chunked` body (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`,
/// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`) as it streams, checking each chunk's signature against the
/// chain that starts at the request's seed signature, and collecting trailing checksum headers.
///
///     <hex-size>;chunk-signature=<sig>\r\n<data>\r\n … 0;chunk-signature=<sig>\r\n[trailers]\r\n
public struct AwsChunkedDecoder: Sendable {
    public struct Signing: Sendable {
        var key: SymmetricKey
        var amzDate: String
        var scope: String
        var previous: String

        public init(key: SymmetricKey, amzDate: String, scope: String, seedSignature: String) {
            self.key = key
            self.amzDate = amzDate
            self.scope = scope
            previous = seedSignature
        }
    }

    private enum State {
        case header
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    private var signing: Signing?
    private let hasTrailer: Bool
    private var state = State.header
    private var line: [UInt8] = []
    private var chunkSignature: String?
    private var chunkHash = SHA256()
    private var isLast = false
    private var trailerText = ""
    /// Trailing headers by lowercase name, e.g. `x-amz-checksum-crc32`.
    public private(set) var trailers: [String: String] = [:]
    public private(set) var decodedBytes: Int64 = 0

    public init(signing: Signing?, hasTrailer: Bool) {
        self.signing = signing
        self.hasTrailer = hasTrailer
    }

    public var isDone: Bool { if case .done = state { true } else { false } }

    /// Feeds raw body bytes; `emit` receives decoded payload bytes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var i = 0
        while i < bytes.count {
            switch state {
            case .header, .trailers:
                let b = bytes[i]
                i += 1
                line.append(b)
                guard line.count <= 8192 else { throw S3Error.invalidRequest("An aws-chunked header line is too long.") }
                if line.count >= 2 && line[line.count - 2] == 0x0D && b == 0x0A {
                    let text = String(decoding: line.dropLast(2), as: UTF8.self)
                    line.removeAll(keepingCapacity: true)
                    if case .header = state { try header(text) } else { try trailer(text) }
                }
            case .data(let remaining):
                let n = min(remaining, bytes.count - i)
                let slice = UnsafeRawBufferPointer(rebasing: bytes[i..<(i + n)])
                chunkHash.update(bufferPointer: slice)
                decodedBytes += Int64(n)
                try emit(slice)
                i += n
                state = remaining - n == 0 ? .dataEnd : .data(remaining: remaining - n)
            case .dataEnd:
                line.append(bytes[i])
                i += 1
                if line.count == 2 {
                    guard line == [0x0D, 0x0A] else { throw S3Error.incompleteBody }
                    line.removeAll(keepingCapacity: true)
                    if isLast {
                        state = .done
                    } else {
                        try finishChunk()
                        state = .header
                    }
                }
            case .done:
                // Bytes after the final chunk are not part of any object.
                throw S3Error.invalidRequest("Data follows the final aws-chunked chunk.")
            }
        }
    }

    /// Call when the body ended: throws IncompleteBody unless the final chunk arrived.
    public func finish() throws(S3Error) {
        guard isDone else { throw .incompleteBody }
    }

    private mutating func header(_ text: String) throws {
        let parts = text.split(separator: ";", maxSplits: 1)
        guard let sizeText = parts.first, let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else {
            throw S3Error.invalidRequest("An aws-chunked chunk header is malformed.")
        }
        chunkSignature = nil
        if parts.count == 2 {
            let ext = parts[1]
            if ext.hasPrefix("chunk-signature=") { chunkSignature = String(ext.dropFirst("chunk-signature=".count)) }
        }
        if signing != nil && chunkSignature == nil { throw S3Error.signatureDoesNotMatch }
        chunkHash = SHA256()
        isLast = size == 0
        if size == 0 {
            try finishChunk()
            state = hasTrailer ? .trailers : .dataEnd
        } else {
            state = .data(remaining: size)
        }
    }

    private mutating func finishChunk() throws {
        if var s = signing, let given = chunkSignature {
            let hash = Hex.encode(Array(chunkHash.finalize()))
            let toSign = "AWS4-HMAC-SHA256-PAYLOAD\n\(s.amzDate)\n\(s.scope)\n\(s.previous)\n\(SigV4.emptySHA256)\n\(hash)"
            let expected = SigV4.hmacHex(s.key, toSign)
            guard SigV4.constantTimeEqual(expected, given.lowercased()) else { throw S3Error.signatureDoesNotMatch }
            s.previous = expected
            signing = s
            chunkSignature = nil
        }
    }

    private mutating func trailer(_ text: String) throws {
        if text.isEmpty {
            state = .done
            return
        }
        guard let colon = text.firstIndex(of: ":") else { throw S3Error.invalidRequest("A trailing header is malformed.") }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        if name == "x-amz-trailer-signature" {
            guard let s = signing else { return }
            let toSign = "AWS4-HMAC-SHA256-TRAILER\n\(s.amzDate)\n\(s.scope)\n\(s.previous)\n\(SigV4.sha256Hex(Array(trailerText.utf8)))"
            guard SigV4.constantTimeEqual(SigV4.hmacHex(s.key, toSign), value.lowercased()) else { throw S3Error.signatureDoesNotMatch }
            return
        }
        trailers[name] = value
        trailerText += "\(name):\(value)\n"
    }
}
