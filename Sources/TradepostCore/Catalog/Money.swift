import Foundation

/// An exact amount of money: integer minor units (kopecks, cents) and its ISO 4217 currency.
/// Never a floating-point number; JSON carries it as a decimal string ("12.50") beside the currency.
public struct Money: Codable, Sendable, Hashable, Comparable {
    public var minor: Int64
    public var currency: String

    public init(minor: Int64, currency: String) {
        self.minor = minor
        self.currency = currency
    }

    public static func < (a: Money, b: Money) -> Bool { a.minor < b.minor }

    /// On the wire: `{"amount": "12.50", "currency": "UAH"}` — a decimal string, never a float.
    enum CodingKeys: String, CodingKey { case amount, currency }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let currency = try c.decode(String.self, forKey: .currency)
        let amount = try c.decode(String.self, forKey: .amount)
        guard let money = Money.parse(amount, currency: currency) else {
            throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "is not an amount in \(currency)")
        }
        self = money
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decimal, forKey: .amount)
        try c.encode(currency, forKey: .currency)
    }

    /// Digits after the decimal point for a currency (ISO 4217 exponents; 2 unless listed).
    public static func exponent(_ currency: String) -> Int {
        switch currency {
        case "JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "VUV", "XPF", "DJF", "BIF":
            return 0
        case "BHD", "KWD", "OMR", "JOD", "IQD", "LYD", "TND":
            return 3
        default:
            return 2
        }
    }

    public static func isCurrency(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    }

    /// Parses "12.5", "12,50" or "1 234.00" exactly. Nil when it is not a plain non-negative decimal,
    /// has more fraction digits than the currency allows, or exceeds 10^15 major units.
    public static func parse(_ text: String, currency: String) -> Money? {
        let digits = exponent(currency)
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenSeparator = false
        var seenDigit = false
        for ch in text.trimmed().unicodeScalars {
            switch ch {
            case "0"..."9":
                let d = Int64(ch.value - 48)
                seenDigit = true
                if seenSeparator {
                    fractionDigits += 1
                    guard fractionDigits <= digits else { return nil }
                    fraction = fraction * 10 + d
                } else {
                    guard whole < 1_000_000_000_000_000 else { return nil }
                    whole = whole * 10 + d
                }
            case ".", ",":
                guard !seenSeparator, seenDigit else { return nil }
                seenSeparator = true
            case " ", "\u{00A0}", "\u{202F}", "'":
                guard !seenSeparator else { return nil }
            default:
                return nil
            }
        }
        guard seenDigit, whole <= 1_000_000_000_000_000 else { return nil }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        for _ in fractionDigits..<digits { fraction *= 10 }
        return Money(minor: whole * scale + fraction, currency: currency)
    }

    /// "12.50" — the decimal text with exactly the currency's number of fraction digits.
    public var decimal: String {
        let digits = Money.exponent(currency)
        guard digits > 0 else { return String(minor) }
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        var scale: UInt64 = 1
        for _ in 0..<digits { scale *= 10 }
        let fraction = String(magnitude % scale)
        return "\(sign)\(magnitude / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }

    /// `self × quantity`, or nil on overflow.
    public func times(_ quantity: Int64) -> Money? {
        let (value, overflow) = minor.multipliedReportingOverflow(by: quantity)
        return overflow ? nil : Money(minor: value, currency: currency)
    }
}
