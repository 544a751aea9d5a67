import Foundation

/// Turns text into search terms, the same way for documents and queries: split into words of letters
/// or digits, fold case and diacritics (ё = е, ґ = г, é = e), then stem Russian, Ukrainian and
/// English words. Apostrophes inside words are dropped ("м'ята" = "мята"); letters and digits split
/// ("500mg" → "500", "mg"). Terms hold only letters and digits, so FTS5's ascii tokenizer keeps each whole.
public enum Analyzer {
    public struct Token: Sendable, Equatable {
        /// Folded, not stemmed.
        public var word: String
        /// What is indexed and matched.
        public var term: String
        /// Where the word is in the original text (UTF-16 offsets, for highlighting in JS and Foundation alike).
        public var start: Int
        public var end: Int
    }

    /// Words with their positions.
    /// `candidate` decides per folded word whether it may matter: the others keep only their position
    /// (empty word and term), neither spelled out nor stemmed — highlighting skips words that cannot match.
    public static func tokens(_ text: String, candidate: (([Unicode.Scalar]) -> Bool)? = nil) -> [Token] {
        var out: [Token] = []
        forEachWord(text) { word, start, end in
            if candidate.map({ $0(word) }) ?? true {
                out.append(Token(word: String(String.UnicodeScalarView(word)), term: stem(word), start: start, end: end))
            } else {
                out.append(Token(word: "", term: "", start: start, end: end))
            }
        }
        return out
    }

    /// Calls `body` with each word's folded letters and its UTF-16 start and end in `text`.
    static func forEachWord(_ text: String, _ body: (_ word: [Unicode.Scalar], _ start: Int, _ end: Int) -> Void) {
        var current: [Unicode.Scalar] = []
        var start = 0
        var end = 0
        var offset = 0
        var kind = 0  // 1 letters, 2 digits
        func flush() {
            if !current.isEmpty {
                body(current, start, end)
                current.removeAll(keepingCapacity: true)
            }
            kind = 0
        }
        var previousWasApostrophe = false
        for scalar in text.unicodeScalars {
            let width = scalar.utf16.count
            defer { offset += width }
            if isApostrophe(scalar) {
                // Inside a word it joins; elsewhere it separates.
                if kind == 1 { previousWasApostrophe = true; continue }
                flush()
                continue
            }
            guard let folded = fold(scalar) else {
                // Combining marks (a decomposed "é") belong to the letter before them: skip, do not split.
                if scalar.value >= 0x0300, scalar.properties.generalCategory == .nonspacingMark { continue }
                flush()
                previousWasApostrophe = false
                continue
            }
            let newKind = isDigit(folded) ? 2 : 1
            if kind != 0 && newKind != kind { flush() }
            if previousWasApostrophe && newKind != 1 { flush() }
            previousWasApostrophe = false
            if current.isEmpty { start = offset }
            kind = newKind
            current.append(folded)
            end = offset + width
            if current.count > 60 { flush() }
        }
        flush()
    }

    /// The terms of `text`, space-separated, as the index stores a field. The text is cut at ASCII
    /// bytes that are neither letters, digits nor apostrophes — where the analyzer's state starts
    /// afresh anyway — and `memo` keeps the terms of each piece seen before: indexing a catalog
    /// analyzes the same few thousand words millions of times.
    static func indexText(_ text: String, memo: inout TermMemo) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        var text = text
        text.withUTF8 { bytes in
            var start = -1
            for i in 0..<bytes.count {
                let b = bytes[i]
                if b < 0x80 && !isWordByte(b) {
                    if start >= 0 { memo.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<i])), to: &out) }
                    start = -1
                } else if start < 0 {
                    start = i
                }
            }
            if start >= 0 { memo.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...])), to: &out) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ASCII bytes that can be part of a word: letters, digits and apostrophes.
    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x27 || b == 0x60
    }

    /// Terms only, in order, duplicates kept.
    public static func terms(_ text: String) -> [String] {
        tokens(text).map(\.term)
    }

    /// The folded form of a single word without stemming (used for prefix matching).
    public static func foldedWords(_ text: String) -> [String] {
        tokens(text).map(\.word)
    }

    /// One term for a code such as a SKU: every letter and digit folded, nothing else ("AB-12/3" → "ab123").
    public static func code(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { if let f = fold(scalar) { scalars.append(f) } }
        return String(scalars)
    }

    /// The stem of a folded word, and for Cyrillic words also what the other language's stemmer makes of it.
    static func stems(_ word: String) -> [String] {
        let scalars = Array(word.unicodeScalars)
        let first = stem(scalars)
        guard scalars.count >= 3, !scalars.contains(where: isDigit), scalars.contains(where: { $0.value >= 0x0400 && $0.value <= 0x04FF }) else {
            return [first]
        }
        let other = scalars.contains(where: { $0 == "і" || $0 == "ї" || $0 == "є" }) ? RussianStemmer.stem(scalars) : UkrainianStemmer.stem(scalars)
        return other == first ? [first] : [first, other]
    }

    static func stem(_ word: [Unicode.Scalar]) -> String {
        guard word.count >= 3, !word.contains(where: isDigit) else { return String(String.UnicodeScalarView(word)) }
        if word.contains(where: { $0.value >= 0x0400 && $0.value <= 0x04FF }) {
            if word.contains(where: { $0 == "і" || $0 == "ї" || $0 == "є" }) { return UkrainianStemmer.stem(word) }
            return RussianStemmer.stem(word)
        }
        if word.allSatisfy({ $0.value >= 0x61 && $0.value <= 0x7A }) { return EnglishStemmer.stem(word) }
        return String(String.UnicodeScalarView(word))
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }

    static func isApostrophe(_ s: Unicode.Scalar) -> Bool {
        s == "'" || s == "\u{2019}" || s == "\u{02BC}" || s == "`"
    }

    /// Lowercase, without diacritics; nil for anything that is not a letter or digit.
    static func fold(_ s: Unicode.Scalar) -> Unicode.Scalar? {
        let v = s.value
        switch v {
        case 0x30...0x39, 0x61...0x7A: return s
        case 0x41...0x5A: return Unicode.Scalar(v + 32)
        case 0x0430...0x044F: return s
        case 0x0410...0x042F: return Unicode.Scalar(v + 32)
        case 0x0451, 0x0401: return "е"
        case 0x0491, 0x0490: return "г"
        case 0x0456, 0x0406: return "і"
        case 0x0457, 0x0407: return "ї"
        case 0x0454, 0x0404: return "є"
        case 0x045E, 0x040E: return "ў"
        case 0..<0x80: return nil
        default: break
        }
        let properties = s.properties
        guard properties.isAlphabetic || properties.numericType == .decimal else { return nil }
        if properties.numericType == .decimal, let digit = properties.numericValue, digit >= 0, digit <= 9 {
            return Unicode.Scalar(0x30 + UInt32(digit))
        }
        let lower = properties.lowercaseMapping.unicodeScalars
        // Strip diacritics: the base letter of the canonical decomposition.
        let base = String(lower).decomposedStringWithCanonicalMapping.unicodeScalars.first ?? s
        if base.properties.generalCategory == .nonspacingMark { return nil }
        if v >= 0x0300 && v <= 0x036F { return nil }
        return base
    }
}
