/// 32-bit FNV-1a over bytes: a couple of operations per byte, computed while scanning text, for the
/// small in-memory tables of terms (ranking's `TermMatcher`, indexing's `TermMemo`).
enum FNV1a {
    static let basis: UInt32 = 2_166_136_261

    @inline(__always) static func step(_ hash: UInt32, _ byte: UInt8) -> UInt32 { (hash ^ UInt32(byte)) &* 16_777_619 }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 { bytes.reduce(basis, step) }
}
