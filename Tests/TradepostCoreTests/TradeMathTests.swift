import Testing
@testable import TradepostCore

@Suite("Trade: the order state machine, tax rounding, order numbers, quick order")
struct TradeMathTests {
    /// Every (state, action) pair: exactly these are allowed, and each leads where the table says.
    @Test func theStateMachineAllowsExactlyItsTransitions() {
        let allowed: [OrderState: [OrderAction: OrderState]] = [
            .onHold: [.approve: .placed, .cancel: .cancelled],
            .placed: [.confirm: .confirmed, .cancel: .cancelled],
            .confirmed: [.cancel: .cancelled, .shipPart: .partiallyShipped, .shipAll: .shipped],
            .partiallyShipped: [.shipPart: .partiallyShipped, .shipAll: .shipped],
            .shipped: [.deliver: .delivered],
            .delivered: [.complete: .completed],
            .completed: [:],
            .cancelled: [:],
        ]
        for state in OrderState.allCases {
            for action in OrderAction.allCases {
                #expect(state.after(action) == allowed[state]?[action], "\(state) + \(action)")
                if allowed[state]?[action] == nil {
                    do {
                        _ = try state.next(action)
                        Issue.record("\(state) + \(action) should be refused")
                    } catch let error as AppError {
                        #expect(error.code == .invalidState && error.members == [.init("state", state.rawValue)])
                    } catch { Issue.record("\(error)") }
                }
            }
        }
        #expect(OrderState.allCases.filter(\.isOpen) == [.onHold, .placed, .confirmed, .partiallyShipped])
    }

    struct TaxCase: Sendable, CustomTestStringConvertible {
        var unit: Int64, quantity: Int64, rate: Int64, inclusive: Bool
        var net: Int64, tax: Int64, gross: Int64
        var testDescription: String { "\(unit)×\(quantity) at \(rate)bp \(inclusive ? "incl." : "excl.")" }
    }

    /// Awkward amounts, worked by hand: tax per line, rounded half away from zero.
    static let taxCases: [TaxCase] = [
        TaxCase(unit: 1, quantity: 1, rate: 2000, inclusive: false, net: 1, tax: 0, gross: 1),          // 0.2 → 0
        TaxCase(unit: 3, quantity: 1, rate: 2000, inclusive: false, net: 3, tax: 1, gross: 4),          // 0.6 → 1
        TaxCase(unit: 25, quantity: 1, rate: 2000, inclusive: false, net: 25, tax: 5, gross: 30),
        TaxCase(unit: 5, quantity: 5, rate: 700, inclusive: false, net: 25, tax: 2, gross: 27),         // 1.75 → 2
        TaxCase(unit: 50, quantity: 1, rate: 700, inclusive: false, net: 50, tax: 4, gross: 54),        // 3.5 → 4 (half up)
        TaxCase(unit: 4250, quantity: 3, rate: 2000, inclusive: false, net: 12750, tax: 2550, gross: 15300),
        TaxCase(unit: 999, quantity: 7, rate: 700, inclusive: false, net: 6993, tax: 490, gross: 7483), // 489.51 → 490
        TaxCase(unit: 1000, quantity: 1, rate: 2000, inclusive: true, net: 833, tax: 167, gross: 1000), // 166.67 → 167
        TaxCase(unit: 100, quantity: 1, rate: 700, inclusive: true, net: 93, tax: 7, gross: 100),       // 6.54 → 7
        TaxCase(unit: 107, quantity: 1, rate: 700, inclusive: true, net: 100, tax: 7, gross: 107),
        TaxCase(unit: 1, quantity: 3, rate: 2000, inclusive: true, net: 2, tax: 1, gross: 3),           // 0.5 → 1 (half up)
        TaxCase(unit: 12345, quantity: 11, rate: 0, inclusive: true, net: 135795, tax: 0, gross: 135795),
    ]

    @Test(arguments: taxCases)
    func aLinesTaxIsRoundedHalfAwayFromZero(_ c: TaxCase) throws {
        let line = try TaxMath.line(unitMinor: c.unit, quantity: c.quantity, rate: TaxRate(basisPoints: c.rate), pricesIncludeTax: c.inclusive)
        #expect(line == LineAmounts(net: c.net, tax: c.tax, gross: c.gross))
        #expect(line.net + line.tax == line.gross)
    }

    @Test func totalsAreSumsOfRoundedLinesAndTaxIsGroupedByRate() throws {
        // Three lines of 0.03 at 20 %: each line's tax is 0.01 (0.006 rounded), so the order's is 0.03,
        // not the 0.02 that rounding the sum (0.018) would give. The rule is per line, and stated.
        let lines = try (0..<3).map { _ in (rate: TaxRate(basisPoints: 2000), amounts: try TaxMath.line(unitMinor: 3, quantity: 1, rate: TaxRate(basisPoints: 2000), pricesIncludeTax: false)) }
            + [(rate: TaxRate(basisPoints: 700), amounts: try TaxMath.line(unitMinor: 100, quantity: 2, rate: TaxRate(basisPoints: 700), pricesIncludeTax: false))]
        let byRate = TaxMath.byRate(lines)
        #expect(byRate.map(\.rate.basisPoints) == [2000, 700])
        #expect(byRate.map(\.net) == [9, 200] && byRate.map(\.tax) == [3, 14])
        #expect(TaxMath.divideRounded(-5, by: 2) == -3 && TaxMath.divideRounded(5, by: 2) == 3 && TaxMath.divideRounded(4, by: 3) == 1)
        #expect(throws: AppError.self) { try TaxMath.line(unitMinor: Int64.max / 2, quantity: 3, rate: .zero, pricesIncludeTax: false) }
        #expect(throws: AppError.self) { try TaxMath.line(unitMinor: 1_000_000_000_000_000, quantity: 1, rate: .zero, pricesIncludeTax: false) }
    }

    @Test func taxRatesReadAndPrintAsPercents() {
        #expect(TaxRate.parse("20")?.basisPoints == 2000 && TaxRate.parse("7,5")?.basisPoints == 750 && TaxRate.parse("0.25")?.basisPoints == 25)
        #expect(TaxRate.parse("100.01") == nil && TaxRate.parse("-1") == nil && TaxRate.parse("7.125") == nil && TaxRate.parse("abc") == nil)
        #expect([2000, 750, 25, 0, 1005].map { TaxRate(basisPoints: $0).percent } == ["20", "7.5", "0.25", "0", "10.05"])
    }

    @Test func orderNumbersAreReadableAndPrefixesComeFromTheName() {
        #expect(OrderNumber.format(prefix: "ACME", year: 2026, sequence: 123) == "ACME-2026-000123")
        #expect(OrderNumber.format(prefix: "ACME", year: 2026, sequence: 1_234_567) == "ACME-2026-1234567")
        #expect(OrderNumber.prefix(fromName: "Фарм Опт") == "FARM")
        #expect(OrderNumber.prefix(fromName: "Acme Trading") == "ACME")
        #expect(OrderNumber.prefix(fromName: "Щука") == "SHCH")
        #expect(OrderNumber.prefix(fromName: "1 2 3") == "ORD" && OrderNumber.prefix(fromName: "—") == "ORD")
        #expect(OrderNumber.isPrefix("ACME") && OrderNumber.isPrefix("A1") && !OrderNumber.isPrefix("1A") && !OrderNumber.isPrefix("acme")
                && !OrderNumber.isPrefix("A") && !OrderNumber.isPrefix("ABCDEFGHIJK"))
    }

    @Test func quickOrderReadsSkuAndQuantityLines() {
        let (rows, issues) = QuickOrderResult.parse("PAR-500 20\n\nIBU 200;5\nASP,3\nno quantity\nX\t0\nVIT C 1000 12\n")
        #expect(rows.map(\.sku) == ["PAR-500", "IBU 200", "ASP", "VIT C 1000"] && rows.map(\.quantity) == [20, 5, 3, 12])
        #expect(rows.map(\.line) == [1, 3, 4, 7] && issues.map(\.line) == [5, 6])
    }

    @Test func quickOrderReadsASpreadsheetsCSV() {
        // A header the buyer left in is listed, not guessed at; quoted cells are read as their text.
        let (rows, issues) = QuickOrderResult.parse("\"sku\";\"quantity\"\r\n\"PAR-500\";\"20\"\r\n\"IBU-200\";5\r\n")
        #expect(rows.map(\.sku) == ["PAR-500", "IBU-200"] && rows.map(\.quantity) == [20, 5] && issues.map(\.line) == [1])
    }
}
