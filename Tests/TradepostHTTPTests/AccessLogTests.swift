import Foundation
import Testing
import TradepostCore
@testable import TradepostHTTP

@Suite("Access log")
struct AccessLogTests {
    @Test func durationsAreMillisecondsWithTwoDecimalsRounded() {
        #expect(ObservabilityMiddleware.milliseconds(.zero) == "0.00")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(12_345)) == "12.35")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(1_200)) == "1.20")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(4)) == "0.00")
        #expect(ObservabilityMiddleware.milliseconds(.microseconds(95)) == "0.10")
        #expect(ObservabilityMiddleware.milliseconds(.seconds(3)) == "3000.00")
    }
}

@Suite("Request ids")
struct RequestIDTests {
    @Test func generatedIdsAreWellFormedAndDistinct() {
        let ids = (0..<10_000).map { _ in ObservabilityMiddleware.requestIDs.withLock { Identifier.make(now: Date(), using: &$0) } }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { Identifier.isValid($0) })
    }
}
