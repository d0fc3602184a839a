/// Why a run stopped early.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A loss became NaN or infinite; the last good checkpoint is kept.
    case nonFinite(step: Int, name: String, value: Float, lastCheckpoint: String?)
    /// Stopped by SIGINT or SIGTERM after writing a checkpoint.
    case interrupted(step: Int, checkpoint: String)
    case unsupported(String)
    case invalid(String)
    case resume(String)

    public var description: String {
        switch self {
        case let .nonFinite(step, name, value, last):
            return "step \(step): loss \(name) is \(value); stopped. " + (last.map { "Last good checkpoint: \($0)" } ?? "No checkpoint was written yet.")
        case let .interrupted(step, checkpoint):
            return "interrupted at step \(step); checkpoint written to \(checkpoint) (resume with: gan train --resume <run dir>)"
        case let .unsupported(s), let .invalid(s): return s
        case let .resume(s): return "cannot resume: \(s)"
        }
    }
}
