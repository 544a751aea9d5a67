import Testing
import TradepostCore

@Suite("Amounts in words: Ukrainian and Russian agreement, English hyphens, every exponent")
struct AmountInWordsTests {
    func words(_ minor: Int64, _ currency: String, _ language: String) -> String {
        AmountInWords.text(Money(minor: minor, currency: currency), language: language)
    }

    @Test func ukrainianNounsAgreeWithTheNumber() {
        #expect(words(0, "UAH", "uk") == "Нуль гривень 00 копійок")
        #expect(words(100, "UAH", "uk") == "Одна гривня 00 копійок")
        #expect(words(201, "UAH", "uk") == "Дві гривні 01 копійка")
        #expect(words(500, "UAH", "uk") == "П'ять гривень 00 копійок")
        #expect(words(1_122, "UAH", "uk") == "Одинадцять гривень 22 копійки")
        #expect(words(2_111, "UAH", "uk") == "Двадцять одна гривня 11 копійок")
        #expect(words(123_456, "UAH", "uk") == "Одна тисяча двісті тридцять чотири гривні 56 копійок")
        #expect(words(2_000_000_00, "UAH", "uk") == "Два мільйони гривень 00 копійок")
        #expect(words(21_014_000_00, "UAH", "uk") == "Двадцять один мільйон чотирнадцять тисяч гривень 00 копійок")
        #expect(words(200, "USD", "uk") == "Два долари США 00 центів")
        #expect(words(312_00, "EUR", "uk") == "Триста дванадцять євро 00 центів")
    }

    @Test func russianNounsAgreeWithTheNumber() {
        #expect(words(10_101, "UAH", "ru") == "Сто одна гривна 01 копейка")
        #expect(words(200, "RUB", "ru") == "Два рубля 00 копеек")
        #expect(words(2_000_00, "UAH", "ru") == "Две тысячи гривен 00 копеек")
        #expect(words(5_000_00, "UAH", "ru") == "Пять тысяч гривен 00 копеек")
        #expect(words(1_986_537, "UAH", "ru") == "Девятнадцать тысяч восемьсот шестьдесят пять гривен 37 копеек")
        #expect(words(1_000_000_000_00, "RUB", "ru") == "Один миллиард рублей 00 копеек")
    }

    @Test func englishAndOtherExponents() {
        #expect(words(200_510, "USD", "en") == "Two thousand five US dollars and 10 cents")
        #expect(words(100, "USD", "en") == "One US dollar and 00 cents")
        #expect(words(12_101, "EUR", "en") == "One hundred twenty-one euros and 01 cent")
        #expect(words(1_500, "JPY", "en") == "One thousand five hundred JPY")
        #expect(words(1_005, "KWD", "en") == "One KWD and 005 /100")
        #expect(words(999_999_999_999_999_99, "UAH", "en").hasPrefix("Nine hundred ninety-nine trillion"))
    }
}
