import Foundation
import Testing
@testable import TradepostCore

@Suite("Login throttle")
struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func delaysGrowAfterTheFreeFailuresAndAreCapped() {
        let rule = LoginThrottle.Rule(freeFailures: 3, baseDelay: 1, maxDelay: 60)
        #expect((1...3).map { rule.delay(afterFailures: $0) } == [0, 0, 0])
        #expect((4...9).map { rule.delay(afterFailures: $0) } == [1, 2, 4, 8, 16, 32])
        #expect(rule.delay(afterFailures: 10) == 60)
        #expect(rule.delay(afterFailures: 1000) == 60)
    }

    @Test func blocksTheAccountThenLetsItTryAgain() throws {
        let throttle = LoginThrottle(accountRule: .init(freeFailures: 2), addressRule: .init(freeFailures: 100))
        let key = LoginThrottle.accountKey(tenant: "acme", email: "A@x.test")
        for i in 0..<3 { throttle.recordFailure(account: key, address: "ip:1", now: start + Double(i)) }
        #expect(throws: AppError.self) { try throttle.check([key], now: start + 2.5) }
        do {
            try throttle.check([key], now: start + 2.5)
        } catch let error as AppError {
            #expect(error.code == .rateLimited)
            #expect(error.retryAfter == 1)
        }
        // The delay passes: not locked out for good.
        #expect(throws: Never.self) { try throttle.check([key], now: start + 3.1) }
    }

    @Test func successClearsTheAccountButNotTheAddress() {
        let throttle = LoginThrottle(accountRule: .init(freeFailures: 1), addressRule: .init(freeFailures: 1))
        let key = LoginThrottle.accountKey(tenant: nil, email: "a@x.test")
        throttle.recordFailure(account: key, address: "ip:9", now: start)
        throttle.recordFailure(account: key, address: "ip:9", now: start)
        throttle.recordSuccess(account: key)
        #expect(throws: Never.self) { try throttle.check([key], now: start) }
        #expect(throws: AppError.self) { try throttle.check(["ip:9"], now: start) }
    }

    @Test func failuresAreForgottenAfterAQuietPeriod() {
        let throttle = LoginThrottle(accountRule: .init(freeFailures: 2, forgetAfter: 60), addressRule: .init(freeFailures: 100))
        for i in 0..<2 { throttle.recordFailure(account: "k", address: nil, now: start + Double(i)) }
        // An hour later the count starts again, so one more failure is free.
        throttle.recordFailure(account: "k", address: nil, now: start + 3600)
        #expect(throws: Never.self) { try throttle.check(["k"], now: start + 3600) }
    }

    @Test func memoryStaysBoundedUnderAFlood() {
        let throttle = LoginThrottle(maxEntries: 100)
        for i in 0..<1000 { throttle.recordFailure(account: "k\(i)", address: "ip:\(i)", now: start + Double(i)) }
        #expect(throttle.entryCount <= 101)
        #expect(throttle.entryCount >= 50)
    }
}
