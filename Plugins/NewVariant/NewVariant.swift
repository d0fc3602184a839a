import Foundation
import PackagePlugin

/// `swift package --allow-writing-to-package-directory new-variant NAME [--registry-name NAME]
/// [--dry-run]`: runs `gan new-variant` on this package, which copies the template variant under the
/// new name with its recipe and test and registers it (see Sources/GANScaffold).
@main
struct NewVariant: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let gan = try context.tool(named: "gan")
        let process = Process()
        process.executableURL = gan.url
        process.arguments = ["new-variant"] + arguments + ["--root", context.package.directoryURL.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NewVariantFailure(status: process.terminationStatus)
        }
    }
}

struct NewVariantFailure: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "gan new-variant exited with status \(status)" }
}
