import Foundation
import Synchronization

/// Log lines written in batches: one `write` per access-log line was ~9 % of a `/healthz` request.
/// A batch goes out when it passes 32 KiB, at once when a warning or worse arrives, and otherwise
/// within 20 ms (a flusher thread); `flush()` runs at exit too. So an info line may reach stdout up
/// to 20 ms after its request was answered, and a `kill -9` can lose those last milliseconds of
/// info lines — never a warning or an error, which are written before `log` returns.
enum LogBuffer {
    static let interval: useconds_t = 20_000
    static let limit = 32 * 1024

    private static let pending = Mutex<(out: [UInt8], err: [UInt8])>(([], []))
    /// Held while a batch is taken and written, so batches reach the file in the order they were made.
    private static let writing = Mutex<Void>(())

    private static let flusher: Void = {
        atexit { LogBuffer.flush() }
        let thread = Thread {
            while true {
                usleep(LogBuffer.interval)
                LogBuffer.flush()
            }
        }
        thread.name = "log-flusher"
        thread.start()
    }()

    static func append(_ line: [UInt8], to stream: JSONLogHandler.Stream, urgent: Bool) {
        _ = flusher
        let full = pending.withLock { pending in
            if stream == .stdout { pending.out += line; return pending.out.count >= limit }
            pending.err += line
            return pending.err.count >= limit
        }
        if urgent || full { flush() }
    }

    static func flush() {
        writing.withLock { _ in
            let (out, err) = pending.withLock { pending in
                defer { pending.out.removeAll(keepingCapacity: true); pending.err.removeAll(keepingCapacity: true) }
                return (pending.out, pending.err)
            }
            write(out, fd: 1)
            write(err, fd: 2)
        }
    }

    private static func write(_ bytes: [UInt8], fd: Int32) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
