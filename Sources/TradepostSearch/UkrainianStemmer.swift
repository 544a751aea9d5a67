/// A light Ukrainian stemmer: strips the reflexive suffix, then the longest inflectional ending of
/// nouns, adjectives and verbs, never leaving fewer than two letters after the first vowel.
/// Light by design: it conflates a word's inflections without merging unrelated words.
enum UkrainianStemmer {
    typealias Word = [Unicode.Scalar]

    static let vowels: Set<Unicode.Scalar> = ["а", "е", "и", "і", "ї", "о", "у", "ю", "я", "є"]
    static let reflexive = RussianStemmer.endings(["ся", "сь", "ці"])
    static let endings = RussianStemmer.endings([
        // adjectives and participles
        "ими", "іми", "ого", "ому", "ему", "ій", "ий", "ої", "ою", "ею", "их", "іх", "ім", "им", "ая", "яя", "ого",
        "ові", "еві", "єві", "ами", "ями", "ах", "ях", "ам", "ям", "ом", "ем", "ів", "їв", "ей",
        // verbs
        "ити", "ати", "іти", "яти", "ить", "ать", "ять", "уть", "ють", "ете", "ите", "емо", "имо", "ала", "ила", "ало", "ило",
        "али", "или", "ув", "ав", "ив", "ти", "ть", "ла", "ли", "ло",
        // short endings last
        "а", "я", "о", "е", "и", "і", "ї", "у", "ю", "є", "ь", "й",
    ])

    static func stem(_ input: Word) -> String {
        var word = input
        guard let firstVowel = word.firstIndex(where: { vowels.contains($0) }) else { return String(String.UnicodeScalarView(word)) }
        let minimum = max(firstVowel + 2, 3)
        for ending in reflexive where RussianStemmer.hasSuffix(word, ending, from: minimum) {
            word.removeLast(ending.count)
            break
        }
        for ending in endings where RussianStemmer.hasSuffix(word, ending, from: minimum) {
            word.removeLast(ending.count)
            break
        }
        return String(String.UnicodeScalarView(word))
    }
}
