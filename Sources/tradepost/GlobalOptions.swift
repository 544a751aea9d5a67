import ArgumentParser
import Foundation
import TradepostCore
import TradepostSearch
import TradepostDatabase
import TradepostJobs
import TradepostStore

/// Options every command that touches the data dir takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (default ./tradepost-data, or TRADEPOST_DATA).", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("YAML config file (or TRADEPOST_CONFIG).", valueName: "file"))
    var config: String?

    @Flag(name: .long, help: "Print machine-readable JSON instead of text.")
    var json = false

    func load(extra: [String: String] = [:]) async throws -> ConfigLoader.Loaded {
        var flags = extra
        if let data { flags["data"] = data }
        return try await ConfigLoader.load(flags: flags, configFile: config)
    }

    /// Opens the store for a one-off command and closes it afterwards, whatever happens.
    /// The server may be running at the same time: SQLite's locking keeps both safe.
    func withStore<T>(_ body: (Store) async throws -> T) async throws -> T {
        let config = try await load().config
        guard FileManager.default.fileExists(atPath: config.dataDir) else {
            throw CLIError("no data directory at \(config.dataDir)", hint: "run `tradepost serve` once, or pass --data DIR")
        }
        let store = try await Store(.forServer(config))
        // Events this command writes are delivered by a running server: leave it a signal.
        let jobs = try JobsDatabase(dataDir: config.dataDir)
        store.tenantDatabases.outboxListener.add { tenant in OutboxSignals.record(tenant, in: jobs) }
        defer { jobs.close() }
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// A command-line failure with a hint about what to do instead.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    var description: String { hint.map { "\(message)\nhint: \($0)" } ?? message }
}

/// Runs a command body: an `AppError` becomes a one-line message and exit status 1, never a stack dump.
func runCommand(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as AppError {
        var text = "error: \(error.message)"
        for field in error.fields where !error.message.contains(field.message) { text += "\n  \(field.field): \(field.message)" }
        FileHandle.standardError.write(Data((text + "\n").utf8))
        throw ExitCode(1)
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    } catch let error as SnapshotError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    } catch let error as MigrationError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}
