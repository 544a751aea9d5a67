import Foundation
import TradepostStore

/// A one-line progress bar on standard error for long work (snapshot, restore, verify), redrawn at
/// most ten times a second; silent when `enabled` is false (`--json`, where stdout is for scripts).
final class ProgressBar {
    private let label: String
    private let enabled: Bool
    private var last = Date.distantPast
    private var drawn = false

    init(_ label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    func update(_ p: SnapshotProgress) {
        guard enabled, Date().timeIntervalSince(last) > 0.1 else { return }
        last = Date()
        draw(p.doneBytes, p.totalBytes, p.path)
    }

    func finish() {
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw(_ done: Int64, _ total: Int64, _ path: String) {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int(fraction * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let name = path.count > 40 ? "…" + path.suffix(39) : path
        let text = "\r\(label) [\(bar)] \(Int(fraction * 100))%  \(Self.bytes(done)) of \(Self.bytes(total))  \(name)\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
        drawn = true
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@", value, units[unit])
    }
}
