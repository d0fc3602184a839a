import CBLAS
import Foundation

extension Kernels {
    /// C[m,n] = alpha * op(A)[m,k] * op(B)[k,n] + beta * C, row-major, through OpenBLAS sgemm.
    ///
    /// OpenBLAS itself runs single-threaded (see `BLASInfo.configureThreads`); a large product is
    /// split here into `BLASInfo.threads` stripes of C (by rows or columns, whichever is longer),
    /// each one a single-threaded sgemm on one of the toolkit's own worker threads. One thread
    /// pool for everything: OpenBLAS's pthread workers otherwise spin in sched_yield between calls
    /// while the toolkit's im2col and elementwise kernels run, and the two pools fight over the
    /// cores (about a fifth of a DCGAN-28 step went to that). Stripes depend only on the shape and
    /// the thread count, and each element's k-sum is computed by one call, so results are the same
    /// run to run. Inside a `Parallel.forWorkers` worker the product runs whole on that thread.
    @inline(__always)
    public static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let threads = BLASInfo.threads
        // Below this much work a second thread costs more than it saves.
        let parts = threads > 1 && m * n * k >= 1 << 21 && !Parallel.isInsideWorker ? threads : 1
        let byRows = m >= n
        let length = byRows ? m : n
        let unit = byRows ? 8 : 16  // keep stripes on whole micro-kernel tiles
        guard parts > 1, length >= 2 * unit else {
            return sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
        let stripe = ((length + parts - 1) / parts + unit - 1) / unit * unit
        let count = (length + stripe - 1) / stripe
        Parallel.perform(iterations: count) { p in
            let start = p * stripe, size = Swift.min(stripe, length - start)
            if byRows {
                let ap = transA ? a + start : a + start * lda
                sgemm(transA, transB, size, n, k, alpha, ap, lda, b, ldb, beta, c + start * ldc, ldc)
            } else {
                let bp = transB ? b + start * ldb : b + start
                sgemm(transA, transB, m, size, k, alpha, a, lda, bp, ldb, beta, c + start, ldc)
            }
        }
    }

    @inline(__always)
    private static func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                              _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                              _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
