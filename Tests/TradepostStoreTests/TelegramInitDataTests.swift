import Foundation
import Testing
@testable import TradepostStore

@Suite("Telegram Mini App init data: HMAC, Ed25519, freshness")
struct TelegramInitDataTests {
    // Made by PyPI's init-data-py (`sign`) with an Ed25519 signature from a test key (private bytes 0…31).
    let token = "7000001:AAH" + String(repeating: "x", count: 32)
    let publicKey = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    let raw = "auth_date=1800000000&query_id=AAH1&signature=tA9VSqGPAnwrPToojwS2TPzrpVMktHwuVAsJpmR2MAL9C7Y-dRtc_7om57cCev4fOvcLxYLVd6S_McSdSMWWDA"
        + "&user=%7B%22id%22%3A42%2C%22first_name%22%3A%22%D0%9E%D0%BB%D0%B5%D0%BD%D0%B0%22%2C%22username%22%3A%22olena%22%7D"
        + "&hash=e57b2cffc60c13dd4e49b4173bf31b8c63c9f50e8ede57a9a740bc3209620862"
    let signedAt = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func goodDataPassesByHashAndSignatureInAnyOrder() throws {
        let data = try TelegramInitData.validate(raw, botToken: token, publicKey: publicKey, maxAge: 86400, now: signedAt.addingTimeInterval(60))
        #expect(data.user.id == 42 && data.user.firstName == "Олена" && data.user.username == "olena")
        let reordered = raw.split(separator: "&").reversed().joined(separator: "&")
        #expect(try TelegramInitData.validate(reordered, botToken: token, publicKey: publicKey, maxAge: 86400, now: signedAt).user.id == 42)
    }

    @Test func tamperedStaleForeignAndMalformedDataAreRefused() {
        func refuse(_ raw: String, token: String? = nil, key: String? = nil, now: Date? = nil) -> TelegramInitData.Failure? {
            do {
                _ = try TelegramInitData.validate(raw, botToken: token ?? self.token, publicKey: key ?? publicKey, maxAge: 86400, now: now ?? signedAt)
                return nil
            } catch { return error as? TelegramInitData.Failure }
        }
        #expect(refuse(raw.replacingOccurrences(of: "AAH1", with: "AAH2")) == .badHash)
        #expect(refuse(raw, token: "7000002:AAH" + String(repeating: "x", count: 32)) == .badHash)
        #expect(refuse(raw, key: String(repeating: "ab", count: 32)) == .badSignature)
        #expect(refuse(raw, now: signedAt.addingTimeInterval(2 * 86400)) == .stale(age: 2 * 86400))
        #expect(refuse(raw + "&query_id=again") == .malformed("query_id appears twice"))
        #expect(refuse("user=%7B%7D&auth_date=1") == .malformed("no hash"))
    }
}
