import Foundation

/// Creates a new variant module by copying the template variant (Sources/Variants/Template) under
/// a new name, with its recipe and its short training test, and registers it: the name goes into
/// `variants` in Package.swift and one line into Sources/GANRegistry/Registry.swift. Everything is
/// checked before the first file is written, so a refused scaffold leaves the tree as it was.
public struct VariantScaffold {
    /// The module and type name (`LSGAN`): an UpperCamelCase Swift identifier.
    public let name: String
    /// The name recipes use (`variant: lsgan`).
    public let registryName: String
    /// The package's top folder.
    public let root: URL

    /// The template the scaffold copies, relative to the package root, and the tokens it renames.
    static let templateModule = "Template", templateType = "TemplateGAN", templateRegistryName = "template"
    static let templateSource = "Sources/Variants/Template/TemplateGAN.swift"
    static let templateRecipe = "Recipes/template-8gaussians.yaml"
    static let templateTest = "Tests/VariantTests/TemplateTrainingTests.swift"
    static let packageManifest = "Package.swift"
    static let registry = "Sources/GANRegistry/Registry.swift"

    public init(name: String, registryName: String? = nil, root: URL) throws {
        guard name.range(of: #"^[A-Z][A-Za-z0-9]*$"#, options: .regularExpression) != nil else {
            throw ScaffoldError.invalidName(name, "must be an UpperCamelCase Swift identifier (letters and digits, e.g. LSGAN)")
        }
        guard !name.hasPrefix(Self.templateModule) else {
            throw ScaffoldError.invalidName(name, "must not start with \"\(Self.templateModule)\", the template's own name")
        }
        let registryName = registryName ?? name.lowercased()
        guard registryName.range(of: #"^[a-z][a-z0-9-]*$"#, options: .regularExpression) != nil else {
            throw ScaffoldError.invalidName(registryName, "a registry name is lower case letters, digits and hyphens (e.g. wgan-gp)")
        }
        self.name = name
        self.registryName = registryName
        self.root = root
    }

    /// The files the scaffold writes, by path relative to the root, and the two it edits.
    public func plan() throws -> [(path: String, contents: String)] {
        let module = "Sources/Variants/\(name)"
        for path in [module, "Recipes/\(registryName)-8gaussians.yaml", "Tests/VariantTests/\(name)TrainingTests.swift"]
        where FileManager.default.fileExists(atPath: url(path).path) {
            throw ScaffoldError.exists(path)
        }
        let manifest = try read(Self.packageManifest), registrySource = try read(Self.registry)
        return [
            ("\(module)/\(name).swift", rename(try read(Self.templateSource))),
            ("Recipes/\(registryName)-8gaussians.yaml", rename(try read(Self.templateRecipe))),
            ("Tests/VariantTests/\(name)TrainingTests.swift", rename(try read(Self.templateTest))),
            (Self.packageManifest, try addingToVariantList(manifest)),
            (Self.registry, try addingToRegistry(registrySource)),
        ]
    }

    /// Writes the plan; returns the paths written.
    @discardableResult
    public func write() throws -> [String] {
        let files = try plan()
        for (path, contents) in files {
            let target = url(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: target, atomically: true, encoding: .utf8)
        }
        return files.map(\.path)
    }

    /// The template's text under the new names. The type name goes first: it contains the module's.
    func rename(_ text: String) -> String {
        text.replacingOccurrences(of: Self.templateType, with: name)
            .replacingOccurrences(of: Self.templateModule, with: name)
            .replacingOccurrences(of: "\"\(Self.templateRegistryName)\"", with: "\"\(registryName)\"")
            .replacingOccurrences(of: "variant: \(Self.templateRegistryName)\n", with: "variant: \(registryName)\n")
            .replacingOccurrences(of: "\(Self.templateRegistryName)-8gaussians", with: "\(registryName)-8gaussians")
    }

    /// Package.swift with the name appended to `let variants = [...]`.
    func addingToVariantList(_ manifest: String) throws -> String {
        guard let line = manifest.range(of: #"let variants = \[[^\]\n]*\]"#, options: .regularExpression) else {
            throw ScaffoldError.pattern(Self.packageManifest, "a one-line `let variants = [\"DCGAN\", ...]`")
        }
        let list = String(manifest[line])
        guard !list.contains("\"\(name)\"") else { throw ScaffoldError.exists("\(Self.packageManifest): \"\(name)\" in variants") }
        let closed = list.dropLast()
        let updated = closed.hasSuffix("[") ? "\(closed)\"\(name)\"]" : "\(closed), \"\(name)\"]"
        return manifest.replacingCharacters(in: line, with: updated)
    }

    /// Registry.swift with `import NAME` after the last import and `NAME.self,` at the end of
    /// `allVariants`.
    func addingToRegistry(_ source: String) throws -> String {
        var lines = source.components(separatedBy: "\n")
        guard !lines.contains("import \(name)") else { throw ScaffoldError.exists("\(Self.registry): import \(name)") }
        guard let lastImport = lines.lastIndex(where: { $0.hasPrefix("import ") }),
              let listStart = lines.firstIndex(where: { $0.contains("allVariants: [any GANVariant.Type] = [") }),
              let listEnd = lines[listStart...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "]" }) else {
            throw ScaffoldError.pattern(Self.registry, "import lines and a multi-line `allVariants: [any GANVariant.Type] = [` list")
        }
        lines.insert("    \(name).self,", at: listEnd)
        lines.insert("import \(name)", at: lastImport + 1)
        return lines.joined(separator: "\n")
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func read(_ path: String) throws -> String {
        do {
            return try String(contentsOf: url(path), encoding: .utf8)
        } catch {
            throw ScaffoldError.missing(url(path).path)
        }
    }
}

public enum ScaffoldError: Error, CustomStringConvertible, Equatable {
    case invalidName(String, String)
    case exists(String)
    case missing(String)
    case pattern(String, String)

    public var description: String {
        switch self {
        case let .invalidName(name, why): return "\"\(name)\": \(why)"
        case let .exists(what): return "\(what) already exists; nothing was written"
        case let .missing(path): return "\(path) not found (run from the package's top folder or pass --root)"
        case let .pattern(file, expected): return "\(file): expected \(expected); nothing was written"
        }
    }
}
