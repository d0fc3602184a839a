/// Why a feature metric could not be computed: a bad request (unknown metric name, wrong sample
/// shape) or an unusable feature-network cache, each naming the metric, file or value involved.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case unknownMetric(String, available: [String])
    case invalid(String)
    case cache(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownMetric(name, available):
            return "unknown metric \"\(name)\"; available: \(available.joined(separator: ", "))"
        case let .invalid(reason): return reason
        case let .cache(path, reason): return "\(path): \(reason)"
        }
    }
}
