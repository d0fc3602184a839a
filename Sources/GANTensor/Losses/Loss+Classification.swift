import Foundation

/// Classification losses on raw scores (logits), computed stably for any magnitude.
extension Loss {
    /// Binary cross-entropy of sigmoid(logits) against one target for every element (1 = real,
    /// 0 = fake in a GAN), mean over all elements.
    public static func bceWithLogits(_ logits: Tensor, target: Float) throws -> Tensor {
        try bceWithLogits(logits, targets: Tensor(repeating: target, shape: logits.shape))
    }

    /// Binary cross-entropy with logits, mean over all elements: per element
    /// max(x, 0) - x t + log(1 + exp(-|x|)), which never overflows (PyTorch's BCEWithLogitsLoss).
    ///
    /// One fused op: the forward is a single pass accumulating in Double, and the backward is
    /// g (sigmoid(x) - t) / N for the logits and -g x / N for the targets, both written in
    /// differentiable ops, so the loss can be differentiated twice.
    public static func bceWithLogits(_ logits: Tensor, targets: Tensor) throws -> Tensor {
        try sameShape(logits, targets, op: "Loss.bceWithLogits")
        let n = logits.count
        let xp = logits.data, tp = targets.data
        var total = 0.0
        for i in 0..<n {
            let x = xp[i], t = tp[i]
            total += Double(Swift.max(x, 0) - x * t + Foundation.log1p(Foundation.exp(-Swift.abs(x))))
        }
        let out = Tensor(scalar: Float(total / Double(Swift.max(n, 1))))
        let scale = 1 / Float(Swift.max(n, 1))
        return Tensor.record(out, op: "bce_with_logits", inputs: [logits, targets]) { g, _, needs in
            let perElement = g * scale
            return [needs[0] ? try (logits.sigmoid() - targets) * perElement : nil,
                    needs[1] ? try -logits * perElement : nil]
        }
    }

    /// Softmax cross-entropy of logits [N, K] against class indices, mean over the N rows:
    /// logsumexp(x_n) - x_n[label_n]. The row maximum is subtracted as a constant before
    /// exponentiating (it cancels in the value and the gradient), so large logits do not overflow.
    public static func crossEntropy(logits: Tensor, labels: [Int]) throws -> Tensor {
        let op = "Loss.crossEntropy"
        guard logits.rank == 2 else {
            throw TensorError.invalidShape(op: op, shape: logits.shape, reason: "logits must be [N, K]")
        }
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        guard labels.count == rows else {
            throw TensorError.invalidArgument(op: op, reason: "\(labels.count) labels for logits \(logits.shape)")
        }
        let oneHot = Tensor(zeros: logits.shape)
        for (i, label) in labels.enumerated() {
            guard (0..<classes).contains(label) else {
                throw TensorError.invalidArgument(op: op, reason: "label \(label) at index \(i) is outside 0..<\(classes)")
            }
            oneHot.data[i * classes + label] = 1
        }
        let rowMax = Kernels.max(logits, axes: [1]).values  // [N, 1], a constant
        let shifted = try logits - rowMax
        let logSumExp = try shifted.exp().sum(axes: [1]).log()
        let picked = try (shifted * oneHot).sum(axes: [1])
        return try (logSumExp - picked).mean()
    }
}
