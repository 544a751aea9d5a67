import Foundation
import Testing
import TradepostCore
@testable import TradepostJobs

@Suite("Backoff")
struct BackoffTests {
    @Test func doublesUpToTheCap() {
        let backoff = Backoff(base: .seconds(2), maximum: .seconds(60))
        #expect((1...7).map { backoff.step(afterAttempt: $0) } == [
            .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60), .seconds(60),
        ])
        #expect(backoff.step(afterAttempt: 500) == .seconds(60))
    }

    @Test func jitterStaysBetweenHalfAndAllOfTheStep() {
        let backoff = Backoff(base: .seconds(1), maximum: .seconds(3600))
        var random = SplitMix64(seed: 42)
        for attempt in 1...12 {
            let step = backoff.step(afterAttempt: attempt)
            for _ in 0..<50 {
                let delay = backoff.delay(afterAttempt: attempt, using: &random)
                #expect(delay >= step / 2 && delay <= step)
            }
        }
        // Repeatable with the same seed, different with another.
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7), c = SplitMix64(seed: 8)
        let x = backoff.delay(afterAttempt: 5, using: &a)
        #expect(x == backoff.delay(afterAttempt: 5, using: &b))
        #expect(x != backoff.delay(afterAttempt: 5, using: &c))
    }

    @Test func circuitBreakerOpensAfterRepeatedFailuresAndProbesAfterCooldown() {
        let breaker = CircuitBreaker(threshold: 3, cooldown: 10)
        let t0 = Date(timeIntervalSince1970: 1000)
        for i in 0..<3 {
            #expect(breaker.check("dead.example", now: t0 + Double(i)) == .allow)
            breaker.record("dead.example", success: false, now: t0 + Double(i))
        }
        #expect(breaker.check("dead.example", now: t0 + 3) == .reject(retryAfter: 9))
        #expect(breaker.check("alive.example", now: t0 + 3) == .allow, "one dead destination does not affect another")
        // After the cooldown one trial goes through; a second caller is still held back.
        #expect(breaker.check("dead.example", now: t0 + 13) == .allow)
        #expect(breaker.check("dead.example", now: t0 + 13) == .reject(retryAfter: 1))
        breaker.record("dead.example", success: false, now: t0 + 13)
        #expect(breaker.isOpen("dead.example", now: t0 + 14))
        #expect(breaker.check("dead.example", now: t0 + 24) == .allow)
        breaker.record("dead.example", success: true, now: t0 + 24)
        #expect(breaker.check("dead.example", now: t0 + 24) == .allow)
        #expect(!breaker.isOpen("dead.example", now: t0 + 24))
    }
}
