import Foundation
import Testing
@testable import TradepostHTTP

/// A live socket's queue is bounded: a client that lets it fill is told to resync once and hears
/// nothing more until it subscribes again; control messages still pass.
@Suite("Live connections: the bounded queue")
struct LiveConnectionTests {
    func drain(_ c: LiveConnection, _ n: Int) async -> [String] {
        var out: [String] = []
        var iterator = c.stream.makeAsyncIterator()
        while out.count < n, let next = await iterator.next() { out.append(next) }
        return out
    }

    @Test func aFullQueueStallsWithOneResyncAndResumesOnSubscribe() async {
        let c = LiveConnection(capacity: 16)
        var accepted = 0
        for i in 0..<40 where c.send("m\(i)") { accepted += 1 }
        #expect(c.stalled)
        // The queue holds what was accepted and the resync notice, never more than its capacity + 1.
        #expect(accepted == 16)
        let got = await drain(c, 17)
        #expect(got.prefix(15) == ArraySlice((0..<15).map { "m\($0)" }))
        #expect(got.contains(#"{"type":"resync","reason":"slow_consumer"}"#))
        #expect(!c.send("late"))
        c.resume()
        #expect(c.send("again") && !c.stalled)
        c.control("subscribed")
        #expect(await drain(c, 2) == ["again", "subscribed"])
    }
}
