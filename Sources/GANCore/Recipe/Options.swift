/// A validated recipe section: every declared option has a value (given or default) of the
/// declared type, so the typed accessors below cannot fail for declared names.
public struct Options: Sendable, Equatable {
    public let section: String
    public private(set) var values: [String: RecipeValue]
    public let order: [String]

    public init(section: String, values: [String: RecipeValue], order: [String]) {
        self.section = section
        self.values = values
        self.order = order
    }

    /// Defaults only (tests and programmatic use).
    public init(section: String, specs: [OptionSpec], overrides: [String: RecipeValue] = [:]) {
        var v = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) })
        for (k, x) in overrides { v[k] = x }
        self.init(section: section, values: v, order: specs.map(\.name))
    }

    public func int(_ name: String) -> Int {
        if case let .int(v) = values[name] { return v }
        preconditionFailure("\(section).\(name) is not a declared integer option")
    }

    public func optionalInt(_ name: String) -> Int? {
        if case let .int(v) = values[name] { return v }
        return nil
    }

    public func float(_ name: String) -> Float { Float(double(name)) }

    public func double(_ name: String) -> Double {
        switch values[name] {
        case let .float(v): return v
        case let .int(v): return Double(v)
        default: preconditionFailure("\(section).\(name) is not a declared number option")
        }
    }

    public func bool(_ name: String) -> Bool {
        if case let .bool(v) = values[name] { return v }
        preconditionFailure("\(section).\(name) is not a declared boolean option")
    }

    public func string(_ name: String) -> String {
        if case let .string(v) = values[name] { return v }
        preconditionFailure("\(section).\(name) is not a declared string option")
    }

    public func optionalString(_ name: String) -> String? {
        if case let .string(v) = values[name] { return v }
        return nil
    }

    public func intList(_ name: String) -> [Int] {
        guard case let .list(items) = values[name] else { return [] }
        return items.compactMap { if case let .int(v) = $0 { return v }; return nil }
    }

    public func stringList(_ name: String) -> [String] {
        guard case let .list(items) = values[name] else { return [] }
        return items.compactMap { if case let .string(v) = $0 { return v }; return nil }
    }

    public mutating func set(_ name: String, _ value: RecipeValue) { values[name] = value }
}
