import ArgumentParser
import Foundation
import GANScaffold

struct NewVariantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-variant",
        abstract: "Create a new variant module from the template, with its recipe and test, and register it.",
        discussion: """
        Copies Sources/Variants/Template (a runnable original GAN on 2-D points) to Sources/Variants/NAME, \
        its recipe to Recipes/<registry-name>-8gaussians.yaml and its test to \
        Tests/VariantTests/NAMETrainingTests.swift, adds NAME to `variants` in Package.swift and one line to \
        Sources/GANRegistry/Registry.swift. The SwiftPM plugin runs this: \
        `swift package --allow-writing-to-package-directory new-variant NAME`.
        """)

    @Argument(help: "Module and type name, UpperCamelCase (e.g. LSGAN).") var name: String
    @Option(help: "The name recipes use (default: NAME in lower case).") var registryName: String?
    @Option(help: "The package's top folder.") var root: String = FileManager.default.currentDirectoryPath
    @Flag(help: "List what would be written, write nothing.") var dryRun = false

    func run() throws {
        try reportingErrors {
            let scaffold = try VariantScaffold(name: name, registryName: registryName, root: URL(fileURLWithPath: root))
            let paths = dryRun ? try scaffold.plan().map(\.path) : try scaffold.write()
            print((dryRun ? "would write:\n" : "wrote:\n") + paths.map { "  \($0)" }.joined(separator: "\n"))
            if !dryRun {
                print("next: edit Sources/Variants/\(name)/\(name).swift and its recipe, then `swift test -c release --filter \(name)TrainingTests`")
            }
        }
    }
}
