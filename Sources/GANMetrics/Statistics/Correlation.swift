import GANTensor

/// Correlation coefficients between two paired series, e.g. WGAN-GP's claim that the critic's
/// negative loss tracks sample quality during training (Gulrajani et al. 2017, Fig. 3).
public enum Correlation {
    /// Spearman's rank correlation: Pearson's coefficient of the ranks, tied values sharing the
    /// mean of their ranks (as scipy.stats.spearmanr). Throws when either series is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) throws -> Double {
        try check(x, y, op: "Correlation.spearman")
        return try pearson(ranks(x), ranks(y))
    }

    /// Pearson's product-moment correlation, computed on centred values.
    public static func pearson(_ x: [Double], _ y: [Double]) throws -> Double {
        let op = "Correlation.pearson"
        try check(x, y, op: op)
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else {
            throw TensorError.invalidArgument(op: op, reason: "a constant series has no correlation")
        }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// 1-based ranks; each group of equal values gets the mean of the ranks it spans.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && x[order[end]] == x[order[start]] { end += 1 }
            let shared = Double(start + 1 + end) / 2  // mean of ranks start+1 ... end
            for t in start..<end { r[order[t]] = shared }
            start = end
        }
        return r
    }

    static func check(_ x: [Double], _ y: [Double], op: String) throws {
        guard x.count == y.count, x.count >= 2 else {
            throw TensorError.shapeMismatch(op: "\(op) (needs two paired series of length >= 2)", lhs: [x.count], rhs: [y.count])
        }
        guard x.allSatisfy({ $0.isFinite }), y.allSatisfy({ $0.isFinite }) else {
            throw TensorError.invalidArgument(op: op, reason: "series hold non-finite values")
        }
    }
}
