import Foundation

/// Order numbers people can read out on the phone: `PREFIX-YEAR-000123`, counted per seller and year
/// without gaps (the counter row is taken in the placing transaction, so a rolled-back placement
/// leaves no hole).
public enum OrderNumber {
    public static func format(prefix: String, year: Int, sequence: Int64) -> String {
        let digits = String(sequence)
        return "\(prefix)-\(year)-\(String(repeating: "0", count: max(0, 6 - digits.count)))\(digits)"
    }

    /// A prefix is 2–10 capital Latin letters or digits, starting with a letter.
    public static func isPrefix(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (2...10).contains(bytes.count), let first = bytes.first, (65...90).contains(first) else { return false }
        return bytes.allSatisfy { (65...90).contains($0) || (48...57).contains($0) }
    }

    /// The default prefix from a business's name: its first letters in Latin (Cyrillic transliterated
    /// the Ukrainian way), up to four; "ORD" when the name gives fewer than two.
    public static func prefix(fromName name: String) -> String {
        var out = ""
        for ch in name.lowercased() {
            let latin: String
            if let mapped = cyrillic[ch] { latin = mapped }
            else if ch.isASCII && (ch.isLetter || ch.isNumber) { latin = String(ch) }
            else { continue }
            out += latin.uppercased()
            if out.count >= 4 { break }
        }
        out = String(out.prefix(4))
        guard let first = out.first, first.isLetter, out.count >= 2 else { return "ORD" }
        return out
    }

    static let cyrillic: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z", "и": "y", "і": "i",
        "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ы": "y", "э": "e",
        "ё": "e", "ъ": "",
    ]
}
