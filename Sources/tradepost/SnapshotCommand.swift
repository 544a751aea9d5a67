import ArgumentParser
import Foundation
import TradepostHTTP
import TradepostStore

struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Take a consistent online backup, or verify one.",
        discussion: """
            A snapshot is one tar archive: the control database, every tenant database, the jobs database, every blob and the secret key, with manifest.json listing each file's size and SHA-256 and each database's schema version. The server keeps serving while it runs.

            Examples:
              tradepost snapshot --out /backup/tradepost-$(date +%F).tar
              tradepost snapshot --tenant acme --out acme.tar
              tradepost snapshot verify /backup/tradepost-2026-11-21.tar
            """,
        subcommands: [Create.self, Verify.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Write a snapshot of the data dir (or of one tenant) to one archive.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Archive to write (default tradepost-<time>.tar here).", valueName: "file")) var out: String?
        @Option(help: "Only this tenant (slug or id): its database and blobs, for `tenant import` elsewhere.") var tenant: String?

        struct Summary: Encodable {
            var file: String
            var kind: String
            var files: Int
            var bytes: Int64
            var seconds: Double
            var manifest: SnapshotManifest
        }

        func run() async throws {
            try await runCommand {
                let config = try await global.load().config
                let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
                let file = out ?? "tradepost-\(tenant.map { "\($0)-" } ?? "")\(stamp).tar"
                if FileManager.default.fileExists(atPath: file) {
                    throw CLIError("\(file) already exists", hint: "choose another --out; a snapshot never overwrites a file")
                }
                let bar = ProgressBar("snapshot", enabled: !global.json)
                var writer = SnapshotWriter(dataDir: config.dataDir, tenant: tenant, version: TradepostVersion.current)
                writer.progress = bar.update
                let started = Date()
                let manifest = try writer.write(to: file)
                bar.finish()
                let summary = Summary(file: file, kind: manifest.kind.rawValue, files: manifest.files.count, bytes: manifest.totalBytes,
                                      seconds: Date().timeIntervalSince(started), manifest: manifest)
                if global.json { return try Output.json(summary) }
                Output.line("Wrote \(file): \(summary.files) files, \(ProgressBar.bytes(summary.bytes)) in \(String(format: "%.1f", summary.seconds)) s")
                Output.line("Check it any time with: tradepost snapshot verify \(file)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every file's checksum and every database's integrity in a snapshot.",
            discussion: """
                Exits with status 1 and lists each problem when anything is wrong.

                Examples:
                  tradepost snapshot verify tradepost-2026-11-21.tar
                  tradepost snapshot verify tradepost-2026-11-21.tar --json
                """)

        @Argument(help: "The snapshot archive.") var file: String
        @Flag(name: .long, help: "Print machine-readable JSON instead of text.") var json = false

        func run() async throws {
            try await runCommand {
                guard FileManager.default.fileExists(atPath: file) else { throw CLIError("no file \(file)") }
                let bar = ProgressBar("verify", enabled: !json)
                var reader = SnapshotReader(path: file)
                reader.progress = bar.update
                let result = try reader.verify()
                bar.finish()
                if json {
                    try Output.json(result)
                } else {
                    if let m = result.manifest {
                        Output.line("Snapshot of \(m.kind == .full ? "a whole data dir" : "tenant \(m.tenant?.slug ?? "?")") by Tradepost \(m.tradepostVersion), taken \(Output.date(m.createdAt))")
                    }
                    Output.line("\(result.files) files, \(ProgressBar.bytes(result.bytes)), \(result.databasesChecked) databases integrity-checked")
                    for problem in result.problems { Output.line("PROBLEM: \(problem)") }
                    Output.line(result.ok ? "OK" : "FAILED: \(result.problems.count) problem(s)")
                }
                if !result.ok { throw ExitCode(1) }
            }
        }
    }
}
