/// Every data error names the file (or folder, or option) and what is wrong with it.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// A file that exists but cannot be decoded: corrupt, truncated, wrong magic, wrong size.
    case corrupt(path: String, reason: String)
    /// A file or folder that cannot be read at all.
    case unreadable(path: String, reason: String)
    /// A well-formed input that does not fit what was asked (mixed sizes, empty folder, count mismatch).
    case invalid(path: String, reason: String)
    /// A dataset option out of range or inconsistent.
    case option(name: String, reason: String)

    public var description: String {
        switch self {
        case let .corrupt(path, reason): return "\(path): corrupt or truncated: \(reason)"
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .invalid(path, reason): return "\(path): \(reason)"
        case let .option(name, reason): return "dataset option '\(name)': \(reason)"
        }
    }
}
