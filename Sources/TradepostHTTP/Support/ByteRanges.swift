import Foundation

/// Conditional and partial GETs, shared by the S3 listener, pictures and downloads.
enum ByteRanges {
    /// A range that starts past the end of the bytes (416).
    struct Unsatisfiable: Error {}

    /// `bytes=a-b`, `bytes=a-`, `bytes=-n`. A malformed or multi-range header is ignored (the
    /// whole body, as S3 does); a range starting past the end is unsatisfiable.
    static func parse(_ header: String, size: Int64) throws(Unsatisfiable) -> ClosedRange<Int64>? {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let n = Int64(last), n > 0 else { return nil }
            guard size > 0 else { throw Unsatisfiable() }
            return max(0, size - n)...(size - 1)
        }
        guard let a = Int64(first), a >= 0 else { return nil }
        let b = last.isEmpty ? size - 1 : (Int64(last) ?? -1)
        guard b >= a || last.isEmpty else { return nil }
        guard a < size else { throw Unsatisfiable() }
        return a...min(b, size - 1)
    }

    /// Whether an If-Match / If-None-Match header names this ETag (or `*`).
    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { part in
            let tag = part.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) == etag
        }
    }
}
