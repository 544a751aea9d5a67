import Hummingbird
import NIOCore
import TradepostCore

/// A response body read from an open blob: a small one at once into one buffer (most GETs: no
/// streaming machinery), a large one in 1 MiB slices, each written when the socket takes it, so
/// memory stays flat. The blob stays open until the body is done.
enum BlobBody {
    struct ShortRead: Error, CustomStringConvertible {
        var description: String { "a blob ended before its recorded size" }
    }

    static func make(_ source: any BlobSource, from start: Int64, length: Int64) throws -> ResponseBody {
        guard length <= 128 * 1024 else {
            return ResponseBody(contentLength: Int(length)) { writer in try await stream(source, from: start, length: length, to: &writer) }
        }
        var buffer = ByteBufferAllocator().buffer(capacity: Int(length))
        var done = 0
        while done < Int(length) {
            var failure: (any Error)?
            let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Int(length) - done) { raw in
                do {
                    return try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<(Int(length) - done)]), at: start + Int64(done))
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            guard n > 0 else { throw ShortRead() }
            done += n
        }
        return ResponseBody(byteBuffer: buffer)
    }

    static func stream(_ source: any BlobSource, from start: Int64, length: Int64, to writer: inout any ResponseBodyWriter) async throws {
        var offset = start
        var left = length
        let allocator = ByteBufferAllocator()
        while left > 0 {
            let want = Int(min(left, 1 << 20))
            var buffer = allocator.buffer(capacity: want)
            var failure: (any Error)?
            let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
                do {
                    return try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]), at: offset)
                } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw failure }
            guard n > 0 else { throw ShortRead() }
            offset += Int64(n)
            left -= Int64(n)
            try await writer.write(buffer)
        }
        try await writer.finish(nil)
    }
}
