import Foundation
import Synchronization
import TradepostCore
import TradepostJobs
import TradepostStore

/// One attempt of one webhook message: refused destinations are not called; the body is signed
/// (every current secret); the answer is recorded; a failure is tried again on the schedule
/// (`WebhookRetry`, honouring `Retry-After`) by throwing `RetryLater` to the engine.
final class WebhookSender: Sendable {
    let store: Store
    let settings: NotifySettings
    let http: OutgoingHTTP
    let destinations: DestinationGuard

    init(store: Store, settings: NotifySettings) {
        self.store = store
        self.settings = settings
        var policy = OutgoingHTTP.Policy()
        policy.retries = 0  // the schedule is ours, minutes to hours apart
        policy.timeout = .seconds(settings.webhookTimeout)
        policy.maxResponseBytes = 64 << 10
        http = OutgoingHTTP(policy: policy, breaker: CircuitBreaker(threshold: 5, cooldown: 30))
        destinations = DestinationGuard(allowPrivate: settings.allowPrivateDestinations)
    }

    /// Calls in flight per destination: a slow endpoint gets at most this many workers; the rest of
    /// its messages come back shortly (no attempt counted), so other endpoints' deliveries never wait.
    static let perDestination = 4
    let inFlight = Mutex<[String: Int]>([:])

    /// How far a message waiting on an open breaker is put off, beyond the breaker's own wait: a
    /// backlog of thousands comes back over minutes, not all at once and not every second.
    static let breakerSpread: ClosedRange<Double> = 0...120

    func deliver(_ tenant: TenantID, messageID: String, replay: Bool = false, destination known: String? = nil) async throws {
        // A destination known to be down: wait, without reading the message or its secrets.
        if let known, let left = http.breaker.openFor(known) {
            throw RetryLater(after: left + Double.random(in: Self.breakerSpread), "\(known) is failing")
        }
        guard let d = try await store.webhooks.delivery(tenant, messageID: messageID, replay: replay) else { return }
        let destination = WebhookDue.destination(d.url) ?? d.url
        let admitted = inFlight.withLock { counts in
            guard counts[destination, default: 0] < Self.perDestination else { return false }
            counts[destination, default: 0] += 1
            return true
        }
        guard admitted else { throw RetryLater(after: Double.random(in: 0.5...1.5), "\(destination) has \(Self.perDestination) calls in flight") }
        defer { inFlight.withLock { $0[destination, default: 1] -= 1 } }
        if let url = URL(string: d.url), let problem = await destinations.problem(url) {
            try await store.webhooks.record(tenant, messageID: messageID, WebhookAttemptResult(status: nil, latencyMs: 0, response: "not called: the URL \(problem)",
                                                                                             retryAt: nil), disableAfter: settings.webhookDisableAfter)
            return
        }
        let body = Array(d.body.utf8)
        let now = Date()
        var headers = StandardWebhooks.headers(id: d.messageID, timestamp: Int(now.timeIntervalSince1970), body: body, secrets: d.secrets)
        headers += [("content-type", "application/json"), ("user-agent", "Tradepost-Webhooks/1")]
        let started = ContinuousClock.now
        var status: Int?
        var excerpt: String
        var retryAfter: TimeInterval?
        do {
            let response = try await http.send(.POST, url: d.url, headers: headers, body: body)
            status = response.status
            excerpt = String(decoding: response.body.prefix(1000), as: UTF8.self)
            retryAfter = WebhookRetry.retryAfter(response.headers.first { $0.0.lowercased() == "retry-after" }?.1)
        } catch let failure as OutgoingHTTP.Failure {
            // The destination's breaker is open (it kept failing): nothing was called, so no attempt is
            // recorded; the message comes back after the breaker's wait, spread so a backlog does not
            // return at once. The trial call the breaker lets through records what happened.
            if case .circuitOpen(_, let wait) = failure { throw RetryLater(after: wait + Double.random(in: Self.breakerSpread), failure.description) }
            excerpt = failure.description
        }
        let elapsed = ContinuousClock.now - started
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let delivered = status.map { (200..<300).contains($0) } ?? false
        let delay = delivered || status == 410 ? nil : WebhookRetry.delay(afterAttempt: d.attempt, retryAfter: retryAfter, jitter: Double.random(in: -0.1...0.1))
        try await store.webhooks.record(tenant, messageID: messageID, WebhookAttemptResult(
            status: status, latencyMs: ms, response: excerpt, retryAt: delay.map { Date().addingTimeInterval($0) }), disableAfter: settings.webhookDisableAfter)
        if let delay { throw RetryLater(after: delay, "attempt \(d.attempt) to \(d.endpointID) failed: \(status.map(String.init) ?? excerpt)") }
    }
}
