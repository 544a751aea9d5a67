import ArgumentParser
import Foundation
import TradepostHTTP
import TradepostStore

/// `tradepost tenant export`: one tenant's database and blobs in one archive (a single-tenant snapshot).
struct TenantExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one tenant (its database and files) to an archive, online.",
        discussion: """
            The same archive as `tradepost snapshot --tenant T`. Bring it to another box with `tradepost tenant import`. Sessions, API tokens and S3 keys stay on this box.

            Examples:
              tradepost tenant export acme --out acme.tar
              tradepost tenant export acme --out acme.tar --json
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Tenant slug or id.") var tenant: String
    @Option(help: ArgumentHelp("Archive to write.", valueName: "file")) var out: String

    func run() async throws {
        try await runCommand {
            let config = try await global.load().config
            guard !FileManager.default.fileExists(atPath: out) else { throw CLIError("\(out) already exists", hint: "choose another --out") }
            let bar = ProgressBar("export", enabled: !global.json)
            var writer = SnapshotWriter(dataDir: config.dataDir, tenant: tenant, version: TradepostVersion.current)
            writer.progress = bar.update
            let manifest = try writer.write(to: out)
            bar.finish()
            if global.json { return try Output.json(manifest) }
            Output.line("Wrote \(out): tenant \(manifest.tenant?.slug ?? tenant), \(manifest.files.count) files, \(ProgressBar.bytes(manifest.totalBytes))")
        }
    }
}

/// `tradepost tenant import`: adds the tenant in an export archive to this data dir.
struct TenantImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add a tenant from an export archive (safe while the server runs).",
        discussion: """
            The archive is checked file by file and its database migrated before the tenant appears. Its users sign in with their passwords; sessions, API tokens and S3 keys do not travel.

            Examples:
              tradepost tenant import acme.tar
              tradepost tenant import acme.tar --slug acme-lviv --json
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The archive from `tenant export` or `snapshot --tenant`.") var file: String
    @Option(help: "A new slug, when the tenant's slug is taken here.") var slug: String?

    func run() async throws {
        try await runCommand {
            let config = try await global.load().config
            guard FileManager.default.fileExists(atPath: file) else { throw CLIError("no file \(file)") }
            let bar = ProgressBar("import", enabled: !global.json)
            var importer = TenantImporter(archive: file, dataDir: config.dataDir)
            importer.slug = slug
            importer.progress = bar.update
            let result = try importer.run()
            bar.finish()
            if global.json { return try Output.json(result) }
            Output.line("Imported tenant \(result.tenant.slug) (\(result.tenant.id)), schema \(result.schemaVersion)")
        }
    }
}
