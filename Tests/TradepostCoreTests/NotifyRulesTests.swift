import Foundation
import Testing
import TradepostCore

@Suite("Notification kinds, words, quiet hours and the webhook retry schedule")
struct NotifyRulesTests {
    @Test func everyKindHasWordsInEveryLanguageAndEveryPlaceholderIsFilled() {
        let fields = ["number": "FARM-1", "order_number": "FARM-1", "balance": "10.00 UAH", "author_name": "Ann", "excerpt": "hi", "revision": "2",
                      "name": "Aspirin", "sku": "ASP", "reason": "why", "available": "3", "threshold": "5", "type": "t", "error": "e", "tenant": "Acme"]
        for kind in NotificationKinds.all {
            for locale in NotificationText.locales {
                let words = NotificationText.render(kind.name, locale: locale, fields: fields)
                #expect(words.title != kind.name, "\(kind.name) has no \(locale) title")
                #expect(!words.title.contains("{") && !words.body.contains("{"), "\(kind.name) \(locale): \(words)")
            }
        }
        #expect(Set(NotificationKinds.all.map(\.name)).count == NotificationKinds.all.count)
        #expect(NotificationText.render("order.placed", locale: "de", fields: ["number": "7"]).title == "New order 7")
    }

    @Test func inAppIsAlwaysOnByDefaultAndFieldsFlattenMoney() {
        #expect(NotificationKinds.all.allSatisfy { $0.defaultChannels.contains(.inApp) })
        let f = NotificationKinds.fields(#"{"order_id":"o1","balance":{"amount":"12.50","currency":"UAH"},"revision":3,"nested":[1]}"#)
        #expect(f == ["order_id": "o1", "balance": "12.50 UAH", "revision": "3"])
        #expect(NotificationKinds.byName["order.placed"]!.link(f) == "/orders/o1")
    }

    @Test func defaultsFollowTheRole() {
        #expect(NotificationRole.of(.owner, .salesperson, managesABusiness: false) == .admin)
        #expect(NotificationRole.of(.member, .salesperson, managesABusiness: true) == .salesperson)
        #expect(NotificationRole.of(.member, .member, managesABusiness: true) == .manager)
        #expect(NotificationRole.of(.member, .member, managesABusiness: false) == .member)
        let placed = NotificationKinds.byName["order.placed"]!, overdue = NotificationKinds.byName["invoice.overdue"]!
        let message = NotificationKinds.byName["message.created"]!, rejected = NotificationKinds.byName["product.rejected"]!
        #expect(placed.defaults(for: .manager) == [.inApp, .email, .telegram])
        #expect(placed.defaults(for: .member) == [.inApp, .email, .telegram])
        #expect(placed.defaults(for: .salesperson) == [.inApp, .email, .telegram])
        let paid = NotificationKinds.byName["payment.recorded"]!, shipped = NotificationKinds.byName["order.shipped"]!
        #expect(paid.defaults(for: .member) == [.inApp, .telegram] && paid.defaults(for: .manager) == [.inApp, .email, .telegram])
        #expect(shipped.defaults(for: .salesperson) == [.inApp, .telegram] && shipped.defaults(for: .member) == [.inApp, .email, .telegram])
        #expect(overdue.defaults(for: .member) == [.inApp, .email, .telegram], "urgent news is mailed to everyone who hears it")
        #expect(rejected.defaults(for: .salesperson) == [.inApp, .telegram])
        #expect(message.defaults(for: .admin) == [.inApp, .telegram])
        for kind in NotificationKinds.all {
            for role in NotificationRole.allCases {
                #expect(kind.defaults(for: role).contains(.inApp) && !kind.defaults(for: role).contains(.sms), "\(kind.name) \(role)")
                #expect(kind.defaults(for: role).isSubset(of: kind.defaults(for: .manager)))
            }
        }
    }

    func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test func quietHoursAcrossMidnightAreReadInTheUsersZone() {
        let kyiv = QuietHours(start: "22:00", end: "07:00", zone: "Europe/Kyiv")!
        // 21:30 UTC in December is 23:30 in Kyiv (UTC+2): held until 07:00 Kyiv = 05:00 UTC next day.
        #expect(kyiv.heldUntil(date("2026-12-04T21:30:00Z")) == date("2026-12-05T05:00:00Z"))
        // 02:00 Kyiv (00:00 UTC): held until 07:00 the same morning.
        #expect(kyiv.heldUntil(date("2026-12-05T00:00:00Z")) == date("2026-12-05T05:00:00Z"))
        // 12:00 Kyiv: not quiet.
        #expect(kyiv.heldUntil(date("2026-12-05T10:00:00Z")) == nil)
        // The same instant is quiet in Kyiv and not in New York (16:30 there).
        let newYork = QuietHours(start: "22:00", end: "07:00", zone: "America/New_York")!
        #expect(newYork.heldUntil(date("2026-12-04T21:30:00Z")) == nil)
        // Summer time moves the end with the clock: 07:00 Kyiv in July is 04:00 UTC.
        #expect(kyiv.heldUntil(date("2026-07-01T23:00:00Z")) == date("2026-07-02T04:00:00Z"))
        // A daytime window does not wrap.
        let lunch = QuietHours(start: "12:00", end: "13:00", zone: "UTC")!
        #expect(lunch.heldUntil(date("2026-12-04T12:30:00Z")) == date("2026-12-04T13:00:00Z"))
        #expect(lunch.heldUntil(date("2026-12-04T13:00:00Z")) == nil)
        #expect(QuietHours(start: "24:00", end: "07:00", zone: "UTC") == nil)
        #expect(QuietHours(start: "7:00", end: "08:00", zone: "UTC") == nil)
        #expect(QuietHours(start: "22:00", end: "07:00", zone: "Mars/Base") == nil)
        #expect(QuietHours(start: "22:00", end: "22:00", zone: "UTC") == nil)
    }

    @Test func theRetryScheduleIsStandardWebhooksWithJitterAndRetryAfter() {
        #expect(WebhookRetry.maxAttempts == 8)
        #expect(WebhookRetry.delay(afterAttempt: 1, jitter: 0) == 5)
        #expect(WebhookRetry.delay(afterAttempt: 2, jitter: 0) == 300)
        #expect(WebhookRetry.delay(afterAttempt: 7, jitter: 0) == 36000)
        #expect(WebhookRetry.delay(afterAttempt: 8, jitter: 0) == nil)
        #expect(WebhookRetry.delay(afterAttempt: 1, jitter: 0.1) == 5.5)
        #expect(WebhookRetry.delay(afterAttempt: 1, jitter: -5) == 4.5)  // jitter is capped at ±10 %
        #expect(WebhookRetry.delay(afterAttempt: 1, retryAfter: 120, jitter: 0) == 120)
        #expect(WebhookRetry.delay(afterAttempt: 3, retryAfter: 120, jitter: 0) == 1800)
        #expect(WebhookRetry.retryAfter("30") == 30)
        #expect(WebhookRetry.retryAfter("999999") == 86400)
        let now = date("2026-12-04T12:00:00Z")
        #expect(WebhookRetry.retryAfter("Fri, 04 Dec 2026 12:01:00 GMT", now: now) == 60)
        #expect(WebhookRetry.retryAfter("soon") == nil && WebhookRetry.retryAfter(nil) == nil)
    }

    @Test func webhookTopicsCoverTheKindsButNotAdminOnlyOnes() {
        #expect(WebhookTopics.all.contains("order.placed") && WebhookTopics.all.contains("invoice.paid") && WebhookTopics.all.contains("webhook.test"))
        #expect(!WebhookTopics.all.contains("job.failed"))
        #expect(Set(WebhookTopics.all).count == WebhookTopics.all.count)
    }

    @Test func smsTextIsGSM7WhenItCanBeAndUCS2ForCyrillic() {
        #expect(SMSText.measure(String(repeating: "a", count: 160)) == (.gsm7, 160, 1))
        #expect(SMSText.measure(String(repeating: "a", count: 161)).segments == 2)
        #expect(SMSText.measure(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSText.measure(String(repeating: "a", count: 307)).segments == 3)
        #expect(SMSText.measure("€[]").units == 6)  // the extension table counts twice
        #expect(SMSText.measure("Привіт") == (.ucs2, 6, 1))
        #expect(SMSText.measure(String(repeating: "ж", count: 70)).segments == 1)
        #expect(SMSText.measure(String(repeating: "ж", count: 71)).segments == 2)
        #expect(SMSText.measure(String(repeating: "ж", count: 135)).segments == 3)
        let cut = SMSText.fit(String(repeating: "ж", count: 500), segments: 2)
        #expect(SMSText.measure(cut).segments == 2 && cut.hasSuffix("…") && cut.count == 134)
        #expect(SMSText.fit("short", segments: 1) == "short")
    }
}
