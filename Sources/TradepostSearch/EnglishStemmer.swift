/// Steps 1a–1c of the Porter stemmer and its commonest derivational suffixes: plurals, -ed, -ing,
/// -ly, -ness, -ation. Enough to match "tablets"/"tablet", "coated"/"coating"/"coat".
enum EnglishStemmer {
    static func stem(_ input: [Unicode.Scalar]) -> String {
        var w = String(String.UnicodeScalarView(input))
        guard w.count > 3 else { return w }
        // 1a
        if w.hasSuffix("sses") { w.removeLast(2) }
        else if w.hasSuffix("ies") { w.removeLast(2) }
        else if w.hasSuffix("ss") || w.hasSuffix("us") || w.hasSuffix("is") {}
        else if w.hasSuffix("s"), w.count > 3 { w.removeLast() }
        // 1b
        if w.hasSuffix("eed") {
            if measure(String(w.dropLast(3))) > 0 { w.removeLast() }
        } else if let suffix = ["ingly", "edly", "ing", "ed"].first(where: { w.hasSuffix($0) }) {
            let stem = String(w.dropLast(suffix.count))
            if hasVowel(stem), stem.count >= 2 {
                w = stem
                if w.hasSuffix("at") || w.hasSuffix("bl") || w.hasSuffix("iz") {
                    w += "e"
                } else if let last = w.last, w.count >= 2, last == w.dropLast().last, !"lsz".contains(last), !isVowel(last) {
                    w.removeLast()
                } else if measure(w) == 1 && endsCVC(w) {
                    w += "e"
                }
            }
        }
        // 1c
        if w.hasSuffix("y"), w.count > 2, !isVowel(w.dropLast().last!) { w.removeLast(); w += "i" }
        // common derivational endings
        for (suffix, replacement) in [("ational", "ate"), ("ization", "ize"), ("fulness", "ful"), ("iveness", "ive"), ("ousness", "ous"),
                                      ("ness", ""), ("ment", ""), ("ly", "")] where w.hasSuffix(suffix) {
            let stem = String(w.dropLast(suffix.count))
            if measure(stem) > 0 { w = stem + replacement }
            break
        }
        // A final e goes, so "coate" from "coated" and "coat" meet: Porter's step 5a.
        if w.hasSuffix("e") {
            let stem = String(w.dropLast())
            let m = measure(stem)
            if m > 1 || (m == 1 && !endsCVC(stem)) { w.removeLast() }
        }
        return w
    }

    static func isVowel(_ c: Character) -> Bool { "aeiou".contains(c) }

    static func hasVowel(_ s: String) -> Bool { s.contains(where: isVowel) }

    /// Porter's m: the number of vowel–consonant sequences.
    static func measure(_ s: String) -> Int {
        var m = 0
        var previousVowel = false
        for c in s {
            let vowel = isVowel(c)
            if previousVowel && !vowel { m += 1 }
            previousVowel = vowel
        }
        return m
    }

    static func endsCVC(_ s: String) -> Bool {
        let c = Array(s)
        guard c.count >= 3 else { return false }
        let (a, b, d) = (c[c.count - 3], c[c.count - 2], c[c.count - 1])
        return !isVowel(a) && isVowel(b) && !isVowel(d) && !"wxy".contains(d)
    }
}
