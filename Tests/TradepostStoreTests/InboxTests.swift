import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostStore
import TradepostTestSupport

@Suite("Inbox: signatures over raw bytes, contacts and conversations from messages, the fair queue")
struct InboxTests {
    @Test func theSignatureIsOverTheBytesReceivedNotOverReserialisedJSON() throws {
        let raw = Array(#"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"text":{"body":"Привіт 👋 «ліки»"}}]}}]}]}"#.utf8)
        let header = WhatsAppSignature.sign(body: raw, appSecret: "app-secret")
        #expect(WhatsAppSignature.valid(body: raw, header: header, appSecret: "app-secret"))
        // The same JSON written again (non-ASCII escaped, as many serialisers do) is other bytes: refused.
        let object = try JSONSerialization.jsonObject(with: Data(raw))
        let again = Array(try JSONSerialization.data(withJSONObject: object))
        let escaped = Array(String(decoding: raw, as: UTF8.self).unicodeScalars.map { $0.isASCII ? String($0) : String(format: "\\u%04x", $0.value) }
            .joined().utf8)
        #expect(again != raw || escaped != raw)
        #expect(!WhatsAppSignature.valid(body: escaped, header: header, appSecret: "app-secret"))
        #expect(!WhatsAppSignature.valid(body: raw, header: header, appSecret: "another-secret"))
        #expect(!WhatsAppSignature.valid(body: raw, header: nil, appSecret: "app-secret"))
        #expect(!WhatsAppSignature.valid(body: raw, header: "sha256=" + String(repeating: "0", count: 64), appSecret: "app-secret"))
        #expect(!WhatsAppSignature.valid(body: raw, header: header.uppercased(), appSecret: "app-secret") || header == header.uppercased())
        #expect(!WhatsAppSignature.valid(body: raw, header: String(header.dropLast(2)), appSecret: "app-secret"))
    }

    struct World {
        let store: Store
        let tenant: Tenant
        let owner: User
        let agents: [User]
        let channel: InboxChannel
    }

    func world(agents count: Int, capacity: Int) async throws -> World {
        let store = try await makeStore()
        let (tenant, owner) = try await store.tenantWithOwner("acme")
        let system = Caller.system(tenant.id)
        let business = try await store.businesses.createBusiness(system, BusinessInput(name: "Farm", type: .wholesaler, city: "Kyiv"))
        let admin = caller(tenant, owner)
        let bad = await #expect(throws: AppError.self) {
            _ = try await store.inbox.createChannel(admin, InboxChannelInput(kind: .whatsapp, name: "", phoneNumberId: "12a"), idempotency: nil)
        }
        #expect(Set(bad?.fields.map(\.field) ?? []) == ["name", "business_id", "phone_number_id", "access_token", "app_secret", "verify_token"])
        let channel = try await store.inbox.createChannel(admin, InboxChannelInput(
            kind: .whatsapp, name: "Sales", businessId: business.id, phoneNumberId: "111", accessToken: "token", appSecret: "secret", verifyToken: "verify"),
            idempotency: nil)
        var agents: [User] = []
        for i in 1...count {
            let user = try await store.users.createUser(system, NewUser(email: "a\(i)@acme.test", name: "Agent \(i)", password: "agent-pass-\(i)0")).user
            _ = try await store.businesses.setMember(system, businessID: business.id, userID: user.id, role: .staff)
            _ = try await store.inbox.setChannelAgent(admin, channelID: channel.id, userID: user.id, capacity: capacity)
            _ = try await store.inbox.setAgent(caller(tenant, user), AgentChange(availability: .online))
            agents.append(user)
        }
        return World(store: store, tenant: tenant, owner: owner, agents: agents, channel: channel)
    }

    func message(_ n: Int, at: Date = Date(), id: String? = nil) -> InboundMessage {
        InboundMessage(externalId: id ?? "wamid.\(n)", chatId: "38050000\(1000 + n)", senderName: "Customer \(n)", whatsappId: "38050000\(1000 + n)",
                       text: "Hello \(n)", at: at)
    }

    func record(_ w: World, _ messages: [InboundMessage], statuses: [InboundStatus] = []) async throws -> [String] {
        try await w.store.inbox.recordInbound(w.tenant.id, webhookID: 0, channelID: w.channel.id, InboundBatch(messages: messages, statuses: statuses),
                                              files: [:], final: true)
    }

    @Test func fiveAgentsTakeTenEvenlyAndTheQueueIsHandedOutInArrivalOrder() async throws {
        let w = try await world(agents: 5, capacity: 2)
        defer { Task { await w.store.remove() } }
        let me = caller(w.tenant, w.agents[0])
        for n in 1...30 { _ = try await record(w, [message(n)]) }
        let all = try await w.store.inbox.conversations(me, InboxFilter(), PageRequest(limit: 100)).items
        #expect(all.count == 30)
        let assigned = all.filter { $0.assigneeId != nil }
        #expect(assigned.count == 10 && Dictionary(grouping: assigned, by: \.assigneeId).values.allSatisfy { $0.count == 2 })
        let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.contact.name, $0) })
        #expect((1...10).allSatisfy { byName["Customer \($0)"]?.assigneeId != nil }, "the first ten to arrive")
        // Agents resolve one at a time: each time the oldest waiting conversation is handed to whoever made room.
        for n in 11...15 {
            let agent = w.agents[n % 5]
            let mine = try await w.store.inbox.conversations(caller(w.tenant, agent), InboxFilter(status: .open, assignee: "me"), PageRequest()).items
            _ = try await w.store.inbox.change(caller(w.tenant, agent), id: mine[0].id, InboxConversationChange(status: .resolved))
            let next = try await w.store.inbox.conversation(me, id: byName["Customer \(n)"]!.id)
            #expect(next.assigneeId == agent.id && next.waitingSince == nil, "Customer \(n) goes to the one who made room")
        }
        // Someone offline gets nothing; the queue waits for room.
        _ = try await w.store.inbox.setAgent(caller(w.tenant, w.agents[1]), AgentChange(availability: .offline))
        let theirs = try await w.store.inbox.conversations(caller(w.tenant, w.agents[1]), InboxFilter(status: .open, assignee: "me"), PageRequest()).items
        _ = try await w.store.inbox.change(caller(w.tenant, w.agents[1]), id: theirs[0].id, InboxConversationChange(status: .resolved))
        #expect(try await w.store.inbox.conversation(me, id: byName["Customer 16"]!.id).assigneeId == nil)
        _ = try await w.store.inbox.setAgent(caller(w.tenant, w.agents[1]), AgentChange(availability: .online))
        #expect(try await w.store.inbox.conversation(me, id: byName["Customer 16"]!.id).assigneeId == w.agents[1].id, "online again: takes the oldest")
    }

    @Test func aRepeatedMessageIsIgnoredStatusesOnlyMoveForwardAndTheWindowCloses() async throws {
        let w = try await world(agents: 1, capacity: 5)
        defer { Task { await w.store.remove() } }
        let me = caller(w.tenant, w.agents[0])
        _ = try await record(w, [message(1)])
        _ = try await record(w, [message(1)])
        let conversation = try await w.store.inbox.conversations(me, InboxFilter(), PageRequest()).items[0]
        #expect(conversation.lastSeq == 1 && conversation.contact.phone == "+380500001001" && conversation.windowOpen)
        let reply = try await w.store.inbox.reply(me, conversationID: conversation.id, text: "Добрий день!", idempotency: nil)
        #expect(try await w.store.inbox.outbound(w.tenant.id, messageID: reply.id)?.status == .queued)
        try await w.store.inbox.sent(w.tenant.id, messageID: reply.id, externalID: "wamid.OUT", error: nil)
        // read before delivered: delivered changes nothing.
        #expect(try await record(w, [], statuses: [.init(externalId: "wamid.OUT", status: .read, error: nil)]).isEmpty)
        #expect(try await record(w, [], statuses: [.init(externalId: "wamid.OUT", status: .delivered, error: nil),
                                                   .init(externalId: "wamid.NOPE", status: .read, error: nil)]) == ["wamid.NOPE"])
        #expect(try await w.store.inbox.deliveries(me, conversationID: conversation.id).map(\.status) == [.read])
        #expect(try await w.store.inbox.conversation(me, id: conversation.id).firstResponseAt != nil)
        // A customer whose last word is two days old: only templates may go.
        _ = try await record(w, [message(2, at: Date().addingTimeInterval(-2 * 86400))])
        let old = try await w.store.inbox.conversations(me, InboxFilter(), PageRequest()).items.first { $0.contact.name == "Customer 2" }!
        #expect(!old.windowOpen)
        let closed = await #expect(throws: AppError.self) { _ = try await w.store.inbox.reply(me, conversationID: old.id, text: "Hi", idempotency: nil) }
        #expect(closed?.code == .invalidState)
        #expect(closed?.members == [AppError.Member("state", "window_closed")])
        // Someone who does not work the channel's business does not see the conversation.
        let stranger = try await w.store.users.createUser(.system(w.tenant.id), NewUser(email: "x@acme.test", name: "X", password: "stranger-pass-1")).user
        await #expect(throws: AppError.self) { _ = try await w.store.inbox.conversation(caller(w.tenant, stranger), id: conversation.id) }
        #expect(try await w.store.inbox.conversations(caller(w.tenant, stranger), InboxFilter(), PageRequest()).items.isEmpty)
    }

    @Test func contactsMergeWhenOnePersonWritesFromTwoChannels() async throws {
        let w = try await world(agents: 1, capacity: 5)
        defer { Task { await w.store.remove() } }
        let me = caller(w.tenant, w.agents[0])
        _ = try await record(w, [message(1)])
        _ = try await w.store.inbox.recordInbound(w.tenant.id, webhookID: 0, channelID: w.channel.id, InboundBatch(messages: [
            InboundMessage(externalId: "tg.1", chatId: "777", senderName: "Same person", telegramId: 777, language: "uk", text: "Привіт", at: Date()),
        ]), files: [:], final: true)
        let contacts = try await w.store.inbox.contacts(me, ContactFilter(), PageRequest()).items
        #expect(contacts.count == 2)
        let (wa, tg) = (contacts.first { $0.whatsappId != nil }!, contacts.first { $0.telegramId != nil }!)
        _ = try await w.store.inbox.updateContact(me, id: tg.id, ContactInput(tags: ["vip"], notes: "Prefers Telegram"))
        let merged = try await w.store.inbox.mergeContacts(me, target: wa.id, source: tg.id)
        #expect(merged.telegramId == 777 && merged.whatsappId == wa.whatsappId && merged.tags == ["vip"] && merged.language == "uk")
        #expect(try await w.store.inbox.contacts(me, ContactFilter(), PageRequest()).items.map(\.id) == [wa.id])
        #expect(try await w.store.inbox.contact(me, id: wa.id).conversations.count == 2)
        // The merged person writing on Telegram again lands with the contact that stayed.
        _ = try await w.store.inbox.recordInbound(w.tenant.id, webhookID: 0, channelID: w.channel.id, InboundBatch(messages: [
            InboundMessage(externalId: "tg.2", chatId: "777", senderName: "Same person", telegramId: 777, text: "Ще раз", at: Date()),
        ]), files: [:], final: true)
        #expect(try await w.store.inbox.contacts(me, ContactFilter(), PageRequest()).items.count == 1)
        let bad = await #expect(throws: AppError.self) { _ = try await w.store.inbox.updateContact(me, id: wa.id, ContactInput(phone: "12", language: "de")) }
        #expect(Set(bad?.fields.map(\.field) ?? []) == ["phone", "language"])
    }
}
