import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// HTTP calls made by jobs (webhooks, channel APIs, snapshot uploads): a timeout per attempt,
/// retries with backoff for failures worth retrying, and a circuit breaker per destination host.
public final class OutgoingHTTP: Sendable {
    public struct Policy: Sendable {
        public var timeout: Duration = .seconds(10)
        /// Further attempts after the first, for transport errors, timeouts, 429 and 5xx.
        public var retries = 2
        public var backoff = Backoff(base: .milliseconds(200), maximum: .seconds(5))
        public var maxResponseBytes = 1 << 20
        public init() {}
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
    }

    public enum Failure: Error, CustomStringConvertible, Equatable {
        case circuitOpen(host: String, retryAfter: TimeInterval)
        case timedOut(host: String)
        case unreachable(host: String, reason: String)
        case badURL(String)

        public var description: String {
            switch self {
            case .circuitOpen(let host, let wait): "\(host) is failing; not calling it for another \(Int(wait.rounded(.up))) s"
            case .timedOut(let host): "\(host) did not answer in time"
            case .unreachable(let host, let reason): "\(host) is unreachable: \(reason)"
            case .badURL(let url): "\(url) is not an http(s) URL"
            }
        }
    }

    public let breaker: CircuitBreaker
    public let policy: Policy
    private let client: HTTPClient

    public init(policy: Policy = Policy(), breaker: CircuitBreaker = CircuitBreaker()) {
        self.policy = policy
        self.breaker = breaker
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(Int64(policy.timeout.seconds.rounded(.up))))
        configuration.redirectConfiguration = .disallow
        // A refused connection fails the call at once (our retries and breaker decide what next),
        // instead of the pool trying again until the deadline and holding a worker for seconds.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends the request, retrying what is worth retrying. Throws `Failure` for transport problems
    /// and an open circuit; an HTTP error status is returned, not thrown, once retries are used up.
    public func send(_ method: HTTPMethod = .POST, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> Response {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parsed.host
        else { throw Failure.badURL(url) }
        let destination = parsed.port.map { "\(host):\($0)" } ?? host
        var attempt = 0
        while true {
            attempt += 1
            if case .reject(let wait) = breaker.check(destination) { throw Failure.circuitOpen(host: destination, retryAfter: wait) }
            var request = HTTPClientRequest(url: url)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
            let outcome: Result<Response, Failure>
            do {
                let response = try await client.execute(request, timeout: .nanoseconds(Int64(policy.timeout.seconds * 1e9)))
                let collected = try await response.body.collect(upTo: policy.maxResponseBytes)
                outcome = .success(Response(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                            body: Array(collected.readableBytesView)))
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                outcome = .failure(.timedOut(host: destination))
            } catch {
                outcome = .failure(.unreachable(host: destination, reason: String(describing: error)))
            }
            let retryable: Bool
            switch outcome {
            case .success(let response):
                let serverError = response.status >= 500 || response.status == 429
                breaker.record(destination, success: response.status < 500)
                retryable = serverError
                if !retryable || attempt > policy.retries { return response }
            case .failure(let failure):
                breaker.record(destination, success: false)
                if attempt > policy.retries { throw failure }
                retryable = true
            }
            guard retryable else { continue }
            var random = SystemRandomNumberGenerator()
            try await Task.sleep(for: policy.backoff.delay(afterAttempt: attempt, using: &random))
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// An owner that forgot `shutdown` (a command line's channels, a test's services) must not trip
    /// AsyncHTTPClient's check that a client is shut down before it goes: shut it down on the way out.
    deinit {
        let client = self.client
        Task { try? await client.shutdown() }
    }
}
