import Foundation
import Testing
import TradepostCore

@Suite("Negotiation and salesperson link rules")
struct NegotiationRulesTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func revision(_ n: Int, kind: OfferRevision.Kind = .offer, side: TradeSide = .seller, state: OfferRevision.State = .open,
                  expires: Date? = nil, lines: [OfferLine] = []) -> OfferRevision {
        OfferRevision(negotiationId: "n", revision: n, kind: kind, side: side, state: state, lines: lines, currency: "UAH", net: nil, tax: nil,
                      gross: nil, expiresAt: expires, deliveryTerms: nil, paymentTerms: nil, note: nil, declineReason: nil, changes: [],
                      messageId: "m", orderId: nil, createdBy: "x", createdAt: now)
    }

    @Test func onlyTheOtherSideAcceptsTheLatestOpenUnexpiredOffer() {
        #expect(NegotiationRules.check(.accept, revision: revision(2), latest: 2, by: .buyer, now: now) == nil)
        #expect(NegotiationRules.check(.accept, revision: revision(2), latest: 2, by: .seller, now: now)?.code == .forbidden)
        let superseded = NegotiationRules.check(.accept, revision: revision(1), latest: 2, by: .buyer, now: now)
        #expect(superseded?.code == .invalidState && superseded?.members.contains(AppError.Member("current_revision", Int64(2))) == true)
        #expect(superseded?.members.contains(AppError.Member("state", "superseded")) == true)
        let expired = NegotiationRules.check(.accept, revision: revision(2, expires: now), latest: 2, by: .buyer, now: now)
        #expect(expired?.members.contains(AppError.Member("state", "expired")) == true)
        #expect(NegotiationRules.check(.accept, revision: revision(2, expires: now.addingTimeInterval(1)), latest: 2, by: .buyer, now: now) == nil)
        #expect(NegotiationRules.check(.accept, revision: revision(1, kind: .rfq, side: .buyer), latest: 1, by: .seller, now: now)?.code == .invalidState)
        for state in [OfferRevision.State.accepted, .declined, .superseded] {
            #expect(NegotiationRules.check(.accept, revision: revision(2, state: state), latest: 2, by: .buyer, now: now)?.code == .invalidState)
        }
    }

    @Test func declineIsTheOtherSidesAndCounterIsEithersOnTheLatestOpenRevision() {
        #expect(NegotiationRules.check(.decline, revision: revision(1), latest: 1, by: .buyer, now: now) == nil)
        #expect(NegotiationRules.check(.decline, revision: revision(1), latest: 1, by: .seller, now: now)?.code == .forbidden)
        #expect(NegotiationRules.check(.counter, revision: revision(3), latest: 3, by: .seller, now: now) == nil)
        #expect(NegotiationRules.check(.counter, revision: revision(3), latest: 3, by: .buyer, now: now) == nil)
        // An expired offer may be answered with a new one, never accepted.
        #expect(NegotiationRules.check(.counter, revision: revision(3, expires: now), latest: 3, by: .buyer, now: now) == nil)
        #expect(NegotiationRules.check(.counter, revision: revision(2), latest: 3, by: .buyer, now: now)?.code == .invalidState)
        #expect(NegotiationRules.check(.counter, revision: revision(3, state: .declined), latest: 3, by: .buyer, now: now)?.code == .invalidState)
    }

    @Test func changesNameEveryDifferenceLineByLineAndInTheTerms() {
        func line(_ id: String, _ q: Int64, _ price: Int64?) -> OfferLine {
            OfferLine(productId: id, sku: id.uppercased(), name: id, quantity: q, unitPrice: price.map { Money(minor: $0, currency: "UAH") },
                      taxRate: .zero, gross: nil)
        }
        var before = revision(1, lines: [line("a", 10, 4000), line("b", 5, 100)])
        before.deliveryTerms = "Friday"
        var after = revision(2, lines: [line("a", 20, 3800), line("c", 1, 50)])
        after.deliveryTerms = "Monday"
        let changes = NegotiationRules.changes(from: before, to: after)
        #expect(changes == [
            OfferChange(field: .quantity, sku: "A", before: "10", after: "20"),
            OfferChange(field: .unitPrice, sku: "A", before: "40.00", after: "38.00"),
            OfferChange(field: .added, sku: "C", before: nil, after: "1"),
            OfferChange(field: .removed, sku: "B", before: "5", after: nil),
            OfferChange(field: .deliveryTerms, sku: nil, before: "Friday", after: "Monday"),
        ])
        #expect(NegotiationRules.changes(from: nil, to: after).isEmpty)
        #expect(NegotiationRules.changes(from: after, to: after).isEmpty)
    }

    @Test func salespersonLinksMoveOnlyAlongTheirEdges() {
        typealias L = SalespersonLink
        #expect(L.after(.requested, .approve, by: .manager) == .active)
        #expect(L.after(.requested, .approve, by: .admin) == .active)
        #expect(L.after(.requested, .approve, by: .salesperson) == nil)
        #expect(L.after(.requested, .refuse, by: .manager) == .refused)
        #expect(L.after(.requested, .refuse, by: .salesperson) == nil)
        for party in [L.Party.salesperson, .manager, .admin] {
            #expect(L.after(.active, .revoke, by: party) == .revoked)
            #expect(L.after(.requested, .revoke, by: party) == .revoked)
            for state in [L.State.refused, .revoked] {
                for act in L.Act.allCases { #expect(L.after(state, act, by: party) == nil) }
            }
            #expect(L.after(.active, .approve, by: party) == nil)
            #expect(L.after(.active, .refuse, by: party) == nil)
        }
    }
}
