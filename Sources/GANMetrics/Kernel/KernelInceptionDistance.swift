import GANTensor

/// Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs"): the unbiased
/// estimate of the squared maximum mean discrepancy between two feature sets under the cubic
/// polynomial kernel k(x, y) = (xᵀy / d + 1)³, averaged over random equal-size subsets.
/// Unlike FID its estimator is unbiased, so values from different sample sizes compare, and it
/// can be (slightly) negative when the two distributions match.
public enum KernelInceptionDistance {
    public struct Result: Equatable, Sendable {
        /// Mean of the per-subset estimates: the reported KID.
        public var mean: Double
        /// Population standard deviation (ddof 0) of the per-subset estimates, as the authors'
        /// reference code reports it.
        public var std: Double
        /// One unbiased MMD² estimate per subset.
        public var subsetValues: [Double]
    }

    /// KID between `real` and `fake` features [N, d]. Each of `subsets` rounds draws `subsetSize`
    /// rows of each set without replacement (from `rng`) and computes the unbiased MMD²; defaults
    /// are the authors' (100 subsets of 1000).
    public static func compute(real: Tensor, fake: Tensor, subsetSize: Int = 1000, subsets: Int = 100,
                               rng: RandomGenerator) throws -> Result {
        let op = "KernelInceptionDistance.compute"
        try FeatureInput.check(real, op: op, minRows: 2)
        try FeatureInput.check(fake, op: op, minRows: 2)
        try FeatureInput.checkSameWidth(real, fake, op: op)
        let available = min(real.shape[0], fake.shape[0])
        guard subsetSize >= 2, subsetSize <= available, subsets >= 1 else {
            throw TensorError.invalidArgument(op: op, reason: "subset size \(subsetSize) must be in 2...\(available) (the smaller set) and subsets (\(subsets)) >= 1")
        }
        var values: [Double] = []
        for _ in 0..<subsets {
            let x = FeatureInput.gatherRows(real, rng.permutation(real.shape[0]).prefix(subsetSize))
            let y = FeatureInput.gatherRows(fake, rng.permutation(fake.shape[0]).prefix(subsetSize))
            values.append(try unbiasedMMD2(x, y))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return Result(mean: mean, std: variance.squareRoot(), subsetValues: values)
    }

    /// Unbiased MMD² between all rows of `x` [m, d] and `y` [n, d] (m, n >= 2):
    ///     Σ_{i≠j} k(xi, xj) / (m(m-1)) + Σ_{i≠j} k(yi, yj) / (n(n-1)) - 2 Σ_{i,j} k(xi, yj) / (mn).
    /// Inner products come from sgemm; the kernel and the sums are taken in Double.
    public static func unbiasedMMD2(_ x: Tensor, _ y: Tensor) throws -> Double {
        let op = "KernelInceptionDistance.unbiasedMMD2"
        try FeatureInput.check(x, op: op, minRows: 2)
        try FeatureInput.check(y, op: op, minRows: 2)
        try FeatureInput.checkSameWidth(x, y, op: op)
        let m = Double(x.shape[0]), n = Double(y.shape[0]), d = x.shape[1]
        let xx = kernelSum(try x.matmul(x, transposeOther: true), dimension: d, skipDiagonal: true)
        let yy = kernelSum(try y.matmul(y, transposeOther: true), dimension: d, skipDiagonal: true)
        let xy = kernelSum(try x.matmul(y, transposeOther: true), dimension: d, skipDiagonal: false)
        return xx / (m * (m - 1)) + yy / (n * (n - 1)) - 2 * xy / (m * n)
    }

    /// The cubic polynomial kernel on two feature vectors.
    public static func kernel(_ a: [Double], _ b: [Double]) throws -> Double {
        guard a.count == b.count, !a.isEmpty else {
            throw TensorError.shapeMismatch(op: "KernelInceptionDistance.kernel", lhs: [a.count], rhs: [b.count])
        }
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        return polynomial(dot, dimension: a.count)
    }

    @inline(__always)
    static func polynomial(_ dot: Double, dimension d: Int) -> Double {
        let v = dot / Double(d) + 1
        return v * v * v
    }

    /// Σ k over a Gram matrix [r, c] of inner products, optionally leaving out its diagonal.
    static func kernelSum(_ gram: Tensor, dimension d: Int, skipDiagonal: Bool) -> Double {
        let r = gram.shape[0], c = gram.shape[1], g = gram.data
        var total = 0.0
        for i in 0..<r {
            var rowSum = 0.0
            for j in 0..<c where !(skipDiagonal && i == j) {
                rowSum += polynomial(Double(g[i * c + j]), dimension: d)
            }
            total += rowSum
        }
        return total
    }
}
