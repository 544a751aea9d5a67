import Foundation

/// A sum written out as on an invoice: the whole units in words, the minor units in digits, e.g.
/// "Одна тисяча двісті тридцять чотири гривні 56 копійок", "Сто одна гривна 01 копейка",
/// "Two thousand five US dollars and 10 cents". Ukrainian and Russian nouns agree with the number
/// (одна/дві гривні, один/два долари); an unknown currency is named by its code.
public enum AmountInWords {
    public static func text(_ money: Money, language: String) -> String {
        let exponent = Money.exponent(money.currency)
        var scale: Int64 = 1
        for _ in 0..<exponent { scale *= 10 }
        let major = money.minor / scale, minor = money.minor % scale
        let names = CurrencyNames.of(money.currency, language: language)
        let minorDigits = exponent == 0 ? "" : String(repeating: "0", count: max(0, exponent - String(minor).count)) + String(minor)
        let text: String
        switch language {
        case "uk", "ru":
            let lexicon = language == "uk" ? Slavic.uk : Slavic.ru
            let words = lexicon.words(major, feminine: names.feminine)
            var out = "\(words) \(lexicon.form(major, names.major))"
            if exponent > 0 { out += " \(minorDigits) \(lexicon.form(minor, names.minor))" }
            text = out
        default:
            var out = "\(English.words(major)) \(major == 1 ? names.major.one : names.major.many)"
            if exponent > 0 { out += " and \(minorDigits) \(minor == 1 ? names.minor.one : names.minor.many)" }
            text = out
        }
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    /// Noun forms: one (1, 21), few (2–4, 22–24), many (0, 5–20, 25…); English uses one and many.
    struct Forms {
        var one: String
        var few: String
        var many: String
        init(_ one: String, _ few: String, _ many: String) { (self.one, self.few, self.many) = (one, few, many) }
    }

    struct CurrencyNames {
        var major: Forms
        var minor: Forms
        /// Whether the major unit is feminine (гривня: одна, дві).
        var feminine: Bool

        static func of(_ code: String, language: String) -> CurrencyNames {
            switch (language, code) {
            case ("uk", "UAH"): CurrencyNames(major: Forms("гривня", "гривні", "гривень"), minor: Forms("копійка", "копійки", "копійок"), feminine: true)
            case ("uk", "USD"): CurrencyNames(major: Forms("долар США", "долари США", "доларів США"), minor: Forms("цент", "центи", "центів"), feminine: false)
            case ("uk", "EUR"): CurrencyNames(major: Forms("євро", "євро", "євро"), minor: Forms("цент", "центи", "центів"), feminine: false)
            case ("uk", "PLN"): CurrencyNames(major: Forms("злотий", "злоті", "злотих"), minor: Forms("грош", "гроші", "грошів"), feminine: false)
            case ("ru", "UAH"): CurrencyNames(major: Forms("гривна", "гривны", "гривен"), minor: Forms("копейка", "копейки", "копеек"), feminine: true)
            case ("ru", "RUB"): CurrencyNames(major: Forms("рубль", "рубля", "рублей"), minor: Forms("копейка", "копейки", "копеек"), feminine: false)
            case ("ru", "USD"): CurrencyNames(major: Forms("доллар США", "доллара США", "долларов США"), minor: Forms("цент", "цента", "центов"), feminine: false)
            case ("ru", "EUR"): CurrencyNames(major: Forms("евро", "евро", "евро"), minor: Forms("цент", "цента", "центов"), feminine: false)
            case ("ru", "PLN"): CurrencyNames(major: Forms("злотый", "злотых", "злотых"), minor: Forms("грош", "гроша", "грошей"), feminine: false)
            case (_, "UAH"): CurrencyNames(major: Forms("hryvnia", "", "hryvnias"), minor: Forms("kopiyka", "", "kopiykas"), feminine: false)
            case (_, "USD"): CurrencyNames(major: Forms("US dollar", "", "US dollars"), minor: Forms("cent", "", "cents"), feminine: false)
            case (_, "EUR"): CurrencyNames(major: Forms("euro", "", "euros"), minor: Forms("cent", "", "cents"), feminine: false)
            case (_, "GBP"): CurrencyNames(major: Forms("pound sterling", "", "pounds sterling"), minor: Forms("penny", "", "pence"), feminine: false)
            case (_, "PLN"): CurrencyNames(major: Forms("zloty", "", "zlotys"), minor: Forms("grosz", "", "groszy"), feminine: false)
            default: CurrencyNames(major: Forms(code, code, code), minor: Forms("/100", "/100", "/100"), feminine: false)
            }
        }
    }

    /// Ukrainian and Russian numerals.
    struct Slavic {
        var zero: String
        var unitsMasculine: [String]
        var unitsFeminine: [String]
        var teens: [String]
        var tens: [String]
        var hundreds: [String]
        var thousand: Forms
        var million: Forms
        var billion: Forms
        var trillion: Forms

        func form(_ n: Int64, _ forms: Forms) -> String {
            let n100 = n % 100, n10 = n % 10
            if (11...14).contains(n100) { return forms.many }
            if n10 == 1 { return forms.one }
            if (2...4).contains(n10) { return forms.few }
            return forms.many
        }

        /// 0…999 in words.
        func triad(_ n: Int, feminine: Bool) -> [String] {
            var out: [String] = []
            if n >= 100 { out.append(hundreds[n / 100]) }
            let rest = n % 100
            if (10...19).contains(rest) { out.append(teens[rest - 10]); return out }
            if rest >= 20 { out.append(tens[rest / 10]) }
            if rest % 10 > 0 { out.append((feminine ? unitsFeminine : unitsMasculine)[rest % 10]) }
            return out
        }

        func words(_ n: Int64, feminine: Bool) -> String {
            guard n > 0 else { return zero }
            var parts: [String] = []
            let groups: [(Int64, Forms, Bool)] = [(1_000_000_000_000, trillion, false), (1_000_000_000, billion, false), (1_000_000, million, false), (1000, thousand, true)]
            var rest = n
            for (size, forms, fem) in groups {
                let count = rest / size
                rest %= size
                guard count > 0 else { continue }
                // Money stops at 10^15 major units, so a group's count is below 1000.
                parts += triad(Int(count % 1000), feminine: fem)
                parts.append(form(count, forms))
            }
            parts += triad(Int(rest), feminine: feminine)
            return parts.joined(separator: " ")
        }

        static let uk = Slavic(
            zero: "нуль",
            unitsMasculine: ["", "один", "два", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять"],
            unitsFeminine: ["", "одна", "дві", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять"],
            teens: ["десять", "одинадцять", "дванадцять", "тринадцять", "чотирнадцять", "п'ятнадцять", "шістнадцять", "сімнадцять", "вісімнадцять", "дев'ятнадцять"],
            tens: ["", "", "двадцять", "тридцять", "сорок", "п'ятдесят", "шістдесят", "сімдесят", "вісімдесят", "дев'яносто"],
            hundreds: ["", "сто", "двісті", "триста", "чотириста", "п'ятсот", "шістсот", "сімсот", "вісімсот", "дев'ятсот"],
            thousand: Forms("тисяча", "тисячі", "тисяч"), million: Forms("мільйон", "мільйони", "мільйонів"),
            billion: Forms("мільярд", "мільярди", "мільярдів"), trillion: Forms("трильйон", "трильйони", "трильйонів"))

        static let ru = Slavic(
            zero: "ноль",
            unitsMasculine: ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
            unitsFeminine: ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"],
            teens: ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"],
            tens: ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"],
            hundreds: ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"],
            thousand: Forms("тысяча", "тысячи", "тысяч"), million: Forms("миллион", "миллиона", "миллионов"),
            billion: Forms("миллиард", "миллиарда", "миллиардов"), trillion: Forms("триллион", "триллиона", "триллионов"))
    }

    enum English {
        static let units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                            "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
        static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

        static func triad(_ n: Int) -> [String] {
            var out: [String] = []
            if n >= 100 { out += [units[n / 100], "hundred"] }
            let rest = n % 100
            if rest >= 20 { out.append(rest % 10 == 0 ? tens[rest / 10] : "\(tens[rest / 10])-\(units[rest % 10])") }
            else if rest > 0 { out.append(units[rest]) }
            return out
        }

        static func words(_ n: Int64) -> String {
            guard n > 0 else { return "zero" }
            var parts: [String] = []
            var rest = n
            for (size, name) in [(Int64(1_000_000_000_000), "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1000, "thousand")] {
                let count = rest / size
                rest %= size
                if count > 0 { parts += triad(Int(count % 1000)) + [name] }
            }
            parts += triad(Int(rest))
            return parts.joined(separator: " ")
        }
    }
}
