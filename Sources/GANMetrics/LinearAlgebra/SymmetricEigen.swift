import GANTensor

/// Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
/// Matrix Computations, 4th ed., §8.5): sweeps of plane rotations, each zeroing one off-diagonal
/// pair. It converges quadratically and keeps small eigenvalues of positive semidefinite matrices
/// accurate, which is what a matrix square root of a covariance needs.
///
/// The pairs of a sweep follow the round-robin ("parallel") ordering of §8.5.5: each round holds
/// n/2 disjoint pairs whose rotations commute, so a round is applied as one pass over the rows
/// and one over the columns, both contiguous in memory and split across cores (each element is
/// computed the same way whatever the split, so results do not depend on the thread count).
/// O(n³) per sweep, a handful of sweeps: fine for feature dimensions up to ~512.
public enum SymmetricEigen {
    public struct Decomposition: Sendable {
        /// Eigenvalues, ascending.
        public var values: [Double]
        /// Column i is the unit eigenvector of values[i]; nil when not requested.
        public var vectors: Matrix?
    }

    /// One rotation of a round and the exact new diagonal entries of its 2x2 block.
    struct Rotation {
        let p: Int, q: Int, c: Double, s: Double, app: Double, aqq: Double
    }

    /// Decomposes `a` = V diag(values) Vᵀ. `a` must be square, finite and symmetric (to a relative
    /// 1e-10; the solver reads the upper triangle).
    public static func decompose(_ a: Matrix, computeVectors: Bool = true, maxSweeps: Int = 100) throws -> Decomposition {
        let n = a.rows
        try validate(a)
        var m = a.values
        for i in 0..<n { for j in 0..<i { m[i * n + j] = m[j * n + i] } }
        // Rows of `vt` are the eigenvectors (Vᵀ), so rotations update contiguous rows.
        var vt = computeVectors ? Matrix.identity(n).values : []
        let frobenius = a.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // Elements below this are zero for every purpose (eigenvalue change ~ apq²/gap).
        let absoluteFloor = 1e-18 * frobenius
        let rounds = roundRobin(n)
        var converged = n < 2
        var sweep = 0
        var rotations: [Rotation] = []
        rotations.reserveCapacity(n / 2)
        while !converged && sweep < maxSweeps {
            sweep += 1
            var rotated = false
            for round in rounds {
                rotations.removeAll(keepingCapacity: true)
                for (p, q) in round {
                    let apq = m[p * n + q], app = m[p * n + p], aqq = m[q * n + q]
                    // Demmel-Veselic threshold: skipping these keeps relative accuracy.
                    if abs(apq) <= max(Double.ulpOfOne * (abs(app * aqq)).squareRoot(), absoluteFloor) { continue }
                    let (c, s, t) = rotation(app: app, aqq: aqq, apq: apq)
                    rotations.append(Rotation(p: p, q: q, c: c, s: s, app: app - t * apq, aqq: aqq + t * apq))
                }
                if rotations.isEmpty { continue }
                rotated = true
                m.withUnsafeMutableBufferPointer { mp in
                    vt.withUnsafeMutableBufferPointer { vp in
                        rotations.withUnsafeBufferPointer { rp in
                            apply(rp, to: mp.baseAddress!, vectors: computeVectors ? vp.baseAddress! : nil, n: n)
                        }
                    }
                }
            }
            converged = !rotated
        }
        guard converged else {
            throw TensorError.invalidArgument(op: "SymmetricEigen.decompose", reason: "Jacobi did not converge in \(maxSweeps) sweeps for a \(n)x\(n) matrix")
        }
        let order = (0..<n).sorted { m[$0 * n + $0] < m[$1 * n + $1] }
        let values = order.map { m[$0 * n + $0] }
        var vectors: Matrix?
        if computeVectors {
            var v = Matrix(zeros: n, n)
            for (col, i) in order.enumerated() { for k in 0..<n { v[k, col] = vt[i * n + k] } }
            vectors = v
        }
        return Decomposition(values: values, vectors: vectors)
    }

    /// The n-1 rounds (n rounds for odd n) in which every pair p < q meets exactly once, no index
    /// twice in a round: the circle method, index 0 fixed and the rest rotating; for odd n a
    /// dummy index n sits out one index per round.
    static func roundRobin(_ n: Int) -> [[(Int, Int)]] {
        guard n >= 2 else { return [] }
        let m = n + n % 2
        var players = Array(0..<m)
        var rounds: [[(Int, Int)]] = []
        for _ in 0..<(m - 1) {
            var round: [(Int, Int)] = []
            for i in 0..<(m / 2) {
                let a = players[i], b = players[m - 1 - i]
                if a < n && b < n { round.append((min(a, b), max(a, b))) }
            }
            rounds.append(round)
            players.insert(players.removeLast(), at: 1)
        }
        return rounds
    }

    /// A <- JᵀAJ and Vᵀ <- (VJ)ᵀ for the round's rotations J: rows p, q of A then columns p, q
    /// of each row; each 2x2 block then gets its exact rotated values (the passes left rounding
    /// residue there).
    static func apply(_ rotations: UnsafeBufferPointer<Rotation>, to a: UnsafeMutablePointer<Double>,
                      vectors vt: UnsafeMutablePointer<Double>?, n: Int) {
        let perRotation = max(1, (1 << 14) / (2 * n))
        Parallel.forChunks(rotations.count, grain: perRotation) { s, e in
            for r in rotations[s..<e] {
                rotatePair(a + r.p * n, a + r.q * n, count: n, c: r.c, s: r.s)
                if let vt { rotatePair(vt + r.p * n, vt + r.q * n, count: n, c: r.c, s: r.s) }
            }
        }
        Parallel.forChunks(n, grain: max(1, (1 << 14) / (2 * rotations.count))) { s, e in
            for k in s..<e {
                let row = a + k * n
                for r in rotations {
                    let x = row[r.p], y = row[r.q]
                    row[r.p] = r.c * x - r.s * y
                    row[r.q] = r.s * x + r.c * y
                }
            }
        }
        for r in rotations {
            a[r.p * n + r.p] = r.app
            a[r.q * n + r.q] = r.aqq
            a[r.p * n + r.q] = 0
            a[r.q * n + r.p] = 0
        }
    }

    /// (x, y) <- (c x - s y, s x + c y) elementwise over two rows.
    @inline(__always)
    static func rotatePair(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int, c: Double, s: Double) {
        for k in 0..<count {
            let u = x[k], v = y[k]
            x[k] = c * u - s * v
            y[k] = s * u + c * v
        }
    }

    /// Cosine, sine and tangent of the rotation J(p, q) with (JᵀAJ)_pq = 0, taking the smaller
    /// angle (|θ| <= π/4) for stability (Golub & Van Loan Alg. 8.5.1).
    @inline(__always)
    static func rotation(app: Double, aqq: Double, apq: Double) -> (c: Double, s: Double, t: Double) {
        let tau = (aqq - app) / (2 * apq)
        // For huge tau, 1 + tau² overflows; t -> 1 / (2 tau) there.
        let t = abs(tau) > 1e150 ? 1 / (2 * tau) : (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
        let c = 1 / (1 + t * t).squareRoot()
        return (c, t * c, t)
    }

    static func validate(_ a: Matrix) throws {
        let op = "SymmetricEigen.decompose"
        guard a.rows == a.columns else {
            throw TensorError.invalidShape(op: op, shape: [a.rows, a.columns], reason: "matrix is not square")
        }
        guard a.values.allSatisfy({ $0.isFinite }) else {
            throw TensorError.invalidArgument(op: op, reason: "matrix holds non-finite values")
        }
        let n = a.rows
        let scale = a.values.reduce(0) { max($0, abs($1)) }
        for i in 0..<n {
            for j in (i + 1)..<n where abs(a[i, j] - a[j, i]) > 1e-10 * scale {
                throw TensorError.invalidArgument(op: op, reason: "matrix is not symmetric: [\(i),\(j)] = \(a[i, j]) but [\(j),\(i)] = \(a[j, i])")
            }
        }
    }
}
