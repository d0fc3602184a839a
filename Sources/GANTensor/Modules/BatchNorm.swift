/// Batch normalisation (Ioffe & Szegedy 2015) with PyTorch's BatchNorm1d/BatchNorm2d semantics,
/// over channel axis 1 of [N, C], [N, C, L] or [N, C, H, W].
///
/// Training: normalise with the batch mean and biased variance; running_mean/running_var move
/// towards the batch mean and the *unbiased* variance by `momentum` (PyTorch's convention).
/// Evaluation: normalise with the running statistics, unless `trackRunningStats` is off, in
/// which case batch statistics are always used.
///
/// State dict: `weight`, `bias` (with `affine`), then `running_mean`, `running_var`,
/// `num_batches_tracked` (with `trackRunningStats`). PyTorch stores num_batches_tracked as an
/// int64 scalar; here it is a Float32 tensor of shape [] (exact up to 2^24 batches), and the
/// checkpoint writer converts the dtype.
public final class BatchNorm: Module {
    public let features: Int
    public let eps: Float
    /// Weight of the newest batch in the running averages; nil gives a cumulative average
    /// (PyTorch's momentum=None).
    public let momentum: Float?
    public let weight: Tensor?, bias: Tensor?
    public let runningMean: Tensor?, runningVar: Tensor?, numBatchesTracked: Tensor?

    public init(_ features: Int, eps: Float = 1e-5, momentum: Float? = 0.1, affine: Bool = true,
                trackRunningStats: Bool = true) {
        self.features = features
        self.eps = eps
        self.momentum = momentum
        (weight, bias) = affineParameters([features], enabled: affine)
        runningMean = trackRunningStats ? Tensor(zeros: [features]) : nil
        runningVar = trackRunningStats ? Tensor(repeating: 1, shape: [features]) : nil
        numBatchesTracked = trackRunningStats ? Tensor(zeros: []) : nil
    }

    public override var namedOwnParameters: [(String, Tensor)] {
        presentEntries([("weight", weight), ("bias", bias)])
    }

    public override var namedOwnBuffers: [(String, Tensor)] {
        presentEntries([("running_mean", runningMean), ("running_var", runningVar),
                        ("num_batches_tracked", numBatchesTracked)])
    }

    public override func forward(_ x: Tensor) throws -> Tensor {
        guard x.rank >= 2, x.shape[1] == features else {
            throw TensorError.shapeMismatch(op: "BatchNorm(\(features))", lhs: x.shape, rhs: [features])
        }
        if !isTraining, let runningMean, let runningVar {
            return try normalizeWithRunningStats(x, mean: runningMean, variance: runningVar)
        }
        let perChannel = x.count / features
        if isTraining && perChannel <= 1 {
            throw TensorError.invalidShape(op: "BatchNorm(\(features))", shape: x.shape,
                                           reason: "expected more than 1 value per channel when training")
        }
        let result = try x.batchNormTrain(weight: weight, bias: bias, eps: eps)
        if isTraining { updateRunningStats(mean: result.mean, variance: result.variance, count: perChannel) }
        return result.output
    }

    /// y = x * scale + shift with scale = weight / sqrt(running_var + eps) and
    /// shift = bias - running_mean * scale; differentiable in x, weight and bias.
    private func normalizeWithRunningStats(_ x: Tensor, mean: Tensor, variance: Tensor) throws -> Tensor {
        let eps = self.eps
        let inverseStd = variance.constantMap { 1 / ($0 + eps).squareRoot() }
        let scale = try weight.map { try $0 * inverseStd } ?? inverseStd
        let shift = try bias.map { try $0 - mean * scale } ?? -(try mean * scale)
        let view = [1, features] + Array(repeating: 1, count: x.rank - 2)
        return try x * scale.reshaped(view) + shift.reshaped(view)
    }

    private func updateRunningStats(mean: Tensor, variance: Tensor, count: Int) {
        guard let runningMean, let runningVar, let numBatchesTracked else { return }
        numBatchesTracked.data[0] += 1
        let factor = Double(momentum ?? 1 / numBatchesTracked.data[0])
        let unbias = Double(count) / Double(count - 1)
        for c in 0..<features {
            runningMean.data[c] = Float((1 - factor) * Double(runningMean.data[c]) + factor * Double(mean.data[c]))
            runningVar.data[c] = Float((1 - factor) * Double(runningVar.data[c]) + factor * Double(variance.data[c]) * unbias)
        }
    }
}

/// PyTorch's names; both accept any input of rank >= 2 with channels on axis 1.
public typealias BatchNorm1d = BatchNorm
public typealias BatchNorm2d = BatchNorm
