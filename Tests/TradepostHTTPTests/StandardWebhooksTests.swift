import Foundation
import Testing
import TradepostWiring

@Suite("Standard Webhooks signatures")
struct StandardWebhooksTests {
    // The specification's own example (standard-webhooks, and Svix's docs); the PyPI library signs it the same.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let body = Array(#"{"test": 2432232314}"#.utf8)

    @Test func theSpecificationsExampleSignsTheSame() {
        #expect(StandardWebhooks.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: [secret])
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func idTimestampAndBodyAllCountAndARotationSignsWithBoth() {
        let base = StandardWebhooks.signature(id: "msg_1", timestamp: 100, body: body, secrets: [secret])
        #expect(StandardWebhooks.signature(id: "msg_2", timestamp: 100, body: body, secrets: [secret]) != base)
        #expect(StandardWebhooks.signature(id: "msg_1", timestamp: 101, body: body, secrets: [secret]) != base)
        #expect(StandardWebhooks.signature(id: "msg_1", timestamp: 100, body: body + [0x20], secrets: [secret]) != base)
        let other = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
        let both = StandardWebhooks.signature(id: "msg_1", timestamp: 100, body: body, secrets: [other, secret])
        #expect(both.split(separator: " ").count == 2 && both.hasSuffix(base))
        let headers = Dictionary(uniqueKeysWithValues: StandardWebhooks.headers(id: "msg_1", timestamp: 100, body: body, secrets: [secret]))
        #expect(headers == ["webhook-id": "msg_1", "webhook-timestamp": "100", "webhook-signature": base])
    }
}
