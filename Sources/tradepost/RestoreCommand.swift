import ArgumentParser
import Foundation
import TradepostCore
import TradepostDatabase
import TradepostHTTP
import TradepostJobs
import TradepostStore
import TradepostWiring

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a snapshot into a data dir.",
        discussion: """
            The data dir must be empty or missing, and no server may be running on it. The snapshot is unpacked beside it, checked file by file, migrated to this version's schema and only then moved into place, so a failed restore changes nothing. --force moves a non-empty data dir aside (to <dir>.before-restore-<time>) instead of refusing.

            --tenant T restores one tenant from a single-tenant snapshot (`snapshot --tenant`, `tenant export`) over the same tenant; its replaced files are kept aside in the data dir. With the server running, the server does it (a job): the tenant is suspended, swapped once in-flight work finishes, and resumed; other tenants are not touched.

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
            if let tenant {
                if DataDirLock.isHeld(dataDir: data) { return try await restoreTenantLive(tenant) }
                return try restoreTenant(tenant, bar)
            }
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

    /// The server owns the tenant's open database, so it does the swap: the archive is copied
    /// where it can read it and a `tenant.restore` job asks it to; this waits for the outcome.
    private func restoreTenantLive(_ tenant: String) async throws {
        let folder = (data as NSString).appendingPathComponent(TenantRestoreJob.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        let name = "\(UUID().uuidString).tar"
        let copy = (folder as NSString).appendingPathComponent(name)
        try FileManager.default.copyItem(atPath: file, toPath: copy)
        let payload = String(decoding: try JSONEncoder().encode(TenantRestoreJob(archive: name, tenant: tenant)), as: UTF8.self)
        let global = try GlobalOptions.parse(["--data", data])
        let finished = try await JobsCommand.withJobs(global) { jobs, _ -> JobRecord in
            var job = try await jobs.enqueue(.platformSystem(audit: .cli), ManualJob(type: TenantRestoreJob.jobType, payload: payload, priority: 10))
            if !json { FileHandle.standardError.write(Data("the running server is restoring \(tenant) (job \(job.id))…\n".utf8)) }
            let deadline = Date().addingTimeInterval(6 * 3600)
            while !job.state.isFinished && Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                job = try await jobs.job(.platformSystem(audit: .cli), id: job.id)
            }
            return job
        }
        guard finished.state == .succeeded else {
            try? FileManager.default.removeItem(atPath: copy)
            throw CLIError("the server could not restore \(tenant): \(finished.lastError ?? finished.state.rawValue)",
                           hint: "tradepost jobs show \(finished.id)")
        }
        if json { return try Output.json(finished) }
        Output.line("Restored tenant \(tenant) in the running server (job \(finished.id)); its previous files are kept in the data dir")
    }
}
