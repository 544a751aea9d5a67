import Foundation
import Testing
import TradepostCore
@testable import TradepostDatabase

/// The product's JSON columns have a fast reader; it must agree with JSONDecoder on everything
/// this module writes, and step aside (nil) for anything else.
@Suite("Product JSON columns: the fast reader agrees with JSONDecoder")
struct ProductJSONColumnsTests {
    @Test func attributesReadTheSameEitherWay() throws {
        let samples: [[String: AttributeValue]] = [
            ["strength_mg": .number("500"), "rx": .bool(false), "форма_випуску": .text("таблетки")],
            ["dose": .number("12.5"), "neg": .number("-3"), "big": .number("12345678901234567890"), "yes": .bool(true)],
            ["text": .text("a, b: {c} [d]"), "empty": .text(""), "slash": .text("https://a.example/b"), "quote": .text("say \"hi\" \\o/")],
        ]
        for sample in samples {
            let text = String(decoding: try Product.encoder.encode(sample), as: UTF8.self)
            let slow = try Product.decoder.decode([String: AttributeValue].self, from: Data(text.utf8))
            #expect(Product.fastAttributes(text) == slow, "\(text)")
        }
        // Escapes and unusual forms are left to JSONDecoder.
        #expect(Product.fastAttributes(#"{"q":"line\nbreak"}"#) == nil)
        #expect(Product.fastAttributes(#"{"e":1e3}"#) == nil)
        #expect(Product.fastAttributes(#"{"a":1"#) == nil)
    }

    /// Numbers that skip Decimal must be exactly those Decimal prints back unchanged.
    @Test func plainIntegersAreWhatDecimalPrintsBack() throws {
        let plain = ["0", "7", "-3", "500", "123456789012345678", "-123456789012345678"]
        let other = ["", "-", "-0", "007", "00", "1.50", "0.25", "1e3", "+5", "12a", "1234567890123456789", " 5"]
        for text in plain {
            #expect(AttributeValue.isPlainInteger(text.utf8), "\(text)")
            #expect(Decimal(string: text)?.description == text, "\(text)")
        }
        for text in other { #expect(!AttributeValue.isPlainInteger(text.utf8), "\(text)") }
        // Raw stored text in any of these forms reads as JSONDecoder reads it.
        for number in plain + ["-0", "1.50", "0.25", "1234567890123456789"] {
            let text = #"{"n":"# + number + "}"
            let slow = try Product.decoder.decode([String: AttributeValue].self, from: Data(text.utf8))
            #expect(Product.fastAttributes(text) == slow, "\(text)")
        }
    }

    @Test func tiersReadTheSameEitherWay() throws {
        let tiers = [PriceTier(minQuantity: 10, price: Money(minor: 900, currency: "UAH")),
                     PriceTier(minQuantity: 100, price: Money(minor: -5, currency: "UAH"))]
        let text = Product.tiersJSON(tiers)
        let fast = try #require(Product.fastTiers(text))
        let slow = try Product.decoder.decode([Product.StoredTier].self, from: Data(text.utf8))
        #expect(fast.map(\.q) == slow.map(\.q) && fast.map(\.p) == slow.map(\.p))
        #expect(Product.fastTiers(#"[{"q":10,"p":900}]"#) == nil)  // not the canonical order: the long way
        #expect(Product.fastTiers("[{\"p\":99999999999999999999,\"q\":1}]") == nil)
    }
}
