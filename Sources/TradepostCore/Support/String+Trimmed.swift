extension String {
    /// Without leading and trailing white space and line breaks. Pure Swift: Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString and was half the time of a price-list import.
    public func trimmed() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isSpace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isSpace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }

    /// Whether any scalar is a control character (Unicode category Cc: C0, DEL or C1), read from the UTF-8 bytes.
    public var containsControlCharacter: Bool {
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
            previous = byte
        }
        return false
    }
}

extension String {
    /// `containsControlCharacter`, except tabs and line breaks (CR, LF), which text over several lines holds.
    public var containsControlCharacterBesidesLineBreaks: Bool {
        var previous: UInt8 = 0
        for byte in utf8 {
            if (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) {
                return true
            }
            previous = byte
        }
        return false
    }
}

extension Unicode.Scalar {
    /// Unicode's White_Space property without its table lookup for the scalars a price list is made
    /// of: every white space scalar is ASCII, U+0085, U+00A0 or at least U+1680, so Latin and
    /// Cyrillic letters are answered by two comparisons (the lookup was 4 % of an import).
    var isSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20: true
        case 0..<0x85, 0xA1..<0x1680: false
        default: properties.isWhitespace
        }
    }
}
