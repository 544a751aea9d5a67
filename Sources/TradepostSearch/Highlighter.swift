/// Marks matched words in original text for display: `<mark>` around matches, everything else HTML-escaped.
enum Highlighter {
    static func mark(_ text: String, terms: Set<String>, prefix: String?) -> String {
        render(text, tokens: tokens(text, terms, prefix), terms: terms, prefix: prefix, from: 0, to: text.utf16.count)
    }

    /// Spelling out and stemming words is the costly part: only words starting like some matched
    /// term, or with the unfinished last word, are; the others keep just their position.
    static func tokens(_ text: String, _ terms: Set<String>, _ prefix: String?) -> [Analyzer.Token] {
        let heads = Set(terms.map { head($0.unicodeScalars.prefix(2)) })
        let start = Array((prefix ?? "").unicodeScalars)
        return Analyzer.tokens(text) { word in heads.contains(head(word.prefix(2))) || (!start.isEmpty && word.starts(with: start)) }
    }

    /// A word's first two letters as one number (no String made per word of the text).
    private static func head(_ scalars: some Sequence<Unicode.Scalar>) -> UInt64 {
        scalars.reduce(UInt64(0)) { $0 << 32 | UInt64($1.value) }
    }

    /// About `words` words of `text` around the first match (the start when nothing matches).
    static func snippet(_ text: String, terms: Set<String>, prefix: String?, words: Int = 24) -> String {
        let tokens = tokens(text, terms, prefix)
        guard tokens.count > words else { return render(text, tokens: tokens, terms: terms, prefix: prefix, from: 0, to: text.utf16.count) }
        let first = tokens.firstIndex { matches($0, terms, prefix) } ?? 0
        let startIndex = max(0, min(first - words / 3, tokens.count - words))
        let endIndex = min(tokens.count, startIndex + words)
        let from = startIndex == 0 ? 0 : tokens[startIndex].start
        let to = endIndex == tokens.count ? text.utf16.count : tokens[endIndex - 1].end
        return (startIndex > 0 ? "…" : "") + render(text, tokens: tokens, terms: terms, prefix: prefix, from: from, to: to)
            + (endIndex < tokens.count ? "…" : "")
    }

    static func matches(_ token: Analyzer.Token, _ terms: Set<String>, _ prefix: String?) -> Bool {
        terms.contains(token.term) || (prefix.map { !$0.isEmpty && token.word.hasPrefix($0) } ?? false)
    }

    private static func render(_ text: String, tokens: [Analyzer.Token], terms: Set<String>, prefix: String?, from: Int, to: Int) -> String {
        let utf16 = Array(text.utf16)
        var out = ""
        var position = from
        func append(_ a: Int, _ b: Int) {
            guard a < b else { return }
            out += escape(String(decoding: utf16[a..<b], as: UTF16.self))
        }
        for token in tokens where token.start >= from && token.end <= to && matches(token, terms, prefix) {
            append(position, token.start)
            out += "<mark>"
            append(token.start, token.end)
            out += "</mark>"
            position = token.end
        }
        append(position, to)
        return out
    }

    /// Byte by byte: the characters to escape are ASCII, and walking Characters (grapheme breaking)
    /// over Cyrillic text cost more than the rest of highlighting.
    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
