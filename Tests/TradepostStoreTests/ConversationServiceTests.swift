import Foundation
import GRDB
import Testing
import TradepostCore
import TradepostDatabase
@testable import TradepostStore
import TradepostTestSupport

@Suite("Conversations: participants, sequence numbers, catch-up, links")
struct ConversationServiceTests {
    struct World {
        let store: Store
        let tenant: Tenant
        let seller: Business
        let buyer: Business
        let sellerMember: Caller
        let buyerMember: Caller
        let stranger: Caller
        let rep: Caller
        var system: Caller { .system(tenant.id) }
        var talk: SQLiteConversationService { store.conversations }
    }

    func world() async throws -> World {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        let system = Caller.system(tenant.id)
        let seller = try await store.businesses.createBusiness(system, BusinessInput(name: "Фарм Опт", type: .wholesaler, city: "Kyiv"))
        let buyer = try await store.businesses.createBusiness(system, BusinessInput(name: "Apteka", type: .pharmacy, city: "Lviv"))
        let other = try await store.businesses.createBusiness(system, BusinessInput(name: "Other", type: .pharmacy, city: "Odesa"))
        func member(_ business: Business, _ name: String, kind: UserKind = .member) async throws -> Caller {
            var input = NewUser(email: "\(name)@acme.test", name: name, password: nil, role: .member)
            input.kind = kind
            let user = try await store.users.createUser(system, input).user
            if kind == .member { _ = try await store.businesses.setMember(system, businessID: business.id, userID: user.id, role: .staff) }
            return caller(tenant, user)
        }
        return World(store: store, tenant: tenant, seller: seller, buyer: buyer, sellerMember: try await member(seller, "seller"),
                     buyerMember: try await member(buyer, "buyer"), stranger: try await member(other, "stranger"),
                     rep: try await member(other, "rep", kind: .salesperson))
    }

    @Test func participantsAreTheMembersOfBothBusinessesAndEveryEventIsNumbered() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let (c, created) = try await w.talk.open(w.buyerMember, ConversationInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id), idempotency: nil)
        #expect(created)
        #expect(try await w.talk.open(w.sellerMember, ConversationInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id), idempotency: nil).created == false)
        await #expect(throws: AppError.self) { try await w.talk.open(w.stranger, ConversationInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id), idempotency: nil) }
        let m1 = try await w.talk.post(w.buyerMember, conversationID: c.id, MessageInput(text: "hello"), idempotency: nil)
        let m2 = try await w.talk.post(w.sellerMember, conversationID: c.id, MessageInput(text: "hi", replyTo: m1.id), idempotency: nil)
        _ = try await w.talk.edit(w.buyerMember, messageID: m1.id, text: "hello!")
        _ = try await w.talk.delete(w.sellerMember, messageID: m2.id)
        #expect((m1.seq, m2.seq) == (1, 2))
        let all = try await w.talk.catchUp(w.buyerMember, conversationID: c.id, after: 0, limit: 100)
        #expect(all.events.map(\.seq) == [1, 2, 3, 4] && all.events.map(\.kind) == [.messageCreated, .messageCreated, .messageEdited, .messageDeleted])
        // Messages as they are now: the first edited, the second a tombstone.
        #expect(all.events[0].message?.text == "hello!" && all.events[1].message?.deletedAt != nil && all.events[1].message?.text == nil)
        #expect(try await w.talk.catchUp(w.buyerMember, conversationID: c.id, after: 1, limit: 2).resync)
        for stranger in [w.stranger, w.rep] {
            await #expect(throws: AppError.notFound("Conversation")) { try await w.talk.messages(stranger, conversationID: c.id, before: nil, limit: 10) }
            #expect(try await w.talk.conversations(stranger, state: nil, page: PageRequest()).items.isEmpty)
            #expect(try await w.talk.search(stranger, query: "hello", conversationID: nil, limit: 10).isEmpty)
        }
        let feed = try await w.talk.feed(w.tenant.id, after: 0, limit: 100)
        #expect(feed.items.count == 4 && feed.participants[c.id] == [w.buyerMember.principal.userID, w.sellerMember.principal.userID])
        #expect(try await w.talk.search(w.sellerMember, query: "HELLO", conversationID: nil, limit: 10).map(\.message.id) == [m1.id])
    }

    @Test func aLinkedSalespersonTakesPartUntilRevokedAndTheFeedForgetsThem() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let (c, _) = try await w.talk.open(w.buyerMember, ConversationInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id), idempotency: nil)
        await #expect(throws: AppError.self) { try await w.store.salespeople.request(w.buyerMember, SalespersonLinkInput(businessId: w.seller.id, side: .seller), idempotency: nil) }
        let link = try await w.store.salespeople.request(w.rep, SalespersonLinkInput(businessId: w.seller.id, side: .seller), idempotency: nil)
        #expect(link.state == .requested)
        await #expect(throws: AppError.self) { try await w.store.salespeople.act(w.rep, linkID: link.id, .approve, reason: nil) }
        await #expect(throws: AppError.self) { try await w.talk.post(w.rep, conversationID: c.id, MessageInput(text: "x"), idempotency: nil) }
        #expect(try await w.store.salespeople.act(w.system, linkID: link.id, .approve, reason: nil).state == .active)
        _ = try await w.talk.post(w.rep, conversationID: c.id, MessageInput(text: "your rep here"), idempotency: nil)
        let epoch = try await w.talk.feed(w.tenant.id, after: .max, limit: 0).accessEpoch
        #expect(try await w.talk.participants(w.tenant.id, conversationID: c.id).contains(w.rep.principal.userID))
        #expect(try await w.store.salespeople.act(w.rep, linkID: link.id, .revoke, reason: "moving on").state == .revoked)
        await #expect(throws: AppError.notFound("Conversation")) { try await w.talk.post(w.rep, conversationID: c.id, MessageInput(text: "x"), idempotency: nil) }
        #expect(try await !w.talk.participants(w.tenant.id, conversationID: c.id).contains(w.rep.principal.userID))
        #expect(try await w.talk.feed(w.tenant.id, after: .max, limit: 0).accessEpoch > epoch)
        await #expect(throws: AppError.self) { try await w.store.salespeople.act(w.system, linkID: link.id, .approve, reason: nil) }
        // Asking again after a revocation is a new link.
        #expect(try await w.store.salespeople.request(w.rep, SalespersonLinkInput(businessId: w.seller.id, side: .seller), idempotency: nil).id != link.id)
    }

    @Test func unreadCountsFollowReadMarksAndSending() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let (c, _) = try await w.talk.open(w.buyerMember, ConversationInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id), idempotency: nil)
        for i in 0..<3 { _ = try await w.talk.post(w.buyerMember, conversationID: c.id, MessageInput(text: "m\(i)"), idempotency: nil) }
        #expect(try await w.talk.inbox(w.sellerMember) == InboxCounts(total: 3, conversations: [c.id: 3]))
        #expect(try await w.talk.inbox(w.buyerMember).total == 0)
        #expect(try await w.talk.markRead(w.sellerMember, conversationID: c.id, seq: 2).total == 1)
        #expect(try await w.talk.conversation(w.sellerMember, id: c.id).unread == 1)
        _ = try await w.talk.post(w.sellerMember, conversationID: c.id, MessageInput(text: "ok"), idempotency: nil)
        #expect(try await w.talk.inbox(w.sellerMember).total == 0)
        #expect(try await w.talk.inbox(w.buyerMember).total == 1)
    }

    @Test func filesNeverSentAreSweptAfterADayAndSentOnesStay() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        let (c, _) = try await w.talk.open(w.buyerMember, ConversationInput(buyerBusinessId: w.buyer.id, sellerBusinessId: w.seller.id), idempotency: nil)
        func file(_ id: String) -> TradepostCore.Attachment { TradepostCore.Attachment(id: id, name: "\(id).pdf", contentType: "application/pdf", size: 5, width: nil, height: nil) }
        _ = try await w.talk.recordAttachment(w.buyerMember, conversationID: c.id, file("sentfile"), blob: "blob-sent")
        _ = try await w.talk.recordAttachment(w.buyerMember, conversationID: c.id, file("oldfile"), blob: "blob-old")
        _ = try await w.talk.recordAttachment(w.buyerMember, conversationID: c.id, file("newfile"), blob: "blob-new")
        _ = try await w.talk.post(w.buyerMember, conversationID: c.id, MessageInput(attachmentIds: ["sentfile"]), idempotency: nil)
        try await w.store.tenantDatabases.write(w.tenant.id) { db in
            try db.execute(sql: "UPDATE message_attachments SET created_at = ? WHERE id IN ('sentfile', 'oldfile')", arguments: [Date().addingTimeInterval(-2 * 86_400)])
        }
        try await w.store.pruneIdempotencyKeys(w.tenant.id)
        let (left, garbage) = try await w.store.tenantDatabases.read(w.tenant.id) { db in
            (try String.fetchAll(db, sql: "SELECT id FROM message_attachments ORDER BY id"), try String.fetchAll(db, sql: "SELECT blob FROM s3_garbage"))
        }
        #expect(left == ["newfile", "sentfile"] && garbage == ["blob-old"])
    }

    @Test func aQuoteRequestFromTheCartOpensTheConversationWithItsEvent() async throws {
        let w = try await world()
        defer { Task { await w.store.remove() } }
        var input = ProductInput()
        (input.sku, input.name, input.currency, input.price, input.status, input.stockQuantity) = ("PAR-500", "Paracetamol", "UAH", "42.50", .published, 100)
        let product = try await w.store.products.createProduct(w.system, businessID: w.seller.id, input)
        _ = try await w.store.orders.setCartLine(w.buyerMember, buyerBusinessID: w.buyer.id, productID: product.id, quantity: 30)
        let n = try await w.store.negotiations.requestQuote(w.buyerMember, buyerBusinessID: w.buyer.id, sellerBusinessID: w.seller.id, note: nil, idempotency: nil)
        #expect(n.revisions.map(\.kind) == [.rfq] && n.revisions[0].lines.map(\.quantity) == [30])
        let topics = try await w.store.tenantDatabases.read(w.tenant.id) { try String.fetchAll($0, sql: "SELECT topic FROM outbox ORDER BY id") }
        #expect(topics.contains("conversation.opened") && topics.contains("message.created") && topics.contains("offer.revised"))
    }
}
