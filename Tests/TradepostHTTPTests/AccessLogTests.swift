import Foundation
import Testing
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
