/// Class-conditional batch normalisation (de Vries et al. 2017; used by SAGAN and BigGAN):
/// batch norm without its own affine, then a per-class gain and bias,
/// y = bn(x) * gamma[label] + beta[label].
///
/// Layout follows the common PyTorch SAGAN/BigGAN code: child `bn` (BatchNorm2d, affine off) and
/// child `embed` (an nn.Embedding) whose `weight` [classes, 2 * features] holds gamma in the
/// first half of each row (initialised 1) and beta in the second (initialised 0). State dict:
/// bn.running_mean, bn.running_var, bn.num_batches_tracked, embed.weight.
public final class ConditionalBatchNorm2d: Module {
    /// A lookup table of one row per class (PyTorch's nn.Embedding state-dict layout).
    public final class Embedding: Module {
        public let weight: Tensor
        init(_ weight: Tensor) { self.weight = weight.requiringGrad() }
        public override var namedOwnParameters: [(String, Tensor)] { [("weight", weight)] }
    }

    public let features: Int, classes: Int
    public let bn: BatchNorm
    public let embed: Embedding

    public init(_ features: Int, classes: Int, eps: Float = 1e-5, momentum: Float? = 0.1) {
        self.features = features
        self.classes = classes
        bn = BatchNorm(features, eps: eps, momentum: momentum, affine: false)
        let table = Tensor(zeros: [classes, 2 * features])
        for k in 0..<classes { (table.data + k * 2 * features).update(repeating: 1, count: features) }
        embed = Embedding(table)
    }

    public override var namedChildren: [(String, Module)] { [("bn", bn), ("embed", embed)] }

    /// `labels` holds one class index in 0..<classes per sample of x [N, features, H, W].
    public func callAsFunction(_ x: Tensor, labels: [Int]) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == features, labels.count == x.shape[0] else {
            throw TensorError.shapeMismatch(op: "ConditionalBatchNorm2d(\(features)) with \(labels.count) labels",
                                            lhs: x.shape, rhs: [labels.count, features])
        }
        if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
            throw TensorError.invalidArgument(op: "ConditionalBatchNorm2d", reason: "label \(bad) is outside 0..<\(classes)")
        }
        let n = labels.count
        // Row-major [classes, 2F] read as [2 * classes, F]: row 2k is gamma of class k, row
        // 2k + 1 its beta, so a one-hot matmul picks them (a differentiable gather).
        let rows = try embed.weight.reshaped([2 * classes, features])
        func pick(_ offset: Int) throws -> Tensor {
            let oneHot = Tensor(zeros: [n, 2 * classes])
            for (i, k) in labels.enumerated() { oneHot.data[i * 2 * classes + 2 * k + offset] = 1 }
            return try oneHot.matmul(rows).reshaped([n, features, 1, 1])
        }
        return try bn(x) * pick(0) + pick(1)
    }
}
