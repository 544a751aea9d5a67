import Foundation
import Testing
import TradepostCore
@testable import TradepostHTTP

@Suite("The live socket's notification messages")
struct LiveNotificationMessageTests {
    @Test func theSplicedTextIsTheEncodersForEveryId() throws {
        var cache = LiveNotificationMessage.Cache()
        let base = UserNotification(id: 1, kind: "order.placed", title: "Нове замовлення \"1\"", body: "a/b <c>", link: "/orders/x", urgent: false,
                                    createdAt: Date(timeIntervalSince1970: 1_800_000_000), readAt: nil)
        for id in [1, 42, 7_919_000, 9_000_000_000] as [Int64] {
            var n = base
            n.id = id
            let expected = String(decoding: try JSONCoding.encoder.encode(LiveNotificationMessage(seq: id, notification: n)), as: UTF8.self)
            #expect(LiveNotificationMessage.text(n, cache: &cache) == expected)
        }
        var read = base
        read.readAt = Date(timeIntervalSince1970: 1_800_000_100)
        let expected = String(decoding: try JSONCoding.encoder.encode(LiveNotificationMessage(seq: 1, notification: read)), as: UTF8.self)
        #expect(LiveNotificationMessage.text(read, cache: &cache) == expected)
    }
}
