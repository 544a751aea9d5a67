/// The terms of pieces of text seen before, for indexing many documents in one go: a small
/// open-addressing table keyed by the pieces' bytes (FNV-1a), so a hit costs one pass over the bytes
/// and one compare — no String made, no Unicode-aware hashing. Pieces with digits are not kept (codes
/// are mostly unique), and the memo stops growing at `limit` pieces.
struct TermMemo {
    private var slots: [Int32]
    private var keys: [[UInt8]] = []
    private var values: [String] = []
    let limit: Int

    init(limit: Int = 200_000) {
        self.limit = limit
        slots = [Int32](repeating: -1, count: 1024)
    }

    /// Appends the terms of `piece` (a run of text with no ASCII separator in it) to `out`.
    mutating func append(_ piece: UnsafeRawBufferPointer, to out: inout String) {
        var h = FNV1a.basis
        var digits = false
        for b in piece {
            h = FNV1a.step(h, b)
            if b >= 0x30 && b <= 0x39 { digits = true }
        }
        var slot = Int(h) & (slots.count - 1)
        var found: String?
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if keys[index].withUnsafeBytes({ $0.elementsEqual(piece) }) {
                found = values[index]
                break
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        let terms: String
        if let found {
            terms = found
        } else {
            terms = Analyzer.terms(String(decoding: piece, as: UTF8.self)).joined(separator: " ")
            if !digits && keys.count < limit {
                slots[slot] = Int32(keys.count)
                keys.append(Array(piece))
                values.append(terms)
                if keys.count * 2 > slots.count { grow() }
            }
        }
        guard !terms.isEmpty else { return }
        if !out.isEmpty { out += " " }
        out += terms
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for (index, key) in keys.enumerated() {
            var slot = Int(FNV1a.hash(key)) & (slots.count - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index)
        }
    }
}
