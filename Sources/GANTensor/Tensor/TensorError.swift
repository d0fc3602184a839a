/// Every error the engine raises names the operation and the shapes or values involved.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(op: String, lhs: [Int], rhs: [Int])
    case invalidShape(op: String, shape: [Int], reason: String)
    case invalidArgument(op: String, reason: String)
    case stateDict(String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs): return "\(op): incompatible shapes \(lhs) and \(rhs)"
        case let .invalidShape(op, shape, reason): return "\(op): invalid shape \(shape): \(reason)"
        case let .invalidArgument(op, reason): return "\(op): \(reason)"
        case let .stateDict(reason): return "state dict: \(reason)"
        case let .io(path, reason): return "\(path): \(reason)"
        }
    }
}
