import Foundation
import GRDB
import TradepostCore
import TradepostDatabase

/// Negotiations in trade conversations: requests for quote, offers and counters as revisions, each
/// an `offer` message; acceptance places the order from the accepted revision's lines and prices in
/// the same transaction. The rules are `NegotiationRules` (Core).
public final class SQLiteNegotiationService: NegotiationService {
    let tenants: TenantDatabases
    let stats: StoreStats
    let analyze: @Sendable (String) -> [String]

    public init(tenants: TenantDatabases, stats: StoreStats, analyze: @escaping @Sendable (String) -> [String]) {
        self.tenants = tenants
        self.stats = stats
        self.analyze = analyze
    }

    public func start(_ caller: Caller, conversationID: String, _ input: OfferInput, idempotency: IdempotencyKey?) async throws -> Negotiation {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                let seen = try TalkAccess.conversation(db, caller, conversationID, .conversationsWrite, side: input.side)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    try Self.open(db, seen, caller, input, now: now, analyze: self.analyze)
                }
            }
        }
    }

    static func open(_ db: Database, _ seen: TalkAccess.Seen, _ caller: Caller, _ input: OfferInput, now: Date,
                     analyze: (String) -> [String]) throws -> Negotiation {
        let head = seen.conversation
        guard head.kind == .trade, let side = seen.side, let buyer = head.buyerBusinessId, let seller = head.sellerBusinessId else {
            throw AppError.invalid("Offers are made in a conversation between a buyer and a seller")
        }
        guard head.state == .open else { throw AppError.invalidState(head.state.rawValue, "make an offer in the conversation") }
        let id = Identifier.make(now: now)
        var revision = try priced(db, input, negotiation: id, number: 1, side: side, buyer: buyer, seller: seller, facts: seen.facts, caller: caller, now: now)
        try db.execute(sql: """
            INSERT INTO negotiations (id, conversation_id, buyer_business_id, seller_business_id, currency, state, revision, created_at)
            VALUES (?, ?, ?, ?, ?, 'open', 1, ?)
            """, arguments: [id, head.id, buyer, seller, revision.currency, now])
        revision.messageId = Identifier.make(now: now)
        try NegotiationRows.insert(db, revision)
        try SQLiteConversationService.insert(db, id: revision.messageId, head.id, kind: .offer, caller: caller, text: revision.note, replyTo: nil,
                                             productID: nil, negotiation: (id, 1), now: now, analyze: analyze)
        try record(db, caller, id, head.id, revision: 1, "offer.revised", now: now)
        return try NegotiationRows.negotiation(db, id)!
    }

    /// A revision from the input: every line a product of the seller that can be ordered in that
    /// quantity (minimum, multiples), priced in the seller's currency when it is an offer.
    static func priced(_ db: Database, _ input: OfferInput, negotiation: String, number: Int, side: TradeSide, buyer: String, seller: String,
                       facts: CallerFacts, caller: Caller, now: Date, currency expected: String? = nil) throws -> OfferRevision {
        var v = Validator()
        let kind = input.kind ?? (input.lines.allSatisfy { $0.unitPrice != nil } ? .offer : .rfq)
        if input.lines.isEmpty || input.lines.count > 500 { v.fail("lines", "must hold 1 to 500 lines") }
        let note = input.note.map { v.text("note", $0, min: 0, max: 2000, multiline: true) }?.nilIfEmpty
        let delivery = input.deliveryTerms.map { v.text("delivery_terms", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
        let payment = input.paymentTerms.map { v.text("payment_terms", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
        if let expires = input.expiresAt, expires <= now { v.fail("expires_at", "must be in the future") }
        if kind == .rfq, side == .seller { v.fail("kind", "a request for quote comes from the buyer; the seller sends offers") }
        let settings = try TradeSettingsRows.read(db, business: seller)
        var currency = expected
        var lines: [OfferLine] = []
        var seen = Set<String>()
        var (net, tax, gross) = (Int64(0), Int64(0), Int64(0))
        let day = SQLiteOrderService.today(now)
        for (i, want) in input.lines.enumerated() {
            let field = "lines[\(i)]"
            let product: Product?
            if let id = want.productId { product = try Product.fetch(db, id: id) }
            else if let sku = want.sku { product = try Product.fetchOne(db, where: "business_id = ? AND sku = ?", arguments: [seller, sku]) }
            else { v.fail(field, "give either product_id or sku"); continue }
            guard let product, product.businessId == seller, facts.productVisibility.canSee(product) else { v.fail(field, "is not a product of the seller"); continue }
            guard product.status == .published else { v.fail(field, "\(product.sku) is no longer sold"); continue }
            guard seen.insert(product.id).inserted else { v.fail(field, "\(product.sku) appears twice"); continue }
            guard (1...StockMovementInput.maxQuantity).contains(want.quantity) else { v.fail(field + ".quantity", "must be from 1 to 10^12"); continue }
            do { _ = try SQLitePriceListService.price(db, product, quantity: want.quantity, buyers: [buyer], day: day) } catch let e as AppError where e.code == .invalid {
                v.fail(field + ".quantity", "\(product.sku): " + (e.fields.first?.message ?? e.message)); continue
            }
            let lineCurrency = product.price.currency
            if let c = currency, c != lineCurrency { v.fail(field, "\(product.sku) is priced in \(lineCurrency), the offer in \(c)"); continue }
            currency = lineCurrency
            var unit: Money?
            var lineGross: Money?
            switch (kind, want.unitPrice) {
            case (.rfq, .some): v.fail(field + ".unit_price", "a request for quote has no prices"); continue
            case (.offer, .none): v.fail(field + ".unit_price", "is required in an offer"); continue
            case (.offer, .some(let text)):
                guard let money = Money.parse(text, currency: lineCurrency), money.minor >= 0 else {
                    v.fail(field + ".unit_price", "must be an amount in \(lineCurrency) like \"12.50\""); continue
                }
                let a = try TaxMath.line(unitMinor: money.minor, quantity: want.quantity, rate: product.taxRate, pricesIncludeTax: settings.pricesIncludeTax)
                (net, tax, gross) = (net + a.net, tax + a.tax, gross + a.gross)
                (unit, lineGross) = (money, Money(minor: a.gross, currency: lineCurrency))
            case (.rfq, .none): break
            }
            lines.append(OfferLine(productId: product.id, sku: product.sku, name: product.name, quantity: want.quantity, unitPrice: unit,
                                   taxRate: product.taxRate, gross: lineGross))
        }
        try v.check422("Some lines of the offer cannot be used")
        let c = currency!
        let priced = kind == .offer
        return OfferRevision(negotiationId: negotiation, revision: number, kind: kind, side: side, state: .open, lines: lines, currency: c,
                             net: priced ? Money(minor: net, currency: c) : nil, tax: priced ? Money(minor: tax, currency: c) : nil,
                             gross: priced ? Money(minor: gross, currency: c) : nil, expiresAt: input.expiresAt, deliveryTerms: delivery,
                             paymentTerms: payment, note: note, declineReason: nil, changes: [], messageId: "",
                             orderId: nil, createdBy: caller.principal.name, createdAt: now)
    }

    /// The audit entry and outbox event of a negotiation's step.
    static func record(_ db: Database, _ caller: Caller, _ id: String, _ conversation: String, revision: Int, _ topic: String, now: Date) throws {
        let n = try NegotiationRows.negotiation(db, id)!
        try AuditLog.tenant(db, caller.audit, "negotiation." + topic.replacingOccurrences(of: "offer.", with: ""), target: id, detail: [
            "revision": String(revision), "conversation": conversation] .merging(n.orderId.map { ["order": $0] } ?? [:]) { a, _ in a })
        try Outbox.append(db, topic: topic, payload: NegotiationEventPayload(negotiationId: id, conversationId: conversation, revision: revision,
                                                                            state: n.state.rawValue, orderId: n.orderId,
                                                                            authorId: caller.principal.userID))
    }

    /// The negotiation as the caller may act on it: the conversation's access decides.
    static func visible(_ db: Database, _ caller: Caller, _ id: String, _ action: Action) throws -> (Negotiation, TalkAccess.Seen) {
        guard let n = try NegotiationRows.negotiation(db, id) else { throw AppError.notFound("Negotiation") }
        do { return (n, try TalkAccess.conversation(db, caller, n.conversationId, action)) } catch let e as AppError where e.code == .notFound {
            throw AppError.notFound("Negotiation")
        }
    }

    /// What an act on a revision needs: the negotiation, the revision, who acts and on which side —
    /// after `NegotiationRules` allowed `act` (else its error: 409 with the current revision, 403).
    static func acting(_ db: Database, _ caller: Caller, _ id: String, revision: Int, _ act: NegotiationRules.Act, now: Date) throws
        -> (negotiation: Negotiation, revision: OfferRevision, seen: TalkAccess.Seen, side: TradeSide) {
        let (n, seen) = try visible(db, caller, id, .conversationsWrite)
        guard let current = n.revisions.first(where: { $0.revision == revision }) else { throw AppError.notFound("Revision") }
        let side = seen.side ?? .buyer
        if let error = NegotiationRules.check(act, revision: current, latest: n.revision, by: side, now: now) { throw error }
        return (n, current, seen, side)
    }

    public func negotiation(_ caller: Caller, id: String) async throws -> Negotiation {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in try Self.visible(db, caller, id, .conversationsRead).0 }
        }
    }

    public func negotiations(_ caller: Caller, conversationID: String) async throws -> [Negotiation] {
        let tenant = try caller.tenant()
        return try await mapErrors(stats) {
            try await tenants.read(tenant) { db in
                _ = try TalkAccess.conversation(db, caller, conversationID)
                return try String.fetchAll(db, sql: "SELECT id FROM negotiations WHERE conversation_id = ? ORDER BY created_at, id", arguments: [conversationID])
                    .compactMap { try NegotiationRows.negotiation(db, $0) }
            }
        }
    }

    public func counter(_ caller: Caller, id: String, revision: Int, _ input: OfferInput, idempotency: IdempotencyKey?) async throws -> Negotiation {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let (n, current, seen, side) = try Self.acting(db, caller, id, revision: revision, .counter, now: now)
                    var next = try Self.priced(db, input, negotiation: id, number: n.revision + 1, side: side, buyer: n.buyerBusinessId,
                                               seller: n.sellerBusinessId, facts: seen.facts, caller: caller, now: now, currency: n.currency)
                    next.changes = NegotiationRules.changes(from: current, to: next)
                    next.messageId = Identifier.make(now: now)
                    try db.execute(sql: "UPDATE offer_revisions SET state = 'superseded' WHERE negotiation_id = ? AND revision = ?", arguments: [id, current.revision])
                    try db.execute(sql: "UPDATE negotiations SET revision = ? WHERE id = ?", arguments: [next.revision, id])
                    try NegotiationRows.insert(db, next)
                    // The superseded card changes (its state); the new revision is a new message.
                    try ConversationRows.event(db, n.conversationId, .offerRevised, message: current.messageId, now: now)
                    try SQLiteConversationService.insert(db, id: next.messageId, n.conversationId, kind: .offer, caller: caller, text: next.note, replyTo: current.messageId,
                                                         productID: nil, negotiation: (id, next.revision), now: now, analyze: self.analyze)
                    try Self.record(db, caller, id, n.conversationId, revision: next.revision, "offer.revised", now: now)
                    return try NegotiationRows.negotiation(db, id)!
                }
            }
        }
    }

    public func decline(_ caller: Caller, id: String, revision: Int, reason: String?, idempotency: IdempotencyKey?) async throws -> Negotiation {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let (n, current, _, _) = try Self.acting(db, caller, id, revision: revision, .decline, now: now)
                    var v = Validator()
                    let reason = reason.map { v.text("reason", $0, min: 0, max: 500, multiline: true) }?.nilIfEmpty
                    try v.check()
                    try db.execute(sql: """
                        UPDATE offer_revisions SET state = 'declined', decline_reason = ?, decided_by = ?, decided_at = ? WHERE negotiation_id = ? AND revision = ?
                        """, arguments: [reason, caller.principal.name, now, id, revision])
                    try db.execute(sql: "UPDATE negotiations SET state = 'declined' WHERE id = ?", arguments: [id])
                    try ConversationRows.event(db, n.conversationId, .offerDeclined, message: current.messageId, user: caller.principal.userID, now: now)
                    try Self.record(db, caller, id, n.conversationId, revision: revision, "offer.declined", now: now)
                    return try NegotiationRows.negotiation(db, id)!
                }
            }
        }
    }

    public func requestQuote(_ caller: Caller, buyerBusinessID: String, sellerBusinessID: String, note: String?, idempotency: IdempotencyKey?) async throws -> Negotiation {
        let tenant = try caller.tenant()
        let now = Date()
        return try await mapErrors(stats) {
            try await tenants.write(tenant) { db in
                _ = try SQLiteOrderService.authorize(db, caller, .ordersPlace, business: buyerBusinessID)
                try SQLiteBusinessService.requireBusiness(db, sellerBusinessID)
                return try IdempotencyRecords.once(db, caller, idempotency, now: now) {
                    let rows = try Row.fetchAll(db, sql: """
                        SELECT product_id, quantity FROM cart_lines WHERE user_id = ? AND buyer_business_id = ? AND seller_business_id = ? ORDER BY updated_at, product_id
                        """, arguments: [caller.principal.userID, buyerBusinessID, sellerBusinessID])
                    guard !rows.isEmpty else { throw AppError.invalidField("seller_business_id", "the cart with this seller is empty") }
                    let key = "t:\(buyerBusinessID):\(sellerBusinessID)"
                    var conversation = try String.fetchOne(db, sql: "SELECT id FROM conversations WHERE subject_key = ?", arguments: [key])
                    if conversation == nil {
                        let id = Identifier.make(now: now)
                        try db.execute(sql: """
                            INSERT INTO conversations (id, kind, buyer_business_id, seller_business_id, subject_key, created_by, created_at)
                            VALUES (?, 'trade', ?, ?, ?, ?, ?)
                            """, arguments: [id, buyerBusinessID, sellerBusinessID, key, caller.principal.userID, now])
                        try AuditLog.tenant(db, caller.audit, "conversation.opened", target: id, detail: ["subject": key])
                        try Outbox.append(db, topic: "conversation.opened",
                                          payload: ConversationEventPayload(conversationId: id, seq: 0, messageId: nil, authorId: caller.principal.userID))
                        conversation = id
                    }
                    let seen = try TalkAccess.conversation(db, caller, conversation!, .conversationsWrite, side: .buyer)
                    if seen.conversation.state == .archived {
                        try db.execute(sql: "UPDATE conversations SET state = 'open' WHERE id = ?", arguments: [conversation!])
                        try ConversationRows.event(db, conversation!, .reopened, user: caller.principal.userID, now: now)
                    }
                    let input = OfferInput(kind: .rfq, lines: rows.map { OfferInput.Line(productId: $0["product_id"], quantity: $0["quantity"]) }, note: note, side: .buyer)
                    let fresh = try TalkAccess.conversation(db, caller, conversation!, .conversationsWrite, side: .buyer)
                    return try Self.open(db, TalkAccess.Seen(conversation: fresh.conversation, facts: fresh.facts, side: .buyer), caller, input, now: now, analyze: self.analyze)
                }
            }
        }
    }
}
