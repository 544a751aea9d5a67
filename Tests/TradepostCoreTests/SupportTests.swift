import Foundation
import Testing
@testable import TradepostCore

@Suite("Identifiers, pages and validation")
struct SupportTests {
    @Test func identifiersAreWellFormedAndTimeOrdered() {
        let early = Identifier.make(now: Date(timeIntervalSince1970: 1_700_000_000))
        let late = Identifier.make(now: Date(timeIntervalSince1970: 1_700_000_001))
        #expect(early.count == 26)
        #expect(Identifier.isValid(early))
        #expect(early < late)
        #expect(Set((0..<1000).map { _ in Identifier.make() }).count == 1000)
        #expect(!Identifier.isValid("../../etc/passwd"))
        #expect(!Identifier.isValid(early.uppercased()))
    }

    /// A sequence's ids climb by one from a random start, carrying across bytes, and keep the time.
    @Test func identifierSequencesIncreaseAndCarry() {
        struct AllOnes: RandomNumberGenerator { mutating func next() -> UInt64 { .max } }
        var ones = AllOnes()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var sequence = Identifier.Sequence(now: now, using: &ones)
        let ids = (0..<5).map { _ in sequence.next() }
        #expect(ids.allSatisfy(Identifier.isValid))
        #expect(ids == ids.sorted() && Set(ids).count == 5)
        #expect(ids.allSatisfy { $0.prefix(9) == Identifier.make(now: now).prefix(9) })
        // 0x…7fff…ffff then the carry: the low two bytes were all ones, so the second id ends in zeros.
        #expect(ids[0].hasSuffix("zzz") && ids[1].hasSuffix("000"))
        var random = Identifier.Sequence(now: now)
        let many = (0..<10_000).map { _ in random.next() }
        #expect(many == many.sorted() && Set(many).count == 10_000)
    }

    /// The shortcut for white space agrees with Unicode's property for every scalar, and trimming uses it.
    @Test func whiteSpaceShortcutMatchesUnicode() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.isSpace != scalar.properties.isWhitespace { Issue.record("U+\(String(value, radix: 16)) disagrees") }
        }
        #expect("\u{A0} Аспірин\u{2009}\t\n".trimmed() == "Аспірин")
        #expect("\u{3000}".trimmed() == "" && "ёжик".trimmed() == "ёжик" && " a b ".trimmed() == "a b")
    }

    @Test func cursorsRoundTripAndRejectJunk() throws {
        let cursor = Cursor.encode("01abc")
        #expect(Cursor.decode(cursor) == "01abc")
        #expect(Cursor.decode("not a cursor!") == nil)
        #expect(Cursor.decode(String(repeating: "A", count: 600)) == nil)
        #expect(throws: AppError.self) { try PageRequest(limit: "0", cursor: nil) }
        #expect(throws: AppError.self) { try PageRequest(limit: "abc", cursor: nil) }
        #expect(throws: AppError.self) { try PageRequest(limit: nil, cursor: "bogus") }
        #expect(try PageRequest(limit: "10", cursor: cursor) == PageRequest(limit: 10, after: "01abc"))
    }

    @Test func pagesSignalMoreWithTheExtraRow() {
        let page = Page(fetched: ["a", "b", "c"], limit: 2) { $0 }
        #expect(page.items == ["a", "b"])
        #expect(page.nextCursor.flatMap(Cursor.decode) == "b")
        #expect(Page(fetched: ["a", "b"], limit: 2) { $0 }.nextCursor == nil)
    }

    @Test(arguments: [
        ("anna@acme.example", true), ("a@b", true), ("no-at-sign", false), ("two@@x.y", false),
        ("space @x.y", false), ("@x.y", false), ("x@", false), ("x@.y", false),
        ("?qkjy@u6qwfw7z.net*", false), ("x@a..b", false), ("x@-a.b", false), ("x@a-.b", false), ("x@a_b.c", false),
        ("o'brien+orders@apteka.com.ua", true), ("info@аптека.укр", true), (String(repeating: "a", count: 65) + "@x.y", false),
    ])
    func emails(_ email: String, _ valid: Bool) {
        #expect(Validator.isEmail(email) == valid)
    }

    @Test(arguments: [
        ("acme", true), ("acme-pharma-2", true), ("a", false), ("Acme", false), ("2acme", false),
        ("acme-", false), ("ac--me", false), ("acme_x", false), (String(repeating: "a", count: 41), false),
    ])
    func slugs(_ slug: String, _ valid: Bool) {
        #expect(Validator.isSlug(slug) == valid)
    }

    @Test func passwordsAreBoundedByBcryptsLimit() {
        var v = Validator()
        v.password("password", "short")
        v.password("password", String(repeating: "я", count: 40))  // 80 bytes
        v.password("password", "long enough")
        #expect(v.errors.count == 2)
        #expect(Validator.generatePassword().count == 19)
    }

    @Test func validatorReportsEveryField() {
        var v = Validator()
        v.text("name", "   ")
        v.email("email", "nope")
        v.text("city", "ok")
        #expect(throws: AppError.self) { try v.check() }
        #expect(v.errors.map(\.field) == ["name", "email"])
    }

    @Test func listenAddressesParse() throws {
        #expect(try TradepostConfig.parseListen("127.0.0.1:8080") == ("127.0.0.1", 8080))
        #expect(try TradepostConfig.parseListen(":9000") == ("0.0.0.0", 9000))
        #expect(try TradepostConfig.parseListen("[::1]:80") == ("::1", 80))
        #expect(throws: AppError.self) { try TradepostConfig.parseListen("localhost") }
        #expect(throws: AppError.self) { try TradepostConfig.parseListen("h:99999") }
    }

    @Test func configRejectsWeakBcrypt() {
        var config = TradepostConfig()
        config.bcryptCost = 10
        #expect(throws: AppError.self) { try config.validate() }
        config.bcryptCost = 12
        #expect(throws: Never.self) { try config.validate() }
    }

    @Test func anAtFollowedByACombiningMarkIsNotAnAddressAndDoesNotCrash() {
        #expect(!Validator.isEmail("a@\u{301}b.com"))
        #expect(!Validator.isEmail("a\u{301}@\u{301}"))
        #expect(Validator.isEmail("olena@аптека.укр"))
    }
}
