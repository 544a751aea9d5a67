import ArgumentParser
import Foundation
import TradepostJobs
import TradepostStore

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a snapshot into a data dir.",
        discussion: """
            The data dir must be empty or missing, and no server may be running on it. The snapshot is
            unpacked beside it, checked file by file, migrated to this version's schema and only then
            moved into place, so a failed restore changes nothing. --force moves a non-empty data dir
            aside (to <dir>.before-restore-<time>) instead of refusing.

            --tenant T restores one tenant from a single-tenant snapshot (`snapshot --tenant`,
            `tenant export`) over the same tenant in the data dir, with the server stopped; its
            replaced files are kept aside in the data dir.

            Examples:
              tradepost restore /backup/tradepost-2026-11-21.tar --data /var/lib/tradepost
              tradepost restore snap.tar --data ./tradepost-data --force --json
              tradepost restore acme.tar --tenant acme --data /var/lib/tradepost
            """)

    @Argument(help: "The snapshot archive.") var file: String
    @Option(help: ArgumentHelp("Data directory to restore into.", valueName: "dir")) var data: String
    @Flag(help: "Move a non-empty data dir aside instead of refusing.") var force = false
    @Option(help: "Restore only this tenant (slug or id) from a single-tenant snapshot.") var tenant: String?
    @Flag(name: .long, help: "Print machine-readable JSON instead of text.") var json = false

    func run() async throws {
        try await runCommand {
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError("no file \(file)") }
            let bar = ProgressBar("restore", enabled: !json)
            if let tenant { return try restoreTenant(tenant, bar) }
            var restorer = SnapshotRestorer(archive: file, dataDir: data)
            restorer.force = force
            restorer.progress = bar.update
            restorer.migrateOthers = { dir in
                if FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent(JobsDatabase.fileName)) {
                    try JobsDatabase(dataDir: dir).close()
                }
            }
            let result = try restorer.restore()
            bar.finish()
            if json { return try Output.json(result) }
            Output.line("Restored \(result.manifest.files.count) files (\(ProgressBar.bytes(result.manifest.totalBytes))) into \(result.dataDir)")
            for (path, versions) in result.migrated.sorted(by: { $0.key < $1.key }) {
                Output.line("  migrated \(path): schema \(versions[0]) → \(versions[1])")
            }
            if let aside = result.movedAside { Output.line("The previous data dir is at \(aside)") }
            Output.line("Start the server with: tradepost serve --data \(result.dataDir)")
        }
    }

    private func restoreTenant(_ tenant: String, _ bar: ProgressBar) throws {
        var importer = TenantImporter(archive: file, dataDir: data)
        importer.replace = true
        importer.expected = tenant
        importer.progress = bar.update
        let result = try importer.run()
        bar.finish()
        if json { return try Output.json(result) }
        Output.line("Restored tenant \(result.tenant.slug) (\(result.tenant.id)), schema \(result.schemaVersion)")
        if let aside = result.keptAside { Output.line("Its previous files are in \(aside)") }
    }
}
