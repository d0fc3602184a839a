import GANTensor

/// Mean vector and covariance of a feature set [N, d], in Double: the sufficient statistics of
/// the Gaussian the Fréchet distance fits to each set. Codable, so the statistics of a real data
/// set can be computed once and cached.
public struct FeatureStatistics: Codable, Equatable, Sendable {
    public var mean: [Double]
    /// d x d, unbiased (divides by N - 1, as numpy.cov and the reference FID code do).
    public var covariance: Matrix
    /// Number of samples the statistics came from (informational).
    public var count: Int

    public var dimension: Int { mean.count }

    public init(mean: [Double], covariance: Matrix, count: Int = 0) throws {
        guard covariance.rows == mean.count, covariance.columns == mean.count else {
            throw TensorError.shapeMismatch(op: "FeatureStatistics", lhs: [mean.count], rhs: [covariance.rows, covariance.columns])
        }
        self.mean = mean
        self.covariance = covariance
        self.count = count
    }

    /// Statistics of the rows of `features` [N, d], N >= 2.
    public init(features: Tensor) throws {
        try FeatureInput.check(features, op: "FeatureStatistics", minRows: 2)
        let n = features.shape[0], d = features.shape[1]
        var mean = [Double](repeating: 0, count: d)
        let x = features.data
        for r in 0..<n {
            for j in 0..<d { mean[j] += Double(x[r * d + j]) }
        }
        for j in 0..<d { mean[j] /= Double(n) }
        let cov = Self.centeredGram(x, rows: n, columns: d, mean: mean)
        var c = Matrix(d, d, checked: cov)
        let scale = 1 / Double(n - 1)
        for i in 0..<d {
            for j in i..<d {
                let v = c[i, j] * scale
                c[i, j] = v
                c[j, i] = v
            }
        }
        try self.init(mean: mean, covariance: c, count: n)
    }

    /// Upper triangle of (X - mean)ᵀ(X - mean), accumulated in Double. Rows are centred a block at
    /// a time (kept in cache) and each output row is owned by one thread, paired i with d-1-i so
    /// the triangle's work splits evenly; the summation order is fixed, so results do not depend
    /// on the thread count.
    static func centeredGram(_ x: UnsafePointer<Float>, rows n: Int, columns d: Int, mean: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: d * d)
        let blockRows = 64
        var block = [Double](repeating: 0, count: blockRows * d)
        out.withUnsafeMutableBufferPointer { op in
            let c = op.baseAddress!
            var start = 0
            while start < n {
                let rows = min(blockRows, n - start)
                for r in 0..<rows {
                    for j in 0..<d { block[r * d + j] = Double(x[(start + r) * d + j]) - mean[j] }
                }
                block.withUnsafeBufferPointer { bp in
                    let b = bp.baseAddress!
                    let pairs = (d + 1) / 2
                    Parallel.forChunks(pairs, grain: max(1, (1 << 16) / max(1, rows * d))) { s, e in
                        func accumulateRow(_ i: Int) {
                            let ci = c + i * d
                            for r in 0..<rows {
                                let row = b + r * d
                                let xi = row[i]
                                for j in i..<d { ci[j] += xi * row[j] }
                            }
                        }
                        for pair in s..<e {
                            accumulateRow(pair)
                            if d - 1 - pair != pair { accumulateRow(d - 1 - pair) }
                        }
                    }
                }
                start += rows
            }
        }
        return out
    }
}
