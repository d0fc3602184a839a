import CBLAS

/// What OpenBLAS was built for and how many threads the matrix products use (for `gan bench` and
/// run metadata).
public enum BLASInfo {
    /// The CPU kernel set OpenBLAS selected at load time, e.g. "Haswell" or "SkylakeX".
    public static var coreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// OpenBLAS's build configuration string (version, threading model, core, max threads).
    public static var config: String { openblas_get_config().map { String(cString: $0) } ?? "unknown" }

    /// Threads one matrix product is split over (`Kernels.gemm`); all cores unless set.
    public static var threads: Int { configured.threads }

    /// Sets the number of threads the matrix products use (process-wide).
    public static func setThreads(_ n: Int) { configured.threads = Swift.max(1, n) }

    private final class Setting: @unchecked Sendable { var threads = Parallel.cores }

    /// First use turns OpenBLAS's own thread pool off: `Kernels.gemm` splits the work over the
    /// toolkit's threads instead.
    private static let configured: Setting = {
        openblas_set_num_threads(1)
        return Setting()
    }()
}
