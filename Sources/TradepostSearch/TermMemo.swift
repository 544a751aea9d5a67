#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The terms of pieces of text seen before, for indexing many documents in one go: a small
/// open-addressing table keyed by the pieces' bytes (FNV-1a), so a hit costs one pass over the bytes,
/// one `memcmp` and one copy of the stored terms — no String made, no Unicode-aware hashing, no
/// reference counted per piece (pieces and terms live end to end in two flat buffers; a full rebuild
/// looks up some fifty million pieces). Pieces with digits are not kept (codes are mostly unique),
/// and the memo stops growing at `limit` pieces.
struct TermMemo {
    private var slots: [Int32]
    /// Piece i is `keys[keyStarts[i] ..< keyStarts[i + 1]]`; its terms, space-separated, are
    /// `values[valueStarts[i] ..< valueStarts[i + 1]]`.
    private var keys: [UInt8] = []
    private var keyStarts: [Int] = [0]
    private var values: [UInt8] = []
    private var valueStarts: [Int] = [0]
    let limit: Int

    init(limit: Int = 200_000) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 1024)
    }

    private var count: Int { keyStarts.count - 1 }

    /// Appends the terms of `piece` (a run of text with no ASCII separator in it) to `out`, after a
    /// space when `out` already holds terms.
    mutating func append(_ piece: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        var h = FNV1a.basis
        var digits = false
        for b in piece {
            h = FNV1a.step(h, b)
            if b >= 0x30 && b <= 0x39 { digits = true }
        }
        var slot = Int(h) & (slots.count - 1)
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if matches(index, piece) {
                Self.add(values, from: valueStarts[index], to: valueStarts[index + 1], into: &out)
                return
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        let terms = Array(Analyzer.terms(String(decoding: piece, as: UTF8.self)).joined(separator: " ").utf8)
        Self.add(terms, from: 0, to: terms.count, into: &out)
        guard !digits && count < limit else { return }
        slots[slot] = Int32(count)
        keys.append(contentsOf: piece)
        keyStarts.append(keys.count)
        values.append(contentsOf: terms)
        valueStarts.append(values.count)
        if count * 2 > slots.count { grow() }
    }

    private func matches(_ index: Int, _ piece: UnsafeRawBufferPointer) -> Bool {
        let start = keyStarts[index]
        let length = keyStarts[index + 1] - start
        guard length == piece.count else { return false }
        guard length > 0 else { return true }
        return keys.withUnsafeBytes { memcmp($0.baseAddress! + start, piece.baseAddress!, length) == 0 }
    }

    private static func add(_ bytes: [UInt8], from start: Int, to end: Int, into out: inout [UInt8]) {
        guard end > start else { return }
        if !out.isEmpty { out.append(0x20) }
        bytes.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for index in 0..<count {
            var slot = keys.withUnsafeBytes { Int(FNV1a.hash(UnsafeRawBufferPointer(rebasing: $0[keyStarts[index]..<keyStarts[index + 1]]))) }
                & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index)
        }
    }
}
