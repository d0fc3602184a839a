import CKernels

/// The C kernels of Sources/CKernels: matrix products with one side small enough for L1 (the 1-
/// and 3-channel convolution layers). Scalar, AVX2 and AVX-512 versions compute every output in
/// the same order of fused multiply-adds, so the version the CPU picks never changes a result.
public enum ThinKernels {
    public enum Level: Int32, CaseIterable, Sendable, CustomStringConvertible {
        case scalar = 0, avx2 = 1, avx512 = 2

        public var description: String {
            switch self {
            case .scalar: "scalar"
            case .avx2: "AVX2"
            case .avx512: "AVX-512"
            }
        }
    }

    /// The version in force.
    public static var level: Level { Level(rawValue: gk_kernel_level()) ?? .scalar }

    /// The best version this CPU runs.
    public static var bestLevel: Level { Level(rawValue: gk_kernel_best_level()) ?? .scalar }

    /// Forces a version (clamped to what the CPU runs), or restores the automatic choice with nil;
    /// returns the version in force. Process-wide: for tests and comparisons.
    @discardableResult
    public static func force(_ level: Level?) -> Level {
        Level(rawValue: gk_kernel_force_level(level?.rawValue ?? -1)) ?? .scalar
    }

    /// C [batch x (m, n)] = op(A) [m, k] * B_s [k, n] (+ bias[i]): see gk_small_a_gemm.
    static func smallAProduct(transA: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                              batch: Int, b: UnsafePointer<Float>, ldb: Int, bStride: Int,
                              c: UnsafeMutablePointer<Float>, ldc: Int, cStride: Int, bias: UnsafePointer<Float>?) {
        var p = gk_small_a_product(m: m, n: n, k: k, a: a, lda: lda, trans_a: transA ? 1 : 0, batch: batch,
                                   b: b, ldb: ldb, b_stride: bStride, c: c, ldc: ldc, c_stride: cStride, bias: bias)
        guard gk_small_a_gemm(&p) == 0 else {
            fatalError("GANTensor: out of memory packing a \(m)x\(k) matrix")
        }
    }

    /// C [m, n] (+)= sum over segments of A_s [m, length] * B_s [n, length]^T: see gk_long_reduction_gemm.
    static func longReductionProduct(m: Int, n: Int, segments: Int, length: Int,
                                     a: UnsafePointer<Float>, lda: Int, aStride: Int,
                                     b: UnsafePointer<Float>, ldb: Int, bStride: Int,
                                     c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        // The outputs' partial sums (m * n * 16 floats) in the calling thread's scratch.
        let lanes = ScratchBuffers.current.buffer(.lanes, count: m * n * Int(GK_LANES))
        var p = gk_long_reduction(m: m, n: n, segments: segments, length: length, a: a, lda: lda, a_stride: aStride,
                                  b: b, ldb: ldb, b_stride: bStride, c: c, ldc: ldc, accumulate: accumulate ? 1 : 0,
                                  lanes: lanes)
        guard gk_long_reduction_gemm(&p) == 0 else {
            fatalError("GANTensor: long-reduction product \(m)x\(n) failed")
        }
    }
}
