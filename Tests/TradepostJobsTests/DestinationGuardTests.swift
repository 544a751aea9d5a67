import Foundation
import Testing
@testable import TradepostJobs

@Suite("Webhook destinations inside the box's networks are refused")
struct DestinationGuardTests {
    @Test func internalRangesAreRecognised() {
        for address in ["127.0.0.1", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                        "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.1.1.1", "ff02::1", "not-an-ip"] {
            #expect(DestinationGuard.isInternal(address), "\(address)")
        }
        for address in ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2a00:1450:4001::1", "::ffff:8.8.8.8"] {
            #expect(!DestinationGuard.isInternal(address), "\(address)")
        }
    }

    @Test func namesAreResolvedAndTheOperatorMayAllowInternalOnes() async {
        let strict = DestinationGuard(allowPrivate: false)
        #expect(await strict.problem(URL(string: "http://localhost:8080/x")!)?.contains("internal") == true)
        #expect(await strict.problem(URL(string: "http://[::1]/x")!)?.contains("internal") == true)
        #expect(await strict.problem(URL(string: "http://169.254.169.254/latest/meta-data")!)?.contains("internal") == true)
        #expect(await strict.problem(URL(string: "http://8.8.8.8/x")!) == nil)
        #expect(await strict.problem(URL(string: "http://name.invalid/x")!)?.contains("resolve") == true)
        #expect(await DestinationGuard(allowPrivate: true).problem(URL(string: "http://127.0.0.1/x")!) == nil)
    }
}
