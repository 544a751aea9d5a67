import Foundation

/// Collects field errors so a request reports every problem at once, not the first one only.
public struct Validator: Sendable {
    public private(set) var errors: [AppError.FieldError] = []

    public init() {}

    public mutating func fail(_ field: String, _ message: String) {
        errors.append(.init(field, message))
    }

    /// Trims `value` and checks its length and characters; returns the trimmed text. Control
    /// characters are refused; `multiline` text (a description, a reason) may hold tabs and line breaks.
    @discardableResult
    public mutating func text(_ field: String, _ value: String, min: Int = 1, max: Int = 200, multiline: Bool = false) -> String {
        let trimmed = value.trimmed()
        // A character is 1 or more UTF-8 bytes: when the bytes fit, the characters do, and counting them
        // (grapheme breaking) is needed only for a minimum above 1 or a byte count over the maximum.
        let bytes = trimmed.utf8.count
        let length = bytes == 0 ? 0 : (bytes <= max && min <= 1 ? 1 : trimmed.count)
        if length < min {
            fail(field, min == 1 ? "is required" : "must be at least \(min) characters")
        } else if length > max {
            fail(field, "must be at most \(max) characters")
        } else if multiline ? trimmed.containsControlCharacterBesidesLineBreaks : trimmed.containsControlCharacter {
            fail(field, multiline ? "must not contain control characters other than tabs and line breaks" : "must not contain control characters")
        }
        return trimmed
    }

    /// Lowercases and checks an email address; returns the normalized form.
    @discardableResult
    public mutating func email(_ field: String, _ value: String) -> String {
        let email = value.trimmed().lowercased()
        if !Validator.isEmail(email) { fail(field, "is not a valid email address") }
        return email
    }

    public mutating func password(_ field: String, _ value: String) {
        if value.count < Validator.minPasswordLength {
            fail(field, "must be at least \(Validator.minPasswordLength) characters")
        } else if value.utf8.count > Validator.maxPasswordBytes {
            // bcrypt reads only the first 72 bytes; refusing longer ones avoids a silent truncation.
            fail(field, "must be at most \(Validator.maxPasswordBytes) bytes")
        }
    }

    /// Tenant slugs: lowercase letters, digits and single hyphens, 2–40 characters.
    public mutating func slug(_ field: String, _ value: String) {
        if !Validator.isSlug(value) {
            fail(field, "must be 2–40 lowercase letters, digits or hyphens, starting with a letter")
        }
    }

    public mutating func identifier(_ field: String, _ value: String) {
        if !Identifier.isValid(value) { fail(field, "is not a valid id") }
    }

    /// Throws `.invalid` with every collected field error, if any.
    public func check(_ message: String = "The request has invalid fields") throws {
        if !errors.isEmpty { throw AppError.invalid(message, fields: errors) }
    }

    /// A readable random password for generated accounts: 16 characters from 56 (about 93 bits).
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &generator)! }) }
        return groups.joined(separator: "-")
    }

    public static let minPasswordLength = 8
    public static let maxPasswordBytes = 72

    /// A mailbox people can be written to: a local part of at most 64 bytes without spaces or
    /// control characters, and a host name — dot-separated labels of letters (any script), digits
    /// and inner hyphens, each at most 63 bytes.
    public static func isEmail(_ email: String) -> Bool {
        let utf8 = Array(email.utf8)
        guard utf8.count >= 3, utf8.count <= 254, let at = utf8.lastIndex(of: UInt8(ascii: "@")),
            at > 0, at <= 64, at < utf8.count - 1
        else { return false }
        if utf8.contains(where: { $0 <= 32 || $0 == 127 }) { return false }
        if utf8[..<at].contains(UInt8(ascii: "@")) { return false }
        // By bytes: an "@" followed by a combining mark is one Character, not an "@", so a Character
        // search for it can miss the byte found above.
        let labels = String(decoding: utf8[(at + 1)...], as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0 == "-" || ($0.isASCII ? ($0.properties.isAlphabetic || ("0"..."9").contains($0)) : $0.properties.isAlphabetic || $0.properties.numericType == .decimal) }
        }
    }

    public static func isSlug(_ slug: String) -> Bool {
        let utf8 = Array(slug.utf8)
        guard utf8.count >= 2, utf8.count <= 40, let first = utf8.first, (97...122).contains(first),
            utf8.last != UInt8(ascii: "-")
        else { return false }
        var previousHyphen = false
        for byte in utf8 {
            let isHyphen = byte == UInt8(ascii: "-")
            guard (97...122).contains(byte) || (48...57).contains(byte) || isHyphen else { return false }
            if isHyphen && previousHyphen { return false }
            previousHyphen = isHyphen
        }
        return true
    }
}
