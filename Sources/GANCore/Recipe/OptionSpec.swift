/// One recipe option: its name, type, allowed range and default. Sections of a recipe are lists of
/// these, so validation, `gan show` and the README's option tables come from one declaration.
public struct OptionSpec: Sendable {
    public enum Kind: Sendable {
        case int(ClosedRange<Int>?)
        case float(ClosedRange<Double>?)
        case bool
        case string(choices: [String]?)
        case intList
        case stringList
        /// Any value, or null (e.g. an optional dataset path).
        case optionalString
        case optionalInt(ClosedRange<Int>?)
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: RecipeValue
    public let help: String

    public init(_ name: String, _ kind: Kind, default defaultValue: RecipeValue, _ help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Checks and normalises a value (an integer given for a float option becomes a float).
    /// Returns a reason when the value is not acceptable.
    func accept(_ value: RecipeValue) -> Verdict {
        switch (kind, value) {
        case let (.int(range), .int(v)), let (.optionalInt(range), .int(v)):
            if let range, !range.contains(v) { return .rejected("must be in \(range.lowerBound)...\(range.upperBound), got \(v)") }
            return .accepted(value)
        case (.optionalInt, .null), (.optionalString, .null):
            return .accepted(.null)
        case let (.float, .int(v)):
            return accept(.float(Double(v)))
        case let (.float(range), .float(v)):
            guard v.isFinite else { return .rejected("must be a finite number, got \(v)") }
            if let range, !range.contains(v) { return .rejected("must be in \(range.lowerBound)...\(range.upperBound), got \(RecipeValue.format(v))") }
            return .accepted(value)
        case (.bool, .bool):
            return .accepted(value)
        case let (.string(choices), .string(v)):
            if let choices, !choices.contains(v) {
                let hint = ClosestMatch.suggestion(for: v, among: choices)
                return .rejected("must be one of \(choices.joined(separator: ", ")), got \"\(v)\"\(hint)")
            }
            return .accepted(value)
        case (.optionalString, .string):
            return .accepted(value)
        case let (.intList, .list(items)) where items.allSatisfy({ if case .int = $0 { return true }; return false }):
            return .accepted(value)
        case let (.stringList, .list(items)) where items.allSatisfy({ if case .string = $0 { return true }; return false }):
            return .accepted(value)
        default:
            return .rejected("must be \(expected), got \(value.typeName) (\(value))")
        }
    }

    var expected: String {
        switch kind {
        case .int: return "an integer"
        case .optionalInt: return "an integer or null"
        case .float: return "a number"
        case .bool: return "true or false"
        case .string: return "a string"
        case .optionalString: return "a string or null"
        case .intList: return "a list of integers"
        case .stringList: return "a list of strings"
        }
    }
}

/// The outcome of checking one value against its spec.
enum Verdict {
    case accepted(RecipeValue)
    case rejected(String)
}
