import Foundation

extension Init {
    /// Saxe et al. (2014) as PyTorch's `orthogonal_` does it: view the tensor as [rows, cols]
    /// (rows = dimension 0), fill a matrix of that shape with N(0, 1), transpose it if it is wide,
    /// take its QR factorisation, multiply each column of Q by the sign of R's diagonal (which makes
    /// the factorisation, and so the distribution, unique), transpose back and scale by `gain`.
    /// The result has orthonormal rows (wide) or columns (tall).
    public static func orthogonal(_ t: Tensor, gain: Float = 1, rng: RandomGenerator) throws {
        guard t.rank >= 2 else {
            throw TensorError.invalidShape(op: "Init.orthogonal", shape: t.shape, reason: "needs at least 2 dimensions")
        }
        guard t.count > 0 else { return }
        let rows = t.shape[0], cols = t.count / rows
        let draw = rng.normal([rows, cols]).scalars.map(Double.init)
        let wide = rows < cols
        let (m, n) = wide ? (cols, rows) : (rows, cols)
        // Column-major m x n, so a tall matrix and the transpose of a wide one read the same way.
        var a = [Double](repeating: 0, count: m * n)
        for r in 0..<rows {
            for c in 0..<cols {
                if wide { a[r * m + c] = draw[r * cols + c] } else { a[c * m + r] = draw[r * cols + c] }
            }
        }
        let q = householderQ(&a, m: m, n: n)
        for r in 0..<rows {
            for c in 0..<cols {
                let v = wide ? q[r * m + c] : q[c * m + r]
                t.data[r * cols + c] = Float(v) * gain
            }
        }
    }

    /// The thin Q [m, n] (column-major, m >= n) of A = QR by Householder reflections, with the sign
    /// of each column chosen so that R has a non-negative diagonal. `a` is overwritten.
    static func householderQ(_ a: inout [Double], m: Int, n: Int) -> [Double] {
        var reflectors: [[Double]] = []  // v_k over rows k..<m, unit length (or empty when x = 0)
        var diagonalSigns = [Double](repeating: 1, count: n)
        for k in 0..<n {
            let norm = (k..<m).reduce(0.0) { $0 + a[k * m + $1] * a[k * m + $1] }.squareRoot()
            guard norm > 0 else { reflectors.append([]); continue }
            // Reflect x onto alpha e1 with alpha of the opposite sign to x0 (no cancellation).
            let x0 = a[k * m + k]
            let alpha = x0 >= 0 ? -norm : norm
            var v = (k..<m).map { a[k * m + $0] }
            v[0] -= alpha
            let vNorm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in v.indices { v[i] /= vNorm }
            for j in k..<n {  // A[k..., j] -= 2 v (v . A[k..., j])
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * a[j * m + i] }
                for i in k..<m { a[j * m + i] -= 2 * v[i - k] * dot }
            }
            diagonalSigns[k] = alpha >= 0 ? 1 : -1  // R[k, k] = alpha
            reflectors.append(v)
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
        var q = [Double](repeating: 0, count: m * n)
        for j in 0..<n { q[j * m + j] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) where !reflectors[k].isEmpty {
            let v = reflectors[k]
            for j in 0..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * q[j * m + i] }
                for i in k..<m { q[j * m + i] -= 2 * v[i - k] * dot }
            }
        }
        for j in 0..<n where diagonalSigns[j] < 0 {
            for i in 0..<m { q[j * m + i] = -q[j * m + i] }
        }
        return q
    }
}
