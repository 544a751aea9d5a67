import Testing
import TradepostCore

@Suite("Discounts: percent per line, fixed amounts split exactly")
struct DiscountMathTests {
    @Test func aPercentIsRoundedPerLineHalfAwayFromZero() {
        // 10 % of 4.25 is 0.425 → 0.43; of 0.05 → 0.005 → 0.01; lines the code does not cover get nothing.
        #expect(DiscountMath.split([425, 5, 0, 1000], percent: TaxRate(basisPoints: 1000), fixed: nil) == [43, 1, 0, 100])
    }

    @Test func aFixedAmountIsSplitInProportionAndAddsUpExactly() {
        // 10.00 over 1.00, 1.00, 1.00: 3.33 each and the cent left to the first of the largest.
        #expect(DiscountMath.split([100, 100, 100], percent: nil, fixed: 1000) == [100, 100, 100])   // capped at the lines' sum
        #expect(DiscountMath.split([1000, 1000, 1000], percent: nil, fixed: 1000) == [334, 333, 333])
        #expect(DiscountMath.split([5000, 0, 2500], percent: nil, fixed: 1001) == [668, 0, 333])
        for fixed in [1, 7, 99, 1001, 12_345] {
            let shares = DiscountMath.split([777, 1234, 5, 0, 98_765], percent: nil, fixed: Int64(fixed))
            #expect(shares.reduce(0, +) == Int64(fixed) && shares[3] == 0)
        }
    }
}
