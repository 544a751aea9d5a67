import Foundation
import GRDB
import Testing
import TradepostCore
@testable import TradepostSearch
@testable import TradepostStore
import TradepostTestSupport

@Suite("Business directory search")
struct DirectorySearchTests {
    struct Fixture {
        let store: Store
        let engine: SearchEngine
        let tenant: TenantID
        var ids: [String: String] = [:]
    }

    static func fixture() async throws -> Fixture {
        let store = try await makeStore()
        let (tenant, _) = try await store.tenantWithOwner("acme")
        var f = Fixture(store: store, engine: SearchEngine(tenants: store.tenantDatabases), tenant: tenant.id)
        let rows: [(String, String, BusinessType, String, String?, String?)] = [
            ("west", "Ліки Захід", .wholesaler, "Львів", "вул. Городоцька, 12", "Оптовий склад ліків і вітамінів"),
            ("apteka", "Аптека Здоров'я", .pharmacy, "Київ", nil, "Аптечна мережа з доставкою"),
            ("pharm", "Фармацевтична компанія Здоровье", .importer, "Харків", nil, "Импорт лекарств и витаминов"),
            ("medline", "Medline Distribution", .wholesaler, "Kyiv", "Khreshchatyk 1", "Wholesale pharmaceuticals and vitamins"),
            ("vita", "Вітаміни Опт", .supplier, "Одеса", nil, nil),
        ]
        for (key, name, type, city, address, description) in rows {
            let business = try await store.businesses.createBusiness(.system(tenant.id), BusinessInput(
                name: name, type: type, city: city, address: .some(address), description: .some(description)))
            f.ids[key] = business.id
        }
        return f
    }

    func find(_ f: Fixture, _ query: String, type: BusinessType? = nil, city: String? = nil, verified: Bool? = nil) async throws -> [String] {
        let byID = Dictionary(uniqueKeysWithValues: f.ids.map { ($1, $0) })
        return try await f.engine.businesses(.system(f.tenant), BusinessFilter(query: query, type: type, city: city, verified: verified), PageRequest())
            .items.map { byID[$0.id]! }
    }

    func expectFound(_ f: Fixture, _ query: String, type: BusinessType? = nil, city: String? = nil, verified: Bool? = nil, _ expected: [String],
                     _ why: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let found = try await find(f, query, type: type, city: city, verified: verified)
        #expect(found == expected, "\(query): \(why?.rawValue ?? "")", sourceLocation: sourceLocation)
    }

    @Test func stemsFoldsAndRanksTheNameFirst() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        // Inflected forms meet: вітамінів / вітаміни; the name match comes before description matches.
        try await expectFound(f, "вітамінами", ["vita", "west", "pharm"], "Russian витаминов is two typos away (10 letters), so after the exact ones")
        try await expectFound(f, "vitamin", ["medline"])
        try await expectFound(f, "склад ВІТАМІНІВ", ["west"], "every word must match, case folded")
        try await expectFound(f, "склад Kyiv", [])
        try await expectFound(f, "львов", ["west"], "the Russian spelling is one typo from Львів")
        try await expectFound(f, "здоровья", ["apteka", "pharm"], "an apostrophe joins: Здоров'я stems as здоровья and Здоровье do")
        try await expectFound(f, "городоцька", ["west"], "the address is searched")
    }

    @Test func toleratesTyposAndCompletesTheLastWord() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        try await expectFound(f, "Medlnie", ["medline"], "a swap in a 7-letter word is one typo")
        try await expectFound(f, "фармацевтчина", ["pharm"], "two typos from 9 letters")
        try await expectFound(f, "аптк", [], "no typos below 5 letters")
        try await expectFound(f, "фарм", ["pharm"], "the unfinished last word is a prefix")
        try await expectFound(f, "me", ["medline"], "two typed letters complete in memory")
        try await expectFound(f, "wholesale dist", ["medline"])
    }

    @Test func filtersPagesAndPutsVerifiedFirst() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        try await expectFound(f, "вітаміни", type: .supplier, ["vita"])
        try await expectFound(f, "vitamin", city: "KYIV", ["medline"])
        _ = try await f.store.businesses.setVerified(.system(f.tenant), id: f.ids["west"]!, verified: true)
        try await expectFound(f, "вітаміни", ["vita", "west"], "a better match outranks the verified mark")
        try await expectFound(f, "вітаміни", verified: true, ["west"])
        // Same field and no typos: verified first.
        try await expectFound(f, "склад вітаміни оптовий", ["west"])
        let first = try await f.engine.businesses(.system(f.tenant), BusinessFilter(query: "вітамін"), PageRequest(limit: 1))
        #expect(first.items.count == 1 && first.nextCursor != nil)
        let rest = try await f.engine.businesses(.system(f.tenant), BusinessFilter(query: "вітамін"), PageRequest(limit: 1, after: Cursor.decode(first.nextCursor ?? "")))
        #expect(rest.items.count == 1 && rest.nextCursor == nil && rest.items.first?.id != first.items.first?.id)
        await #expect(throws: AppError.self) {
            try await f.engine.businesses(.system(f.tenant), BusinessFilter(query: "x"), PageRequest(after: "somebody's id"))
        }
        await #expect(throws: AppError.self) {
            try await f.engine.businesses(.system(f.tenant), BusinessFilter(query: String(repeating: "a", count: 201)), PageRequest())
        }
    }

    @Test func followsChangesAndTheVocabularyEvenFromAnotherWriter() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        try await expectFound(f, "дистрибуція", [])
        try await expectFound(f, "компанія здоровье", ["pharm"])
        _ = try await f.store.businesses.updateBusiness(.system(f.tenant), id: f.ids["vita"]!, BusinessInput(name: "Вітамін Дистрибуція"))
        try await expectFound(f, "дистрибуція", ["vita"], "a rename is seen by the next search")
        // A write straight to the file (as the CLI in another process or a restore would make) is seen too.
        try await f.store.tenantDatabases.write(f.tenant) { db in
            try db.execute(sql: "DELETE FROM businesses WHERE id = ?", arguments: [f.ids["vita"]!])
        }
        try await expectFound(f, "дистрибуція", [])
        _ = try await f.engine.setVocabulary(.system(f.tenant), SearchVocabulary(synonyms: [["аптека", "pharmacy"]], stopWords: ["компанія"]))
        try await expectFound(f, "pharmacy", ["apteka"], "synonyms apply")
        try await expectFound(f, "компанія здоровье", ["apteka", "pharm"], "a stop word is left out of the query")
    }

    @Test func aTenantSearchesOnlyItsOwnDirectory() async throws {
        let f = try await Self.fixture()
        defer { Task { await f.store.remove() } }
        let (other, _) = try await f.store.tenantWithOwner("other")
        _ = try await f.store.businesses.createBusiness(.system(other.id), BusinessInput(name: "Medline Other", type: .pharmacy, city: "Kyiv"))
        try await expectFound(f, "medline", ["medline"])
        let theirs = try await f.engine.businesses(.system(other.id), BusinessFilter(query: "medline"), PageRequest())
        #expect(theirs.items.map(\.name) == ["Medline Other"])
    }
}
