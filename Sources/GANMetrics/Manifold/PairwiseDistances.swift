import GANTensor

/// Squared Euclidean distances between every query row and every reference row, produced a block
/// of query rows at a time as |q|² + |r|² - 2 q·r with the cross term on sgemm, so 10k x 10k
/// sets of d = 128 never hold the full matrix. Rounding can make the expansion slightly negative
/// for (near-)equal rows; it is clamped at 0.
enum PairwiseDistances {
    /// Calls `body(firstRow, rows, distances)` per block; `distances` is [rows, references] and
    /// valid only during the call. Blocks hold about `blockElements` floats (at least one row).
    static func forEachBlock(queries q: Tensor, references r: Tensor, blockElements: Int = 1 << 22,
                             _ body: (_ firstRow: Int, _ rows: Int, _ distances: UnsafePointer<Float>) -> Void) {
        let nq = q.shape[0], nr = r.shape[0], d = q.shape[1]
        let qNorms = squaredNorms(q), rNorms = squaredNorms(r)
        let blockRows = max(1, min(nq, blockElements / max(nr, 1)))
        let block = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * nr)
        defer { block.deallocate() }
        var start = 0
        while start < nq {
            let rows = min(blockRows, nq - start)
            Kernels.gemm(transA: false, transB: true, m: rows, n: nr, k: d, alpha: -2,
                         a: q.data + start * d, lda: d, b: r.data, ldb: d, c: block, ldc: nr)
            Parallel.forChunks(rows, grain: max(1, (1 << 15) / max(nr, 1))) { s, e in
                for i in s..<e {
                    let row = block + i * nr, qi = qNorms[start + i]
                    for j in 0..<nr { row[j] = max(0, row[j] + qi + rNorms[j]) }
                }
            }
            body(start, rows, block)
            start += rows
        }
    }

    /// Row-wise |x|², summed in Double.
    static func squaredNorms(_ x: Tensor) -> [Float] {
        let n = x.shape[0], d = x.shape[1], p = x.data
        return (0..<n).map { i in
            var s = 0.0
            for j in 0..<d {
                let v = Double(p[i * d + j])
                s += v * v
            }
            return Float(s)
        }
    }
}
