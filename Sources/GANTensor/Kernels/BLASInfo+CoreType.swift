import Foundation

/// Which kernels OpenBLAS runs against what the CPU could run. OPENBLAS_CORETYPE is read once when
/// the library loads, so it cannot be changed from inside the process; the toolkit reports it and
/// warns when an inherited setting holds the library below the CPU, but never overrides it.
extension BLASInfo {
    /// One line for logs: kernels, threads, whether OPENBLAS_CORETYPE pinned them, the version of
    /// the toolkit's own thin-layer kernels (which give the same results on every version) and
    /// what the wide convolution layers run on.
    public static var summary: String {
        let pinned = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (pinned by OPENBLAS_CORETYPE=\($0))" } ?? ""
        return "OpenBLAS kernels \(coreName)\(pinned), \(threads) threads; thin-layer kernels \(ThinKernels.level); "
            + "wide layers \(Kernels.wideLayerKernels)"
    }

    /// CPU instruction-set extensions from /proc/cpuinfo (empty where unavailable).
    static var cpuFlags: Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Kernel sets that use AVX-512.
    static let avx512Cores: Set<String> = ["skylakex", "cooperlake", "sapphirerapids", "zen4", "zen5"]

    /// A warning when the CPU has AVX-512 but OpenBLAS runs narrower kernels because of an inherited
    /// OPENBLAS_CORETYPE; nil otherwise.
    public static var coreTypeWarning: String? {
        guard let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] else { return nil }
        let flags = cpuFlags
        guard flags.contains("avx512f"), !avx512Cores.contains(coreName.lowercased()) else { return nil }
        return "OPENBLAS_CORETYPE=\(forced) holds OpenBLAS to its \(coreName) kernels although this CPU supports AVX-512; "
            + "unset it (env -u OPENBLAS_CORETYPE gan ...) for about twice the matrix-product speed, or keep it to pin results across CPUs"
    }
}
