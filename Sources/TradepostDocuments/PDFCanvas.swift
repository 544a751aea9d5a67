import Foundation

/// Drawing operators for one page, in points from the bottom left.
struct PDFCanvas {
    enum Align { case left, right }

    private(set) var ops: [UInt8] = []

    init() { ops.reserveCapacity(16_384) }

    mutating func text(_ text: String, x: Double, y: Double, font: PDFFont, size: Double, align: Align = .left) {
        guard !text.isEmpty else { return }
        let left = align == .left ? x : x - font.width(text, size: size)
        emit("BT /\(font.resourceName) \(Self.n(size)) Tf 1 0 0 1 \(Self.n(left)) \(Self.n(y)) Tm \(font.encode(text)) Tj ET\n")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, width: Double = 0.5, gray: Double = 0.6) {
        emit("\(Self.n(gray)) G \(Self.n(width)) w \(Self.n(x1)) \(Self.n(y1)) m \(Self.n(x2)) \(Self.n(y2)) l S\n")
    }

    mutating func fill(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        emit("\(Self.n(gray)) g \(Self.n(x)) \(Self.n(y)) \(Self.n(width)) \(Self.n(height)) re f 0 g\n")
    }

    private mutating func emit(_ s: String) { ops += s.utf8 }

    /// A number with at most two decimals, as PDF wants it (no exponent).
    static func n(_ v: Double) -> String {
        let hundredths = Int((v * 100).rounded())
        let sign = hundredths < 0 ? "-" : "", a = abs(hundredths)
        let whole = a / 100, fraction = a % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
