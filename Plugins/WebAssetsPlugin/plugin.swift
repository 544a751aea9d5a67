import Foundation
import PackagePlugin

/// Embeds every file under `Resources/web` into the target as Swift string literals.
///
/// SwiftPM `resources:` would put a bundle folder beside the binary, and `Bundle.module`
/// crashes once the binary runs alone; string literals keep the binary self-contained.
/// A newly added file is picked up when `Package.swift` is touched (the file list is planned here).
@main
struct WebAssetsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL.appending(path: "Resources/web")
        var files: [URL] = []
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker {
                let isFile = (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) ?? false
                if isFile && !url.lastPathComponent.hasPrefix(".") { files.append(url) }
            }
        }
        files.sort { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "WebAssets.generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) web assets",
                executable: try context.tool(named: "EmbedWebAssets").url,
                arguments: [root.path, output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
