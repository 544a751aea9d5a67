import Foundation
import Logging
import ServiceLifecycle
import TradepostStore
#if canImport(Glibc)
import Glibc
#endif

/// The `sd_notify` protocol for `Type=notify` units, without libsystemd: datagrams to the socket
/// named by `NOTIFY_SOCKET`. READY=1 once the API listens, WATCHDOG=1 every half `WATCHDOG_USEC`
/// while the control database still answers a read (a wedged server stops pinging and systemd
/// restarts it), STOPPING=1 when shutdown begins. Without `NOTIFY_SOCKET` it does nothing.
struct SystemdNotifier: Service {
    let socketPath: String?
    let watchdogInterval: Duration?
    let store: Store
    let logger: Logger

    init(environment: [String: String] = ProcessInfo.processInfo.environment, store: Store, logger: Logger) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // systemd sets WATCHDOG_PID too; a watchdog meant for another process is not ours.
        let forUs = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Int64.init).flatMap { forUs && $0 > 0 ? .microseconds($0 / 2) : nil }
        self.store = store
        self.logger = logger
    }

    func ready() { send("READY=1\nSTATUS=serving\nMAINPID=\(getpid())") }

    func run() async throws {
        guard socketPath != nil else { try? await gracefulShutdown(); return }
        if let interval = watchdogInterval {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if (try? await store.control.pool.read({ try Int.fetchOne($0, sql: "SELECT 1") })) != nil {
                    send("WATCHDOG=1")
                } else {
                    logger.error("watchdog: the control database does not answer; not pinging systemd")
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } else {
            try? await gracefulShutdown()
        }
        send("STOPPING=1\nSTATUS=stopping")
    }

    func send(_ message: String) {
        guard let path = socketPath else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // Linux abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        _ = message.withCString { text in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, text, strlen(text), Int32(MSG_NOSIGNAL), $0, length) }
            }
        }
    }
}
