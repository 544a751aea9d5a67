import ArgumentParser
import Foundation
import TradepostCore
import TradepostDatabase
import TradepostJobs
import TradepostStore

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the data dir, disk, databases, jobs, clock and configuration.",
        discussion: """
            Read-only and safe while the server runs. Every finding has a severity and a fix. Exit status (as monitoring plugins use it): 0 all good, 1 warnings, 2 errors.

            Examples:
              sudo -u tradepost tradepost doctor --config /etc/tradepost/tradepost.yaml
              tradepost doctor --quick --json
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "quick_check instead of integrity_check (faster on big databases).") var quick = false

    struct Report: Encodable {
        var status: String
        var findings: [DoctorFinding]
    }

    func run() async throws {
        try await runCommand {
            let loaded = try await global.load()
            let config = loaded.config
            var doctor = Doctor(dataDir: config.dataDir, minFreeDiskMB: config.minFreeDiskMB)
            doctor.quick = quick
            var findings = doctor.run()
            let running = DataDirLock.isHeld(dataDir: config.dataDir)
            findings.append(.init("server", .ok, running ? "a server is running on this data dir" : "no server is running on this data dir"))
            findings += JobsDatabase.doctor(dataDir: config.dataDir, serverRunning: running)
            findings += configuration(config)
            let worst = findings.map(\.severity).max() ?? .ok
            if global.json {
                try Output.json(Report(status: worst.rawValue, findings: findings))
            } else {
                for f in findings {
                    let mark = f.severity == .ok ? "ok  " : f.severity == .warning ? "WARN" : "FAIL"
                    Output.line("\(mark)  \(f.check): \(f.message)")
                    if let fix = f.fix, f.severity != .ok { Output.line("      fix: \(fix)") }
                }
            }
            if worst == .error { throw ExitCode(2) }
            if worst == .warning { throw ExitCode(1) }
        }
    }

    /// The configuration loaded (it is validated on load); here, choices that work but are risky.
    func configuration(_ c: TradepostConfig) -> [DoctorFinding] {
        var out: [DoctorFinding] = []
        let loopback = ["127.0.0.1", "localhost", "::1"]
        if !loopback.contains(c.host) && !c.isTLS {
            out.append(.init("config", .warning, "http.listen is \(c.host):\(c.port), reachable from the network without TLS",
                             fix: "listen on 127.0.0.1 behind a TLS reverse proxy and set http.public_url to its https:// address"))
        }
        if let path = global.config ?? ProcessInfo.processInfo.environment["TRADEPOST_CONFIG"] {
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & 0o004 != 0, !(c.adminPassword ?? "").isEmpty {
                out.append(.init("config", .warning, "\(path) holds admin.password and every user may read it",
                                 fix: "chmod 0640 \(path), or remove admin.password now that the admin exists"))
            }
        }
        return out.isEmpty ? [.init("config", .ok, "configuration loads and validates")] : out
    }
}
