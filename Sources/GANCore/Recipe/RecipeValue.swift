/// A value read from a recipe, kept with the line it came from so that later checks can point at it.
public enum RecipeValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case list([RecipeValue])
    case null

    public var description: String {
        switch self {
        case let .int(v): return String(v)
        case let .float(v): return Self.format(v)
        case let .bool(v): return v ? "true" : "false"
        case let .string(v): return Self.quoteIfNeeded(v)
        case let .list(vs): return "[" + vs.map(\.description).joined(separator: ", ") + "]"
        case .null: return "null"
        }
    }

    var typeName: String {
        switch self {
        case .int: return "an integer"
        case .float: return "a number"
        case .bool: return "true/false"
        case .string: return "a string"
        case .list: return "a list"
        case .null: return "null"
        }
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(format: "%.1f", v) }
        let s = String(v)
        return s
    }

    static func quoteIfNeeded(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "-_./".contains($0) }
        let looksTyped = Double(s) != nil || ["true", "false", "null", "yes", "no", "~", ""].contains(s.lowercased())
        return plain && !looksTyped ? s : "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

import Foundation
