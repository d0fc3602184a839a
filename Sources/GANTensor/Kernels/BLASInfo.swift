import CBLAS

/// What OpenBLAS was built for and how many threads it uses (for `gan bench` and run metadata).
public enum BLASInfo {
    /// The CPU kernel set OpenBLAS selected at load time, e.g. "Haswell" or "SkylakeX".
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// OpenBLAS's build configuration string (version, threading model, core, max threads).
    public static var config: String { openblas_get_config().map { String(cString: $0) } ?? "unknown" }

    /// Threads OpenBLAS currently uses for one call.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of threads OpenBLAS uses (process-wide).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(Swift.max(1, n))) }
}
