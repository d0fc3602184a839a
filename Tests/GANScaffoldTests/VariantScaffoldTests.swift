import Foundation
import XCTest
@testable import GANScaffold

/// The scaffold on a copy of this package's real files: what it writes, what it edits, and what it
/// refuses (leaving every file as it was).
final class VariantScaffoldTests: XCTestCase {
    /// This package's top folder (Tests/GANScaffoldTests/ is two levels down).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A temporary root holding copies of the files the scaffold reads.
    func copyOfPackage() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gankit-scaffold-\(UUID().uuidString)")
        for path in [VariantScaffold.templateSource, VariantScaffold.templateRecipe, VariantScaffold.templateTest,
                     VariantScaffold.packageManifest, VariantScaffold.registry] {
            let target = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.packageRoot.appendingPathComponent(path), to: target)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }

    func text(_ root: URL, _ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func testCopiesTheTemplateUnderTheNewNameAndRegistersIt() throws {
        let root = try copyOfPackage()
        let entries = try text(root, VariantScaffold.registry).components(separatedBy: "\n").filter { $0.hasSuffix(".self,") }
        let written = try VariantScaffold(name: "LSGAN", root: root).write()
        XCTAssertEqual(written, ["Sources/Variants/LSGAN/LSGAN.swift", "Recipes/lsgan-8gaussians.yaml",
                                 "Tests/VariantTests/LSGANTrainingTests.swift", "Package.swift", "Sources/GANRegistry/Registry.swift"])

        let source = try text(root, "Sources/Variants/LSGAN/LSGAN.swift")
        XCTAssertTrue(source.contains("public final class LSGAN: GANVariant"))
        XCTAssertTrue(source.contains("public static let name = \"lsgan\""))
        XCTAssertFalse(source.contains("Template"))
        XCTAssertFalse(source.contains("\"template\""))
        let recipe = try text(root, "Recipes/lsgan-8gaussians.yaml")
        XCTAssertTrue(recipe.contains("\nvariant: lsgan\n"))
        let test = try text(root, "Tests/VariantTests/LSGANTrainingTests.swift")
        XCTAssertTrue(test.contains("final class LSGANTrainingTests: XCTestCase"))
        XCTAssertTrue(test.contains("\"lsgan-8gaussians\""))

        let manifest = try text(root, "Package.swift")
        XCTAssertTrue(manifest.contains("\"Template\", \"LSGAN\"]"), "appended to the variants list")
        let registry = try text(root, "Sources/GANRegistry/Registry.swift").components(separatedBy: "\n")
        let lastImport = try XCTUnwrap(registry.lastIndex { $0.hasPrefix("import ") })
        XCTAssertEqual(registry[lastImport], "import LSGAN")
        let entry = try XCTUnwrap(registry.firstIndex(of: "    LSGAN.self,"))
        XCTAssertEqual(registry[entry + 1], "]", "last entry of allVariants")
        XCTAssertEqual(registry.filter { $0.hasSuffix(".self,") }, entries + ["    LSGAN.self,"], "one entry added")
    }

    func testARegistryNameOfItsOwn() throws {
        let root = try copyOfPackage()
        try VariantScaffold(name: "WGANDiv", registryName: "wgan-div", root: root).write()
        XCTAssertTrue(try text(root, "Sources/Variants/WGANDiv/WGANDiv.swift").contains("public static let name = \"wgan-div\""))
        XCTAssertTrue(try text(root, "Recipes/wgan-div-8gaussians.yaml").contains("\nvariant: wgan-div\n"))
        XCTAssertTrue(try text(root, "Tests/VariantTests/WGANDivTrainingTests.swift").contains("\"wgan-div-8gaussians\""))
    }

    func testRefusalsWriteNothing() throws {
        let root = try copyOfPackage()
        let before = try [VariantScaffold.packageManifest, VariantScaffold.registry].map { try text(root, $0) }
        for (name, registryName) in [("lsgan", nil), ("LS GAN", nil), ("TemplateTwo", nil), ("", nil), ("LSGAN", "LS_GAN")] {
            XCTAssertThrowsError(try VariantScaffold(name: name, registryName: registryName, root: root)) { error in
                guard case .invalidName? = error as? ScaffoldError else { return XCTFail("\(name): \(error)") }
            }
        }
        // A module folder that exists already (here: made by hand) is never overwritten.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Sources/Variants/DCGAN"), withIntermediateDirectories: true)
        XCTAssertThrowsError(try VariantScaffold(name: "DCGAN", root: root).write()) {
            XCTAssertEqual($0 as? ScaffoldError, .exists("Sources/Variants/DCGAN"))
        }
        // A manifest whose variant list the scaffold cannot find is named in the error.
        let manifest = root.appendingPathComponent(VariantScaffold.packageManifest)
        try "let package = Package(name: \"x\")\n".write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try VariantScaffold(name: "LSGAN", root: root).write()) {
            XCTAssertTrue("\($0)".hasPrefix("Package.swift: expected a one-line `let variants"), "\($0)")
        }
        try before[0].write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/Variants/LSGAN").path))
        XCTAssertEqual(try [VariantScaffold.packageManifest, VariantScaffold.registry].map { try text(root, $0) }, before)
        // The same name twice: the second run is refused.
        try VariantScaffold(name: "LSGAN", root: root).write()
        XCTAssertThrowsError(try VariantScaffold(name: "LSGAN", root: root).write()) {
            XCTAssertEqual($0 as? ScaffoldError, .exists("Sources/Variants/LSGAN"))
        }
    }

    func testAMissingTemplateIsNamed() throws {
        let root = try copyOfPackage()
        try FileManager.default.removeItem(at: root.appendingPathComponent(VariantScaffold.templateRecipe))
        XCTAssertThrowsError(try VariantScaffold(name: "LSGAN", root: root).write()) {
            XCTAssertTrue("\($0)".contains("template-8gaussians.yaml not found"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/Variants/LSGAN").path))
    }
}
