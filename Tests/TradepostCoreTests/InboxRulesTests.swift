import Foundation
import Testing
import TradepostCore

@Suite("Inbox: status order, fair assignment, the platforms' payloads, WhatsApp's window")
struct InboxRulesTests {
    @Test func statusOnlyMovesForwardWhateverOrderReportsArriveIn() {
        #expect(ChannelMessageStatus.read.advanced(to: .delivered) == .read)
        #expect(ChannelMessageStatus.queued.advanced(to: .read) == .read)
        #expect(ChannelMessageStatus.sent.advanced(to: .delivered) == .delivered)
        #expect(ChannelMessageStatus.delivered.advanced(to: .sent) == .delivered)
        #expect(ChannelMessageStatus.sent.advanced(to: .failed) == .failed)
        #expect(ChannelMessageStatus.failed.advanced(to: .read) == .read, "read after all: the platform's word wins")
        #expect(ChannelMessageStatus.read.advanced(to: .failed) == .read)
        for order in [[ChannelMessageStatus.sent, .delivered, .read], [.read, .delivered, .sent], [.delivered, .read, .sent]] {
            #expect(order.reduce(ChannelMessageStatus.queued) { $0.advanced(to: $1) } == .read)
        }
    }

    @Test func fiveAgentsWithRoomForTwoTakeTenEvenlyAndTheRestWaitInArrivalOrder() {
        let now = Date()
        var agents = (1...5).map { Assignment.Agent(userId: "a\($0)", online: true, open: 0, capacity: 2, lastAssignedAt: nil) }
        let waiting = (1...30).map { String(format: "c%02d", $0) }
        let plan = Assignment.plan(waiting: waiting, agents: agents, now: now)
        #expect(plan.map(\.conversation) == Array(waiting.prefix(10)), "the first ten, in arrival order")
        #expect(Dictionary(grouping: plan, by: \.agent).mapValues(\.count) == ["a1": 2, "a2": 2, "a3": 2, "a4": 2, "a5": 2])
        // Round robin: the first five go to five different agents.
        #expect(Set(plan.prefix(5).map(\.agent)).count == 5)
        // a3 resolves one: the oldest waiting conversation goes to a3, and only one is handed out.
        for i in agents.indices { agents[i].open = 2; agents[i].lastAssignedAt = now }
        agents[2].open = 1
        let next = Assignment.plan(waiting: Array(waiting.dropFirst(10)), agents: agents, now: now.addingTimeInterval(1))
        #expect(next.count == 1 && next[0].conversation == "c11" && next[0].agent == "a3")
    }

    @Test func theLeastLoadedOnlineAgentWithRoomTakesTheNextAndTiesGoToWhoWaitedLongest() {
        let t = Date()
        let agents = [
            Assignment.Agent(userId: "busy", online: false, open: 0, capacity: 5, lastAssignedAt: nil),
            Assignment.Agent(userId: "full", online: true, open: 3, capacity: 3, lastAssignedAt: nil),
            Assignment.Agent(userId: "half", online: true, open: 2, capacity: 4, lastAssignedAt: t),
            Assignment.Agent(userId: "light", online: true, open: 1, capacity: 4, lastAssignedAt: t.addingTimeInterval(5)),
            Assignment.Agent(userId: "light-earlier", online: true, open: 1, capacity: 4, lastAssignedAt: t),
        ]
        #expect(Assignment.pick(agents)?.userId == "light-earlier")
        #expect(Assignment.pick(Array(agents.prefix(2))) == nil, "offline and full: the conversation waits")
        // Capacity balancing: with 2 of 10 against 1 of 2, the big one has more room.
        #expect(Assignment.pick([.init(userId: "big", online: true, open: 2, capacity: 10, lastAssignedAt: t),
                                 .init(userId: "small", online: true, open: 1, capacity: 2, lastAssignedAt: nil)])?.userId == "big")
    }

    func whatsApp(_ value: String) -> [UInt8] {
        Array(#"{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":\#(value)}]}]}"#.utf8)
    }

    @Test func whatsAppMessagesAndStatusesAreReadWithTheirSenderAndFiles() throws {
        let body = whatsApp(#"""
            {"messaging_product":"whatsapp","metadata":{"display_phone_number":"380440000000","phone_number_id":"111"},
             "contacts":[{"profile":{"name":"Олена 🌿"},"wa_id":"380501112233","user_id":"UA.123"}],
             "messages":[{"from":"380501112233","id":"wamid.T","timestamp":"1764900000","type":"text","text":{"body":"Привіт 👋"}},
                         {"from":"380501112233","id":"wamid.I","timestamp":"1764900001","type":"image","image":{"id":"M1","mime_type":"image/png","caption":"фото"}},
                         {"from":"380501112233","id":"wamid.V","timestamp":"1764900002","type":"audio","audio":{"id":"M2","mime_type":"audio/ogg; codecs=opus","voice":true}},
                         {"from":"380501112233","id":"wamid.L","timestamp":"1764900003","type":"location","location":{"latitude":50.45,"longitude":30.52,"name":"Аптека"}},
                         {"from":"380501112233","id":"wamid.S","timestamp":"1764900004","type":"sticker","sticker":{"id":"M3"}}],
             "statuses":[{"id":"wamid.OUT","status":"read","timestamp":"1764900005","recipient_id":"380501112233"},
                         {"id":"wamid.OUT2","status":"failed","timestamp":"1764900006","recipient_id":"380501112233","errors":[{"code":131047,"title":"Re-engagement message"}]}]}
            """#)
        let batch = try WhatsAppPayload.parse(body, phoneNumberId: "111")
        #expect(batch.messages.map(\.externalId) == ["wamid.T", "wamid.I", "wamid.V", "wamid.L", "wamid.S"])
        #expect(batch.messages[0].text == "Привіт 👋" && batch.messages[0].senderName == "Олена 🌿" && batch.messages[0].chatId == "380501112233")
        #expect(batch.messages[0].at == Date(timeIntervalSince1970: 1764900000))
        #expect(batch.messages[1].media == .init(platformId: "M1", contentType: "image/png", fileName: "photo.jpg") && batch.messages[1].text == "фото")
        #expect(batch.messages[2].media?.fileName == "voice.ogg")
        #expect(batch.messages[3].text == "Аптека\nhttps://maps.google.com/?q=50.45,30.52")
        #expect(batch.messages[4].text == "[sticker]")
        #expect(batch.statuses == [.init(externalId: "wamid.OUT", status: .read, error: nil),
                                   .init(externalId: "wamid.OUT2", status: .failed, error: "131047 Re-engagement message")])
        // Another number's changes are not this channel's.
        #expect(try WhatsAppPayload.parse(body, phoneNumberId: "222").messages.isEmpty)
        // A user who hides their number is addressed by their business-scoped id.
        let hidden = try WhatsAppPayload.parse(whatsApp(#"""
            {"metadata":{"phone_number_id":"111"},"contacts":[{"profile":{"name":"Anon"},"user_id":"UA.999"}],
             "messages":[{"id":"wamid.H","timestamp":"1764900000","type":"text","text":{"body":"hi"}}]}
            """#), phoneNumberId: "111")
        #expect(hidden.messages.first?.chatId == "bsuid:UA.999" && hidden.messages.first?.whatsappId == "UA.999")
        #expect(throws: AppError.self) { try WhatsAppPayload.parse(Array(#"{"object":"page"}"#.utf8), phoneNumberId: nil) }
    }

    @Test func telegramPrivateMessagesAreReadAndGroupsAreNot() {
        let photo = #"""
            {"update_id":5,"message":{"message_id":77,"date":1764900000,"chat":{"id":4242,"type":"private"},
             "from":{"id":4242,"is_bot":false,"first_name":"Ірина","last_name":"К","language_code":"uk-UA"},
             "caption":"Рецепт","photo":[{"file_id":"small","file_size":100,"width":90,"height":90},{"file_id":"big","file_size":9000,"width":900,"height":900}]}}
            """#
        let m = TelegramInbound.parse(Array(photo.utf8))
        #expect(m?.externalId == "4242:77" && m?.chatId == "4242" && m?.senderName == "Ірина К" && m?.language == "uk")
        #expect(m?.media?.platformId == "big" && m?.text == "Рецепт" && m?.telegramId == 4242)
        let group = photo.replacingOccurrences(of: #""type":"private""#, with: #""type":"group""#)
        #expect(TelegramInbound.parse(Array(group.utf8)) == nil)
    }

    @Test func whatsAppsWindowIsTwentyFourHoursFromTheCustomersLastMessage() {
        let now = Date()
        #expect(InboxConversation.windowOpen(kind: .whatsapp, lastInboundAt: now.addingTimeInterval(-23 * 3600), now: now))
        #expect(!InboxConversation.windowOpen(kind: .whatsapp, lastInboundAt: now.addingTimeInterval(-24 * 3600), now: now))
        #expect(!InboxConversation.windowOpen(kind: .whatsapp, lastInboundAt: nil, now: now))
        #expect(InboxConversation.windowOpen(kind: .telegram, lastInboundAt: nil, now: now))
    }
}

@Suite("Auto-replies: which fire, once per period, business hours in their zone")
struct AutoReplyTests {
    func rule(_ kind: AutoReplyRule.Kind, keywords: [String] = [], pattern: String? = nil, hours: [AutoReplyRule.Hours]? = nil, zone: String? = nil,
              id: String = UUID().uuidString) -> AutoReplyRule {
        AutoReplyRule(id: id, channelId: "c", kind: kind, keywords: keywords, pattern: pattern, replies: ["en": "Hi", "uk": "Привіт"], hours: hours,
                      timeZone: zone, enabled: true, position: 0, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func keywordsMatchWholeWordsInAnyCaseAndAccentAndPatternsMatchToo() {
        let price = rule(.keyword, keywords: ["прайс", "price list", "Café"])
        #expect(AutoReply.matches(price, "Надішліть ПРАЙС, будь ласка"))
        #expect(AutoReply.matches(price, "Could you send the Price List?"))
        #expect(AutoReply.matches(price, "cafe opening"))
        #expect(!AutoReply.matches(price, "прайсовий"), "whole words only")
        #expect(AutoReply.matches(rule(.keyword, pattern: #"\bзамовлення\s+№?\d+"#), "Де моє Замовлення №42?"))
        #expect(!AutoReply.matches(rule(.keyword, pattern: "[unclosed"), "anything"))
    }

    @Test func businessHoursAreReadInTheRulesZoneAndTheSpellIsNamedByTheNextOpening() {
        let weekdays = (1...5).map { AutoReplyRule.Hours(day: $0, open: "09:00", close: "18:00") }
        // Friday 2026-12-04 17:30 UTC is 19:30 in Kyiv: out of hours until Monday 09:00 Kyiv.
        #expect(AutoReply.outOfHours(weekdays, zone: "Europe/Kyiv", at: date("2026-12-04T17:30:00Z")) == "2026-12-07T09:00")
        // The same instant is 12:30 in New York: open.
        #expect(AutoReply.outOfHours(weekdays, zone: "America/New_York", at: date("2026-12-04T17:30:00Z")) == nil)
        // Early Tuesday in Kyiv: out until 09:00 the same day.
        #expect(AutoReply.outOfHours(weekdays, zone: "Europe/Kyiv", at: date("2026-12-08T04:00:00Z")) == "2026-12-08T09:00")
        #expect(AutoReply.outOfHours([], zone: "UTC", at: date("2026-12-08T04:00:00Z")) == "closed")
    }

    @Test func eachRuleFiresOncePerPeriodSoTwoBotsCannotLoop() {
        let greeting = rule(.greeting, id: "g"), price = rule(.keyword, keywords: ["price"], id: "k")
        let away = rule(.away, hours: [.init(day: 1, open: "09:00", close: "10:00")], zone: "UTC", id: "a")
        let sunday = date("2026-12-06T12:00:00Z")
        let first = AutoReply.fire([price, away, greeting], text: "price?", firstMessage: true, now: sunday, fired: [])
        #expect(first.map(\.rule.id) == ["g", "a", "k"])
        #expect(first.map(\.period) == ["conversation", "2026-12-07T09:00", "2026-12-06"])
        let fired = Set(first.map { $0.rule.id + "|" + $0.period })
        #expect(AutoReply.fire([price, away, greeting], text: "price? price!", firstMessage: false, now: sunday.addingTimeInterval(60), fired: fired).isEmpty)
        // The next day the keyword may answer again, and a new spell out of hours has its own away reply.
        #expect(AutoReply.fire([price, away, greeting], text: "price", firstMessage: false, now: sunday.addingTimeInterval(86400 + 7200), fired: fired)
            .map(\.rule.id) == ["a", "k"])
        #expect(AutoReply.text(price, language: "uk") == "Привіт" && AutoReply.text(price, language: "de") == "Hi")
    }
}
