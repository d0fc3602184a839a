import Foundation

/// Finds a recipe by name or path, applies `--set` overrides and validates every key against the
/// variant's schema, stopping at the first problem with its file, line, key and a suggestion.
public struct RecipeLoader: Sendable {
    public var searchPaths: [String]
    /// The options of a variant by name, or nil when no such variant exists.
    public let schema: @Sendable (String) -> RecipeSchema?
    public let variantNames: [String]

    public init(searchPaths: [String] = RecipeLoader.defaultSearchPaths, variantNames: [String],
                schema: @escaping @Sendable (String) -> RecipeSchema?) {
        self.searchPaths = searchPaths
        self.variantNames = variantNames
        self.schema = schema
    }

    /// $GANKIT_RECIPES, then ./Recipes, then the Recipes folder of this source tree.
    public static var defaultSearchPaths: [String] {
        var paths: [String] = []
        if let env = ProcessInfo.processInfo.environment["GANKIT_RECIPES"] { paths.append(env) }
        paths.append(FileManager.default.currentDirectoryPath + "/Recipes")
        let source = URL(fileURLWithPath: #filePath)  // Sources/GANCore/Recipe/RecipeLoader.swift
        paths.append(source.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Recipes").path)
        var seen = Set<String>()
        return paths.filter { seen.insert(URL(fileURLWithPath: $0).standardized.path).inserted }
    }

    /// Recipe names (file stems) found on the search paths, sorted, first path wins.
    public func available() -> [(name: String, path: String)] {
        var found: [String: String] = [:]
        for dir in searchPaths.reversed() {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".yaml") || f.hasSuffix(".yml") {
                found[String(f.prefix(upTo: f.lastIndex(of: ".")!))] = dir + "/" + f
            }
        }
        return found.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    public func locate(_ nameOrPath: String) throws -> String {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") || nameOrPath.contains("/") {
            guard FileManager.default.fileExists(atPath: nameOrPath) else {
                throw RecipeError(file: nameOrPath, line: nil, key: nil, message: "no such recipe file")
            }
            return nameOrPath
        }
        if let hit = available().first(where: { $0.name == nameOrPath }) { return hit.path }
        let hint = ClosestMatch.suggestion(for: nameOrPath, among: available().map(\.name))
        throw RecipeError(file: nameOrPath, line: nil, key: nil,
                          message: "no recipe of that name in \(searchPaths.joined(separator: ", "))\(hint)")
    }

    public func load(_ nameOrPath: String, overrides: [String] = []) throws -> Recipe {
        let path = try locate(nameOrPath)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RecipeError(file: path, line: nil, key: nil, message: "cannot read the file as UTF-8 text")
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try parse(text, file: path, name: name, overrides: overrides)
    }

    public func parse(_ text: String, file: String, name: String, overrides: [String] = []) throws -> Recipe {
        var tree = try RecipeTree.parse(text, file: file)
        for o in overrides {
            guard let eq = o.firstIndex(of: "="), eq != o.startIndex else {
                throw RecipeError(file: "--set", line: nil, key: o, message: "expected key.path=value")
            }
            let path = o[..<eq].split(separator: ".").map(String.init)
            tree.set(path: path, value: RecipeTree.parseValue(String(o[o.index(after: eq)...])))
        }
        return try validate(tree, file: file, name: name)
    }

    private func validate(_ tree: RecipeTree, file: String, name: String) throws -> Recipe {
        let topKeys = ["variant", "description", "seed", "data", "model", "train"]
        for (key, entry) in tree.root where !topKeys.contains(key) {
            throw RecipeError(file: file, line: entry.line, key: key,
                              message: "unknown key\(ClosestMatch.suggestion(for: key, among: topKeys)); allowed: \(topKeys.joined(separator: ", "))")
        }
        func leaf(_ key: String) -> (RecipeValue, Int?)? {
            guard let e = tree.root.first(where: { $0.0 == key })?.1 else { return nil }
            if case let .leaf(v) = e.value { return (v, e.line) }
            return (.string("<mapping>"), e.line)
        }
        guard let (variantValue, variantLine) = leaf("variant") else {
            throw RecipeError(file: file, line: nil, key: "variant", message: "missing; one of \(variantNames.joined(separator: ", "))")
        }
        guard case let .string(variant) = variantValue, let schema = schema(variant) else {
            throw RecipeError(file: file, line: variantLine, key: "variant",
                              message: "unknown variant \(variantValue)\(ClosestMatch.suggestion(for: "\(variantValue)", among: variantNames)); one of \(variantNames.joined(separator: ", "))")
        }
        var description = ""
        if let (v, line) = leaf("description") {
            guard case let .string(s) = v else { throw RecipeError(file: file, line: line, key: "description", message: "must be a string") }
            description = s
        }
        var seed: UInt64 = 0
        if let (v, line) = leaf("seed") {
            guard case let .int(s) = v, s >= 0 else { throw RecipeError(file: file, line: line, key: "seed", message: "must be a non-negative integer, got \(v)") }
            seed = UInt64(s)
        }
        return Recipe(name: name, file: file, variant: variant, description: description, seed: seed,
                      data: try section("data", schema.data, tree, file),
                      model: try section("model", schema.model, tree, file),
                      train: try section("train", schema.train, tree, file))
    }

    private func section(_ name: String, _ specs: [OptionSpec], _ tree: RecipeTree, _ file: String) throws -> Options {
        var values = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) })
        guard let entry = tree.root.first(where: { $0.0 == name })?.1 else {
            return Options(section: name, values: values, order: specs.map(\.name))
        }
        guard case let .mapping(entries) = entry.value else {
            if case .leaf(.null) = entry.value { return Options(section: name, values: values, order: specs.map(\.name)) }
            throw RecipeError(file: file, line: entry.line, key: name, message: "must be a mapping of options")
        }
        let names = specs.map(\.name)
        for (key, e) in entries {
            guard let spec = specs.first(where: { $0.name == key }) else {
                let hint = ClosestMatch.suggestion(for: key, among: names)
                throw RecipeError(file: e.line == nil ? "--set" : file, line: e.line, key: "\(name).\(key)",
                                  message: "unknown key\(hint)\(hint.isEmpty ? "; allowed: " + names.joined(separator: ", ") : "")")
            }
            guard case let .leaf(v) = e.value else {
                throw RecipeError(file: file, line: e.line, key: "\(name).\(key)", message: "must be \(spec.expected), got a mapping")
            }
            switch spec.accept(v) {
            case let .accepted(normalised): values[key] = normalised
            case let .rejected(reason):
                throw RecipeError(file: e.line == nil ? "--set" : file, line: e.line, key: "\(name).\(key)", message: reason)
            }
        }
        return Options(section: name, values: values, order: names)
    }
}
