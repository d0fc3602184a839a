import Yams

/// The raw recipe as read: an ordered mapping of keys to values or sub-mappings, each with the line
/// it came from, before validation. `--set` overrides edit this tree.
struct RecipeTree {
    final class Entry {
        let value: Value
        let line: Int?
        init(value: Value, line: Int?) {
            self.value = value
            self.line = line
        }
    }

    enum Value {
        case leaf(RecipeValue)
        case mapping([(String, Entry)])
    }

    var root: [(String, Entry)]

    static func parse(_ text: String, file: String) throws -> RecipeTree {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw RecipeError(file: file, line: Self.line(of: error), key: nil, message: "not valid YAML: \(Self.reason(of: error))")
        }
        guard let node else { throw RecipeError(file: file, line: nil, key: nil, message: "the recipe is empty") }
        guard case .mapping = node else {
            throw RecipeError(file: file, line: node.mark?.line, key: nil, message: "the recipe must be a mapping of keys to values")
        }
        guard case let .mapping(entries) = try convert(node, file: file, path: "").value else { fatalError("unreachable") }
        return RecipeTree(root: entries)
    }

    private static func convert(_ node: Node, file: String, path: String) throws -> Entry {
        let line = node.mark?.line
        switch node {
        case let .mapping(mapping):
            var entries: [(String, Entry)] = []
            for (k, v) in mapping {
                guard let key = k.string else {
                    throw RecipeError(file: file, line: k.mark?.line, key: path.isEmpty ? nil : path, message: "keys must be strings")
                }
                let full = path.isEmpty ? key : path + "." + key
                if entries.contains(where: { $0.0 == key }) {
                    throw RecipeError(file: file, line: k.mark?.line, key: full, message: "given twice")
                }
                let value = try convert(v, file: file, path: full)
                // Point at the key's line: a mapping value starts on the next line.
                entries.append((key, Entry(value: value.value, line: k.mark?.line ?? value.line)))
            }
            return Entry(value: .mapping(entries), line: line)
        case let .sequence(seq):
            let items = try seq.map { item -> RecipeValue in
                guard case let .leaf(v) = try convert(item, file: file, path: path).value else {
                    throw RecipeError(file: file, line: item.mark?.line, key: path, message: "list items must be plain values")
                }
                return v
            }
            return Entry(value: .leaf(.list(items)), line: line)
        case let .scalar(scalar):
            return Entry(value: .leaf(scalarValue(scalar, tag: node.tag)), line: line)
        }
    }

    static func scalarValue(_ scalar: Node.Scalar, tag: Tag) -> RecipeValue {
        let s = scalar.string
        switch Tag.Name(rawValue: tag.description) {
        case .int: return Int(s).map(RecipeValue.int) ?? .string(s)
        case .float:
            // YAML 1.1 accepts forms like "2e-4" only with a dot; accept both through Double.
            return Double(s).map(RecipeValue.float) ?? .string(s)
        case .bool: return .bool(["true", "yes", "on"].contains(s.lowercased()))
        case .null: return .null
        default:
            // "2e-4" is a string to YAML 1.1's resolver; researchers mean a number.
            if scalar.style == .plain, let d = Double(s), s.contains(where: { $0 == "e" || $0 == "E" }) { return .float(d) }
            return .string(s)
        }
    }

    /// Parses a command-line value ("2e-4", "true", "[1, 2]", "name") as YAML would.
    static func parseValue(_ text: String) -> RecipeValue {
        guard let node = try? Yams.compose(yaml: text) else { return .string(text) }
        switch node {
        case let .scalar(s): return scalarValue(s, tag: node.tag)
        case let .sequence(seq):
            return .list(seq.map { if case let .scalar(s) = $0 { return scalarValue(s, tag: $0.tag) }; return .string("\($0)") })
        default: return .string(text)
        }
    }

    /// Applies "a.b.c=value", creating sections as needed.
    mutating func set(path: [String], value: RecipeValue) {
        root = Self.setting(root, path: path[...], value: value)
    }

    private static func setting(_ entries: [(String, Entry)], path: ArraySlice<String>, value: RecipeValue) -> [(String, Entry)] {
        var entries = entries
        let key = path.first!
        let rest = path.dropFirst()
        let index = entries.firstIndex { $0.0 == key }
        if rest.isEmpty {
            let entry = Entry(value: .leaf(value), line: nil)
            if let index { entries[index].1 = entry } else { entries.append((key, entry)) }
            return entries
        }
        var children: [(String, Entry)] = []
        if let index, case let .mapping(existing) = entries[index].1.value { children = existing }
        let updated = Entry(value: .mapping(setting(children, path: rest, value: value)), line: index.flatMap { entries[$0].1.line })
        if let index { entries[index].1 = updated } else { entries.append((key, updated)) }
        return entries
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default: return nil
        }
    }

    private static func reason(of error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem
        default: return "\(error)"
        }
    }
}
