/// The Snowball Russian stemmer (Porter's algorithm), on folded text (ё already е).
enum RussianStemmer {
    typealias Word = [Unicode.Scalar]

    static let vowels: Set<Unicode.Scalar> = ["а", "е", "и", "о", "у", "ы", "э", "ю", "я"]

    static func endings(_ list: [String]) -> [Word] {
        list.map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
    }

    static let perfectiveGerund1 = endings(["в", "вши", "вшись"])
    static let perfectiveGerund2 = endings(["ив", "ивши", "ившись", "ыв", "ывши", "ывшись"])
    static let adjective = endings(["ее", "ие", "ые", "ое", "ими", "ыми", "ей", "ий", "ый", "ой", "ем", "им", "ым", "ом", "его", "ого",
                                    "ему", "ому", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"])
    static let participle1 = endings(["ем", "нн", "вш", "ющ", "щ"])
    static let participle2 = endings(["ивш", "ывш", "ующ"])
    static let reflexive = endings(["ся", "сь"])
    static let verb1 = endings(["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"])
    static let verb2 = endings(["ила", "ыла", "ена", "ейте", "уйте", "ите", "или", "ыли", "ей", "уй", "ил", "ыл", "им", "ым", "ен",
                                "ило", "ыло", "ено", "ят", "ует", "уют", "ит", "ыт", "ены", "ить", "ыть", "ишь", "ую", "ю"])
    static let noun = endings(["а", "ев", "ов", "ие", "ье", "е", "иями", "ями", "ами", "еи", "ии", "и", "ией", "ей", "ой", "ий", "й",
                               "иям", "ям", "ием", "ем", "ам", "ом", "о", "у", "ах", "иях", "ях", "ы", "ь", "ию", "ью", "ю", "ия",
                               "ья", "я"])
    static let superlative = endings(["ейш", "ейше"])
    static let derivational = endings(["ост", "ость"])
    static let doubleN: Word = ["н", "н"]

    static func stem(_ input: Word) -> String {
        var word = input
        guard let rvStart = word.firstIndex(where: { vowels.contains($0) }).map({ $0 + 1 }) else {
            return String(String.UnicodeScalarView(word))
        }
        let r2 = region2(word)
        // Step 1
        if !removeGerund(&word, rvStart) {
            _ = remove(&word, reflexive, from: rvStart)
            if !removeAdjectival(&word, rvStart) {
                if !removePreceded(&word, verb1, rvStart) && !remove(&word, verb2, from: rvStart) {
                    _ = remove(&word, noun, from: rvStart)
                }
            }
        }
        // Step 2
        if word.count > rvStart, word.last == "и" { word.removeLast() }
        // Step 3
        _ = remove(&word, derivational, from: r2)
        // Step 4
        if hasSuffix(word, doubleN, from: rvStart) {
            word.removeLast()
        } else if remove(&word, superlative, from: rvStart) {
            if hasSuffix(word, doubleN, from: rvStart) { word.removeLast() }
        } else if word.count > rvStart, word.last == "ь" {
            word.removeLast()
        }
        return String(String.UnicodeScalarView(word))
    }

    static func region2(_ word: Word) -> Int {
        func next(after start: Int) -> Int {
            var i = start
            while i + 1 < word.count {
                if vowels.contains(word[i]) && !vowels.contains(word[i + 1]) { return i + 2 }
                i += 1
            }
            return word.count
        }
        return next(after: next(after: 0))
    }

    /// Compares in place: this runs for every ending of every word indexed, so it must not allocate.
    static func hasSuffix(_ word: Word, _ ending: Word, from start: Int) -> Bool {
        let offset = word.count - ending.count
        guard offset >= start, offset >= 0 else { return false }
        for i in 0..<ending.count where word[offset + i] != ending[i] { return false }
        return true
    }

    /// Removes the longest ending in the region; true when one was removed.
    static func remove(_ word: inout Word, _ list: [Word], from start: Int) -> Bool {
        for ending in list where hasSuffix(word, ending, from: start) {
            word.removeLast(ending.count)
            return true
        }
        return false
    }

    /// Group-1 endings count only after а or я (which stays).
    static func removePreceded(_ word: inout Word, _ list: [Word], _ start: Int) -> Bool {
        for ending in list where hasSuffix(word, ending, from: start) {
            let before = word.count - ending.count - 1
            if before >= start, word[before] == "а" || word[before] == "я" {
                word.removeLast(ending.count)
                return true
            }
        }
        return false
    }

    static func removeGerund(_ word: inout Word, _ start: Int) -> Bool {
        removePreceded(&word, perfectiveGerund1, start) || remove(&word, perfectiveGerund2, from: start)
    }

    static func removeAdjectival(_ word: inout Word, _ start: Int) -> Bool {
        guard remove(&word, adjective, from: start) else { return false }
        if !removePreceded(&word, participle1, start) { _ = remove(&word, participle2, from: start) }
        return true
    }
}
