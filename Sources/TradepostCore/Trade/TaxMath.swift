import Foundation

/// A tax rate in hundredths of a percent ("20" → 2000, "7.5" → 750): exact, like money.
public struct TaxRate: Codable, Sendable, Hashable, Comparable {
    public var basisPoints: Int64

    public init(basisPoints: Int64) { self.basisPoints = basisPoints }

    public static let zero = TaxRate(basisPoints: 0)
    public static func < (a: TaxRate, b: TaxRate) -> Bool { a.basisPoints < b.basisPoints }

    /// Parses "20", "7.5" or "0,5" (percent, at most two decimals, 0–100). Nil otherwise.
    public static func parse(_ text: String) -> TaxRate? {
        guard let money = Money.parse(text, currency: "XXX"), money.minor <= 10_000 else { return nil }
        return TaxRate(basisPoints: money.minor)
    }

    /// "20", "7.5", "0.25": the percent without trailing zeros.
    public var percent: String {
        let whole = basisPoints / 100, fraction = basisPoints % 100
        if fraction == 0 { return String(whole) }
        return fraction % 10 == 0 ? "\(whole).\(fraction / 10)" : "\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let rate = TaxRate.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "is not a percent from 0 to 100"))
        }
        self = rate
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(percent)
    }
}

/// A line's money: net, tax and gross in minor units.
public struct LineAmounts: Sendable, Equatable {
    public var net: Int64
    public var tax: Int64
    public var gross: Int64

    public init(net: Int64, tax: Int64, gross: Int64) {
        self.net = net
        self.tax = tax
        self.gross = gross
    }
}

/// The one rounding rule, stated once: **tax is computed per line and rounded half away from zero to
/// the currency's minor unit**; totals are sums of the rounded lines, and tax per rate is the sum of
/// its lines' tax. When the seller's prices include tax, a line's gross is price × quantity and its
/// tax is gross × rate / (100 % + rate); otherwise its net is price × quantity and its tax is
/// net × rate. Integer arithmetic throughout; overflow is refused, never wrapped.
public enum TaxMath {
    public static func line(unitMinor: Int64, quantity: Int64, rate: TaxRate, pricesIncludeTax: Bool) throws -> LineAmounts {
        let (amount, overflow) = unitMinor.multipliedReportingOverflow(by: quantity)
        // The tax step multiplies the amount by up to 20 000 (100 % plus the rate, in basis points).
        guard !overflow, !amount.multipliedReportingOverflow(by: 20_000).overflow else {
            throw AppError.invalidField("quantity", "makes the line's amount too large")
        }
        if pricesIncludeTax {
            let tax = divideRounded(amount * rate.basisPoints, by: 10_000 + rate.basisPoints)
            return LineAmounts(net: amount - tax, tax: tax, gross: amount)
        }
        let tax = divideRounded(amount * rate.basisPoints, by: 10_000)
        return LineAmounts(net: amount, tax: tax, gross: amount + tax)
    }

    /// The line rule for an amount already multiplied out (a discounted line, part of a line):
    /// `amount` is gross when prices include tax, else net.
    public static func amount(_ amount: Int64, rate: TaxRate, pricesIncludeTax: Bool) throws -> LineAmounts {
        try line(unitMinor: amount, quantity: 1, rate: rate, pricesIncludeTax: pricesIncludeTax)
    }

    /// `a / b` rounded half away from zero (b > 0).
    public static func divideRounded(_ a: Int64, by b: Int64) -> Int64 {
        let q = a / b, r = a % b
        if 2 * abs(r) >= b { return q + (a < 0 ? -1 : 1) }
        return q
    }

    /// Net and tax per rate, highest rate first.
    public static func byRate(_ lines: [(rate: TaxRate, amounts: LineAmounts)]) -> [(rate: TaxRate, net: Int64, tax: Int64)] {
        var sums: [TaxRate: (Int64, Int64)] = [:]
        for line in lines {
            let sum = sums[line.rate] ?? (0, 0)
            sums[line.rate] = (sum.0 + line.amounts.net, sum.1 + line.amounts.tax)
        }
        return sums.keys.sorted(by: >).map { ($0, sums[$0]!.0, sums[$0]!.1) }
    }
}
