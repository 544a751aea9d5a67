import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
@testable import TradepostJobs

@Suite("Outgoing HTTP: timeouts, retries, circuit breaker", .serialized)
struct OutgoingHTTPTests {
    /// A tiny local server: /ok answers 200, /flaky fails twice then answers, /slow answers after 5 s.
    final class Hits: Sendable {
        let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    static func withServer(_ body: @escaping @Sendable (Int, Hits) async throws -> Void) async throws {
        let hits = Hits()
        let router = Router()
        router.get("ok") { _, _ in "fine" }
        router.get("flaky") { _, _ -> Response in
            let n = hits.next()
            return Response(status: n <= 2 ? .serviceUnavailable : .ok)
        }
        router.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(5))
            return "late"
        }
        router.get("missing") { _, _ -> Response in Response(status: .notFound) }
        var logger = Logger(label: "outgoing-tests")
        logger.logLevel = .critical
        let port = Hits()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.count.withLock { $0 = channel.localAddress?.port ?? 0 } }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
            do { try await body(port.value, hits) } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func client(timeout: Duration = .seconds(2), retries: Int = 2, threshold: Int = 3) -> OutgoingHTTP {
        var policy = OutgoingHTTP.Policy()
        policy.timeout = timeout
        policy.retries = retries
        policy.backoff = Backoff(base: .milliseconds(10), maximum: .milliseconds(20))
        return OutgoingHTTP(policy: policy, breaker: CircuitBreaker(threshold: threshold, cooldown: 30))
    }

    @Test func serverErrorsAreRetriedAndClientErrorsAreNot() async throws {
        try await Self.withServer { port, hits in
            let http = Self.client()
            defer { Task { await http.shutdown() } }
            let flaky = try await http.send(.GET, url: "http://127.0.0.1:\(port)/flaky")
            #expect(flaky.status == 200)
            #expect(hits.value == 3, "two 503s were retried")
            let missing = try await http.send(.GET, url: "http://127.0.0.1:\(port)/missing")
            #expect(missing.status == 404, "a 4xx is an answer, not a failure")
            #expect(String(decoding: try await http.send(.GET, url: "http://127.0.0.1:\(port)/ok").body, as: UTF8.self) == "fine")
            await #expect(throws: OutgoingHTTP.Failure.self) { try await http.send(.GET, url: "ftp://example.com/x") }
        }
    }

    @Test func aSlowEndpointTimesOutAndADeadOneOpensItsBreakerOnly() async throws {
        try await Self.withServer { port, _ in
            let http = Self.client(timeout: .milliseconds(1500), retries: 0, threshold: 2)
            defer { Task { await http.shutdown() } }
            // /slow answers after 5 s, so only a working 1.5 s timeout gives this error (a budget that
            // also lets /ok below answer on a VM losing most of its CPU to other guests).
            await #expect(throws: OutgoingHTTP.Failure.timedOut(host: "127.0.0.1:\(port)")) {
                try await http.send(.GET, url: "http://127.0.0.1:\(port)/slow")
            }

            // Nothing listens on port 9 (discard): connection refused, twice, opens the breaker.
            for _ in 0..<2 {
                await #expect(throws: OutgoingHTTP.Failure.self) { try await http.send(.GET, url: "http://127.0.0.1:9/x") }
            }
            do {
                _ = try await http.send(.GET, url: "http://127.0.0.1:9/x")
                Issue.record("the breaker should be open")
            } catch let failure as OutgoingHTTP.Failure {
                guard case .circuitOpen = failure else { Issue.record("expected circuitOpen, got \(failure)"); return }
            }
            // The live server on another port is unaffected by the dead one.
            #expect(try await http.send(.GET, url: "http://127.0.0.1:\(port)/ok").status == 200)
        }
    }
}
