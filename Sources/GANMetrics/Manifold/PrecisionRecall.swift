import GANTensor

/// Improved precision and recall (Kynkäänniemi et al. 2019, "Improved Precision and Recall Metric
/// for Assessing Generative Models"). Each set's manifold is approximated by the union of balls
/// around its samples, each ball's radius being the distance to the sample's k-th nearest other
/// sample of the same set. Precision is the fraction of fake samples inside the real manifold
/// (quality); recall the fraction of real samples inside the fake manifold (coverage).
public enum PrecisionRecall {
    public struct Result: Equatable, Sendable {
        public var precision: Double
        public var recall: Double
    }

    /// Precision and recall of `fake` against `real` features [N, d]; both sets need more than
    /// `k` rows. Ball membership is inclusive (distance <= radius).
    public static func compute(real: Tensor, fake: Tensor, k: Int = 3) throws -> Result {
        try compute(real: real, fake: fake, k: k, blockElements: 1 << 22)
    }

    /// `blockElements` bounds the distance block held at once (tests shrink it to cross blocks).
    static func compute(real: Tensor, fake: Tensor, k: Int, blockElements: Int) throws -> Result {
        let op = "PrecisionRecall.compute"
        guard k >= 1 else { throw TensorError.invalidArgument(op: op, reason: "k must be >= 1, got \(k)") }
        try FeatureInput.check(real, op: op, minRows: k + 1)
        try FeatureInput.check(fake, op: op, minRows: k + 1)
        try FeatureInput.checkSameWidth(real, fake, op: op)
        let realRadii = squaredRadii(real, k: k, blockElements: blockElements)
        let fakeRadii = squaredRadii(fake, k: k, blockElements: blockElements)
        return Result(precision: coverage(of: fake, byBallsAround: real, squaredRadii: realRadii, blockElements: blockElements),
                      recall: coverage(of: real, byBallsAround: fake, squaredRadii: fakeRadii, blockElements: blockElements))
    }

    /// Squared distance from each row to its k-th nearest other row: the (k+1)-th smallest
    /// distance counting the row itself at distance 0, as in the authors' code (so duplicated
    /// rows count as neighbours at distance 0).
    static func squaredRadii(_ x: Tensor, k: Int, blockElements: Int) -> [Float] {
        let n = x.shape[0]
        var radii = [Float](repeating: 0, count: n)
        radii.withUnsafeMutableBufferPointer { out in
            let out = out.baseAddress!
            PairwiseDistances.forEachBlock(queries: x, references: x, blockElements: blockElements) { first, rows, dist in
                Parallel.forChunks(rows, grain: max(1, (1 << 15) / n)) { s, e in
                    // The k+1 smallest values seen so far, ascending.
                    var smallest = [Float](repeating: .infinity, count: k + 1)
                    for i in s..<e {
                        for t in 0...k { smallest[t] = .infinity }
                        let row = dist + i * n
                        for j in 0..<n {
                            let v = row[j]
                            if v >= smallest[k] { continue }
                            var t = k
                            // Insertion: shift larger entries up, drop the largest.
                            while t > 0 && smallest[t - 1] > v {
                                smallest[t] = smallest[t - 1]
                                t -= 1
                            }
                            smallest[t] = v
                        }
                        out[first + i] = smallest[k]
                    }
                }
            }
        }
        return radii
    }

    /// Fraction of `queries` rows within distance radius_j of some row j of `centers`.
    static func coverage(of queries: Tensor, byBallsAround centers: Tensor, squaredRadii: [Float], blockElements: Int) -> Double {
        let nc = centers.shape[0]
        var inside = [Bool](repeating: false, count: queries.shape[0])
        inside.withUnsafeMutableBufferPointer { flags in
            let flags = flags.baseAddress!
            squaredRadii.withUnsafeBufferPointer { radii in
                PairwiseDistances.forEachBlock(queries: queries, references: centers, blockElements: blockElements) { first, rows, dist in
                    Parallel.forChunks(rows, grain: max(1, (1 << 15) / nc)) { s, e in
                        for i in s..<e {
                            let row = dist + i * nc
                            var j = 0
                            while j < nc && row[j] > radii[j] { j += 1 }
                            flags[first + i] = j < nc
                        }
                    }
                }
            }
        }
        return Double(inside.lazy.filter { $0 }.count) / Double(inside.count)
    }
}
