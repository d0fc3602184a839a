import GANTensor

/// Fréchet distance between the Gaussians fitted to two feature sets (Heusel et al. 2017, "GANs
/// Trained by a Two Time-Scale Update Rule Converge to a Local Nash Equilibrium"; FID when the
/// features come from Inception):
///     d² = ||μ1 - μ2||² + Tr(Σ1 + Σ2 - 2 (Σ1 Σ2)^{1/2}).
/// Σ1Σ2 is not symmetric, but it is similar to the PSD matrix Σ1^{1/2} Σ2 Σ1^{1/2}, so both have
/// the same eigenvalues λ >= 0 and Tr (Σ1Σ2)^{1/2} = Σ sqrt(λ). With Σ1 = V Λ Vᵀ that matrix is
/// similar again to Λ^{1/2} (Vᵀ Σ2 V) Λ^{1/2}, so one full and one values-only symmetric eigen
/// decomposition give the trace with no complex square roots (unlike scipy.linalg.sqrtm).
public enum FrechetDistance {
    public static func distance(_ a: FeatureStatistics, _ b: FeatureStatistics) throws -> Double {
        guard a.dimension == b.dimension else {
            throw TensorError.shapeMismatch(op: "FrechetDistance.distance", lhs: [a.dimension], rhs: [b.dimension])
        }
        var meanTerm = 0.0
        for i in 0..<a.dimension {
            let dm = a.mean[i] - b.mean[i]
            meanTerm += dm * dm
        }
        let traceTerm = a.covariance.trace + b.covariance.trace - 2 * (try traceOfSquareRootOfProduct(a.covariance, b.covariance))
        // Exact arithmetic gives >= 0; rounding can leave a few ulps below.
        return max(0, meanTerm + traceTerm)
    }

    /// Fréchet distance between the Gaussians fitted to two feature sets [N, d].
    public static func distance(_ a: Tensor, _ b: Tensor) throws -> Double {
        try FeatureInput.check(a, op: "FrechetDistance.distance", minRows: 2)
        try FeatureInput.check(b, op: "FrechetDistance.distance", minRows: 2)
        try FeatureInput.checkSameWidth(a, b, op: "FrechetDistance.distance")
        return try distance(FeatureStatistics(features: a), FeatureStatistics(features: b))
    }

    /// Tr (S1 S2)^{1/2} for symmetric positive semidefinite S1, S2. Eigenvalues that rounding
    /// pushes slightly below zero are treated as zero.
    public static func traceOfSquareRootOfProduct(_ s1: Matrix, _ s2: Matrix) throws -> Double {
        guard s1.rows == s1.columns, s2.rows == s2.columns, s1.rows == s2.rows else {
            throw TensorError.shapeMismatch(op: "FrechetDistance.traceOfSquareRootOfProduct", lhs: [s1.rows, s1.columns], rhs: [s2.rows, s2.columns])
        }
        let e1 = try SymmetricEigen.decompose(s1.symmetrized)
        let v = e1.vectors!
        let roots = e1.values.map { max($0, 0).squareRoot() }
        var m = v.transposed.multiplied(by: s2).multiplied(by: v)
        let n = m.rows
        for i in 0..<n { for j in 0..<n { m[i, j] *= roots[i] * roots[j] } }
        let e2 = try SymmetricEigen.decompose(m.symmetrized, computeVectors: false)
        return e2.values.reduce(0) { $0 + max($1, 0).squareRoot() }
    }
}
