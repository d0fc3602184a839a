import GANTensor

/// How often a (pretrained) classifier assigns generated samples the class they were requested
/// with: the conditional-GAN accuracy measure (e.g. AC-GAN's Inception accuracy).
public enum ClassificationAccuracy {
    /// Fraction of positions where predicted[i] == requested[i].
    public static func accuracy(predicted: [Int], requested: [Int]) throws -> Double {
        try checkPaired(predicted, requested, op: "ClassificationAccuracy.accuracy")
        let hits = zip(predicted, requested).lazy.filter { $0 == $1 }.count
        return Double(hits) / Double(requested.count)
    }

    /// Accuracy among the samples requested as each class 0..<classCount; nil for a class that was
    /// never requested. Requested labels must lie in 0..<classCount.
    public static func perClass(predicted: [Int], requested: [Int], classCount: Int) throws -> [Double?] {
        let op = "ClassificationAccuracy.perClass"
        try checkPaired(predicted, requested, op: op)
        guard classCount >= 1 else {
            throw TensorError.invalidArgument(op: op, reason: "classCount must be >= 1, got \(classCount)")
        }
        if let bad = requested.first(where: { !(0..<classCount).contains($0) }) {
            throw TensorError.invalidArgument(op: op, reason: "requested label \(bad) is outside 0..<\(classCount)")
        }
        var hits = [Int](repeating: 0, count: classCount), totals = hits
        for (p, r) in zip(predicted, requested) {
            totals[r] += 1
            if p == r { hits[r] += 1 }
        }
        return (0..<classCount).map { totals[$0] == 0 ? nil : Double(hits[$0]) / Double(totals[$0]) }
    }

    /// The arg-max class of each row of `logits` [N, K] (first maximum on ties).
    public static func predictions(logits: Tensor) throws -> [Int] {
        try FeatureInput.check(logits, op: "ClassificationAccuracy.predictions")
        let n = logits.shape[0], k = logits.shape[1], p = logits.data
        return (0..<n).map { i in
            var best = 0
            for j in 1..<k where p[i * k + j] > p[i * k + best] { best = j }
            return best
        }
    }

    static func checkPaired(_ predicted: [Int], _ requested: [Int], op: String) throws {
        guard predicted.count == requested.count, !requested.isEmpty else {
            throw TensorError.shapeMismatch(op: "\(op) (needs equally many, at least one, predictions and requests)", lhs: [predicted.count], rhs: [requested.count])
        }
    }
}
